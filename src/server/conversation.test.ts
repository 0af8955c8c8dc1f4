import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { conversationOutcome } from '../../test/golden/conversation-outcome.js';
import { ROOT } from '../../test/helpers.js';
import { Serving } from '../app/serving.js';
import type { LoggedApiEvent } from '../core/model/api-event.js';
import type { RecsModel } from '../core/recs/model.js';
import { DAY_MS } from '../core/time.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import { ConversationResponse } from './contract.js';

const dir = join(ROOT, 'test', 'golden');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const { configs, cases } = JSON.parse(readFileSync(join(dir, 'conversation-cases.json'), 'utf8')) as {
  configs: Record<string, unknown>;
  cases: {
    name: string;
    config: string;
    trigger: string;
    context: { customer?: { id: string }; history?: unknown[]; today?: number } & Record<string, unknown>;
    turns: unknown[];
    locale?: string;
    expect: ReturnType<typeof conversationOutcome>;
  }[];
};
const PUB = 'pk_test_0123456789abcdef';

/** An event log that keeps each idempotency key once, as the server's own does. */
function memoryLog() {
  const byKey = new Map<string, LoggedApiEvent>();
  return {
    byKey,
    size: 0,
    degraded: null,
    append(events: LoggedApiEvent[]) {
      let accepted = 0;
      for (const e of events)
        if (!byKey.has(e.idempotencyKey)) {
          byKey.set(e.idempotencyKey, e);
          accepted++;
        }
      return { accepted, duplicates: events.length - accepted };
    },
  };
}

async function appFor(offers: unknown, today = 20600, histories = new Map()) {
  const config = parseServerConfig({
    publishableKeys: [PUB],
    secretKeys: ['sk_test_0123456789abcdef01234567'],
    offers,
  });
  const clock = () => new Date(today * DAY_MS + 12 * 3_600_000);
  const events = memoryLog();
  const app = await buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories }, clock),
    clock,
    events,
  });
  const ask = (payload: object) =>
    app.inject({
      method: 'POST',
      url: '/v1/conversation',
      headers: { authorization: `Bearer ${PUB}` },
      payload,
    });
  return { app, events, ask };
}

test('the golden conversation cases over HTTP: the same turns, and their events in the log with channel chat', async () => {
  for (const c of cases) {
    const { history, today, ...context } = c.context;
    const histories = new Map(history && context.customer ? [[context.customer.id, history]] : []);
    const { app, events, ask } = await appFor(configs[c.config], today, histories);
    const body = {
      ...context,
      trigger: c.trigger,
      history: c.turns,
      ...(c.locale ? { locale: c.locale } : {}),
    };
    const r = await ask(body);
    assert.equal(r.statusCode, 200, `${c.name}: ${r.body}`);
    const answer = ConversationResponse.parse(r.json());
    assert.deepEqual(conversationOutcome(answer), c.expect, c.name);
    const logged = [...events.byKey.values()];
    assert.deepEqual(
      logged.map((e) => [e.type, e.offerId, e.channel, e.sessionId, e.assignment]),
      c.expect.events.map((e) => [e.type, e.offerId, 'chat', context.sessionId, 'treatment']),
      c.name,
    );
    // The same turn asked again (a retry) stores nothing twice.
    assert.equal((await ask(body)).statusCode, 200);
    assert.equal(events.byKey.size, logged.length, `${c.name}: a retry is stored once`);
    await app.close();
  }
});

test('a request the endpoint cannot take is a 400 that names the field and says what to fix', async () => {
  const { app, ask } = await appFor(configs.store);
  const base = { page: 'cart', sessionId: 's1', cart: [] };
  const cases: [object, RegExp][] = [
    [{ ...base, trigger: 'bored' }, /^trigger: must be one of added_to_cart, idle_on_product, exit_intent/],
    [{ ...base }, /^trigger: must be one of/],
    [
      { ...base, trigger: 'shopper_asked', history: [{ from: 'shopper', reply: 'maybe' }] },
      /^history\.0\.reply/,
    ],
    [{ ...base, trigger: 'shopper_asked', locale: 'not a locale' }, /^locale: must be a language tag/],
    [{ ...base, trigger: 'shopper_asked', history: Array(51).fill({ from: 'bot' }) }, /more than 50 turns/],
  ];
  for (const [payload, message] of cases) {
    const r = await ask(payload);
    assert.equal(r.statusCode, 400, r.body);
    assert.match(r.json().error.message, message);
  }
  const noKey = await app.inject({
    method: 'POST',
    url: '/v1/conversation',
    payload: { ...base, trigger: 'added_to_cart' },
  });
  assert.equal(noKey.statusCode, 401);
  await app.close();
});
