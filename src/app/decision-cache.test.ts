import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOfferConfig } from '../core/offers/config.js';
import { assignmentOf, decide, type DecideContext } from '../core/offers/decide.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel, type ItemMeta } from '../core/recs/model.js';
import { Rng } from '../core/rng.js';
import { DecisionCache, decisionJson } from './decision-cache.js';
import { thresholdExperiment } from '../../test/experiment-fixture.js';

const meta = (id: string, price: number, cost: number): ItemMeta => ({
  id,
  title: id,
  category: null,
  family: null,
  priceMinor: price,
  costMinor: cost,
});
const model = buildModel(
  encodeBaskets(
    Array.from({ length: 60 }, (_, i) => [
      'maker',
      'filters',
      ...(i % 2 ? ['beans'] : []),
      ...(i % 3 ? [] : ['mug']),
    ]),
  ),
  new Map([
    ['maker', meta('maker', 4000, 2600)],
    ['filters', meta('filters', 900, 200)],
    ['beans', meta('beans', 1400, 700)],
    ['mug', meta('mug', 1200, 400)],
  ]),
  { minSupport: 0.01, minConfidence: 0.1, maxLen: 3, topK: 10 },
  { version: 1, createdAt: '', currency: 'USD' },
);
const config = parseOfferConfig({
  holdoutShare: 0.1,
  freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
  volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
  loyalty: { tiers: [{ name: 'Gold', minSpendMinor: 20000 }] },
  messages: { returning: 'Hi {firstName}' },
});

function randomContext(rng: Rng, i: number): DecideContext {
  const ids = ['maker', 'filters', 'beans', 'mug', 'unknown-sku'];
  const cart = ids
    .filter(() => rng.chance(0.4))
    .map((productId) => ({
      productId,
      quantity: rng.int(1, 3),
      unitPriceMinor: rng.pick([900, 1200, 1400, 4000]),
    }));
  return {
    page: rng.pick(['product', 'cart', 'checkout', 'thankyou'] as const),
    sessionId: `s-${i}`,
    cart,
    ...(rng.chance(0.3)
      ? {
          customer: {
            id: `c-${rng.int(1, 50)}`,
            spendMinor: rng.int(0, 20000),
            firstName: rng.pick(['Ana', 'Bo']),
          },
        }
      : {}),
    ...(rng.chance(0.5) ? { visitorType: rng.pick(['new', 'returning'] as const) } : {}),
    exiting: rng.chance(0.1),
  };
}

test(
  'decision cache: every answer (treated or holdout) equals decide() for the same context, repeats are ' +
    'hits, memory stays bounded',
  () => {
    const rng = new Rng(11);
    const cache = new DecisionCache(model, config, 25);
    const responder = new DecisionCache(model, config, 25);
    let holdouts = 0;
    for (let i = 0; i < 2000; i++) {
      const ctx = randomContext(rng, i);
      const d = decide(model, config, ctx);
      const ask = (c: DecideContext) => cache.answer(c, d.assignment.inHoldout);
      assert.deepEqual(
        JSON.parse(responder.respond(ctx)),
        { ...d, model: 1 },
        'the response is the decision',
      );
      const got = ask(ctx);
      assert.deepEqual(
        JSON.parse(decisionJson(got, d.assignment)),
        { ...d, model: 1 },
        'the JSON is the decision',
      );
      // Another session in the same group (the answer is per group: treated or holdout).
      const sameGroup = (tag: string) => {
        for (let n = 0; ; n++) {
          const c = { ...ctx, sessionId: `${tag}-${i}-${n}` };
          if (assignmentOf(config, c).inHoldout === d.assignment.inHoldout) return c;
        }
      };
      const again = ask(sameGroup('other'));
      assert.deepEqual(again.json, got.json, 'the same cart in another session is the same answer');
      assert.equal(
        ask(sameGroup('third')),
        again,
        'a cart seen twice is kept: the third time is the kept answer',
      );
      if (d.assignment.inHoldout) {
        holdouts++;
        assert.equal(d.offers.length, 0);
        assert.notEqual(
          decide(model, { ...config, holdoutShare: 0 }, ctx).reason,
          d.reason,
          'a holdout answer is not a treated one',
        );
      }
    }
    assert.ok(holdouts > 50, `${holdouts} holdout contexts`);
    assert.ok(cache.hits >= 2000, `every third ask is a hit: ${cache.hits} hits, ${cache.misses} misses`);
    assert.ok(
      cache.misses < 4000,
      `carts repeat across contexts, so fewer than two misses each: ${cache.misses}`,
    );
    const sizes = cache as unknown as { current: Map<string, unknown>; previous: Map<string, unknown> };
    assert.ok(sizes.current.size + sizes.previous.size <= 50);
  },
);

test('decision cache: a cart seen once is answered but not kept; seen twice, it is kept', () => {
  const cache = new DecisionCache(model, config, 25);
  const ctx: DecideContext = {
    page: 'cart',
    sessionId: 's',
    cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
  };
  const first = cache.answer(ctx, false);
  assert.deepEqual([cache.hits, cache.misses], [0, 1]);
  const second = cache.answer(ctx, false);
  assert.notEqual(second, first, 'the first answer was not kept');
  assert.deepEqual([cache.hits, cache.misses], [0, 2]);
  assert.equal(cache.answer(ctx, false), second);
  assert.deepEqual([cache.hits, cache.misses], [1, 2]);
  // 1,000 one-off carts: none is kept, so the kept answers stay what they were.
  for (let p = 1; p <= 1000; p++)
    cache.answer({ ...ctx, cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 + p }] }, false);
  const sizes = cache as unknown as {
    current: Map<string, unknown>;
    previous: Map<string, unknown>;
    seenCount: number;
  };
  assert.equal(sizes.current.size + sizes.previous.size, 1);
  assert.ok(sizes.seenCount <= 50, `${sizes.seenCount} sightings remembered (bound 2 × 25)`);
  assert.equal(cache.answer(ctx, false), second, 'the kept answer survived the one-off carts');
});

test('decision cache: carts that come back only after more than the cache can hold are not kept', () => {
  const cache = new DecisionCache(model, config, 25);
  const ctx = (p: number): DecideContext => ({
    page: 'cart',
    sessionId: `s${p}`,
    cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 + p }],
  });
  // 100 carts in turn, five times over: each comes back after 99 others, more than two generations of 25 hold.
  for (let round = 0; round < 5; round++) for (let p = 0; p < 100; p++) cache.answer(ctx(p), false);
  const sizes = cache as unknown as { current: Map<string, unknown>; previous: Map<string, unknown> };
  assert.equal(sizes.current.size + sizes.previous.size, 0, 'none kept');
  assert.deepEqual([cache.hits, cache.misses], [0, 500]);
  // A cart that comes back soon is still kept.
  cache.answer(ctx(7), false);
  assert.equal(cache.answer(ctx(7), false), cache.answer(ctx(7), false));
});

test('the cache keys on the experiment variant: one cart, two variants, two answers', () => {
  const withTest = parseOfferConfig({
    holdoutShare: 0,
    freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
    experiments: [thresholdExperiment()],
  });
  const cache = new DecisionCache(model, withTest);
  const today = Date.parse('2026-12-05T00:00:00Z') / 86_400_000;
  const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 6000 }];
  const byVariant = new Map<string, string>();
  for (let i = 0; i < 40; i++) {
    const j = JSON.parse(cache.respond({ page: 'cart', sessionId: `u${i}`, cart, today }));
    const v = j.experiments[0].variant as string;
    const offers = JSON.stringify(j.offers.map((o: { type: string }) => o.type));
    if (byVariant.has(v)) assert.equal(byVariant.get(v), offers, `variant ${v} answered alike`);
    byVariant.set(v, offers);
  }
  assert.equal(byVariant.size, 2);
  assert.notEqual(byVariant.get('control'), byVariant.get('t75'));
  assert.ok(cache.hits > 30, `${cache.hits} hits: answers are still cached per variant`);
});
