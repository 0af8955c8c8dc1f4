import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type ConversationOutcome, conversationOutcome } from '../../../test/golden/conversation-outcome.js';
import { ROOT } from '../../../test/helpers.js';
import { parseOfferConfig } from '../offers/config.js';
import type { RecsModel } from '../recs/model.js';
import { converse, MAX_SUGGESTIONS } from './converse.js';
import { FLOWS } from './flows.js';
import { type Trigger, TRIGGERS, TurnSchema } from './schema.js';

const dir = join(ROOT, 'test', 'golden');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const conversationCases = JSON.parse(readFileSync(join(dir, 'conversation-cases.json'), 'utf8')) as {
  configs: Record<string, unknown>;
  cases: {
    name: string;
    config: string;
    trigger: Trigger;
    context: Parameters<typeof converse>[2]['context'];
    turns: unknown[];
    locale?: string;
    expect: ConversationOutcome;
  }[];
};
const { configs, cases } = conversationCases;

test(`golden conversation cases (${cases.length}): trigger, cart and history → messages, quick replies, events`, () => {
  for (const c of cases) {
    const got = converse(model, parseOfferConfig(configs[c.config]), {
      trigger: c.trigger,
      context: c.context,
      turns: c.turns.map((t) => TurnSchema.parse(t)),
      locale: c.locale,
    });
    assert.deepEqual(conversationOutcome(got), c.expect, c.name);
    assert.ok(got.suggestions.length <= MAX_SUGGESTIONS, c.name);
  }
});

test('the golden conversation cases cover every flow, every trigger and the chat answers that matter', () => {
  const seen = (f: (c: (typeof cases)[number]) => unknown) => new Set(cases.map(f));
  const flows = seen((c) => c.expect.flow);
  for (const f of FLOWS.filter((x) => x.id !== 'loyalty'))
    assert.ok(flows.has(f.id), `no case speaks ${f.id}`);
  assert.ok(
    [...flows].some((f) => String(f).startsWith('routine:')),
    'no case runs a routine',
  );
  const triggers = seen((c) => c.trigger);
  for (const t of TRIGGERS) assert.ok(triggers.has(t), `no case has trigger ${t}`);
  const codes = seen((c) => c.expect.reasonCode);
  for (const code of [
    'SUGGESTIONS',
    'DETAIL',
    'ADDED',
    'DECLINED',
    'DECLINED_EARLIER',
    'HOLDOUT',
    'QUESTION',
  ])
    assert.ok(codes.has(code), `no case answers ${code}`);
});

test('a holdout unit never gets a suggestion, whatever it asks', () => {
  const config = parseOfferConfig({ ...(configs.store as object), holdoutShare: 0.5 });
  for (const trigger of TRIGGERS) {
    const r = converse(model, config, {
      trigger,
      context: {
        page: 'cart',
        sessionId: 'h2',
        cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4900 }],
      },
      turns: [],
    });
    assert.equal(r.reasonCode, 'HOLDOUT');
    assert.deepEqual([r.suggestions, r.messages, r.events], [[], [], []]);
  }
});

test('a no thanks holds for every later turn of the session, whatever the trigger and cart', () => {
  const config = parseOfferConfig(configs.store);
  const turns = [
    TurnSchema.parse({ from: 'bot', flow: 'upsell', offerIds: ['upsell:maker-pro'] }),
    TurnSchema.parse({ from: 'shopper', reply: 'no_thanks' }),
    TurnSchema.parse({ from: 'bot', offerIds: [] }),
  ];
  for (const trigger of TRIGGERS)
    for (const productId of ['maker', 'filters', 'nocost']) {
      const r = converse(model, config, {
        trigger,
        context: { page: 'cart', sessionId: 'c1', cart: [{ productId, quantity: 1, unitPriceMinor: 1000 }] },
        turns,
      });
      assert.equal(r.reasonCode, 'DECLINED_EARLIER', `${trigger} ${productId}`);
      assert.equal(r.suggestions.length, 0);
    }
});

test('a no thanks to a routine question declines no offer: only those of the bot’s last turn are declined', () => {
  const config = parseOfferConfig(configs.store);
  const r = converse(model, config, {
    trigger: 'shopper_asked',
    context: { page: 'product', sessionId: 'c9', cart: [] },
    turns: [
      { from: 'bot', flow: 'cross-sell', offerIds: ['cross-sell:maker'] },
      { from: 'shopper', reply: 'start', flow: 'routine:coffee' },
      { from: 'bot', flow: 'routine:coffee', offerIds: [], question: 'brew' },
      { from: 'shopper', reply: 'no_thanks' },
    ].map((t) => TurnSchema.parse(t)),
  });
  assert.equal(r.reasonCode, 'DECLINED');
  assert.deepEqual(r.events, []);
});

test('an experiment on the chat copy: each unit hears its variant’s template (the variants survive the deeper decide)', () => {
  const config = parseOfferConfig({
    ...(configs.store as object),
    experiments: [
      {
        id: 'upsell-copy',
        hypothesis: 'leading with the benefit sells more upgrades',
        start: '2026-05-01',
        variants: [
          { id: 'control', weight: 0.5 },
          {
            id: 'benefit',
            weight: 0.5,
            overrides: {
              templates: {
                en: { chat: { upsell: 'Fresher coffee: the {product} {reason}, {difference} more.' } },
              },
            },
          },
        ],
      },
    ],
  });
  const heard = new Map<string, string>();
  for (let i = 0; i < 40 && heard.size < 2; i++) {
    const r = converse(model, config, {
      trigger: 'added_to_cart',
      context: {
        page: 'cart',
        sessionId: `x${i}`,
        today: 20600,
        cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4900 }],
      },
      turns: [],
    });
    if (r.reasonCode !== 'SUGGESTIONS') continue;
    const said = r.messages[0]!.text;
    heard.set(said.startsWith('Fresher') ? 'benefit' : 'control', said);
  }
  assert.match(
    heard.get('benefit') ?? '',
    /^Fresher coffee: the Coffee Maker Pro includes a built-in grinder/,
  );
  assert.match(heard.get('control') ?? '', /^Great choice on the Drip Coffee Maker!/);
});
