import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeversError } from '../errors.js';
import { bucketOf } from '../experiments/hash.js';
import { HOLDOUT_NAMESPACE } from '../experiments/assign.js';
import { encodeBaskets } from '../recs/baskets.js';
import { buildModel, type ItemMeta } from '../recs/model.js';
import { parseOfferConfig } from './config.js';
import { decide } from './decide.js';

const meta = (id: string, price: number, cost: number): ItemMeta => ({
  id,
  title: id,
  category: null,
  family: null,
  priceMinor: price,
  costMinor: cost,
});
const catalog = new Map([
  ['maker', meta('maker', 4000, 2600)],
  ['filters', meta('filters', 900, 200)],
  ['beans', meta('beans', 1400, 700)],
  ['pods', meta('pods', 900, 800)],
]);
const baskets: string[][] = [];
for (let i = 0; i < 50; i++) baskets.push(['maker', 'filters', ...(i % 2 ? ['beans'] : [])], ['pods']);
const model = buildModel(
  encodeBaskets(baskets),
  catalog,
  { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
  { version: 1, createdAt: '', currency: 'USD' },
);
const config = parseOfferConfig({
  holdoutShare: 0.05,
  freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
  volumeTiers: [
    { minQuantity: 2, percentOff: 10 },
    { minQuantity: 3, percentOff: 20 },
  ],
  bundles: [{ id: 'brew', title: 'Brew set', items: ['maker', 'filters', 'beans'], percentOff: 10 }],
  messages: { new: 'Welcome! Free shipping over {threshold}.' },
});
// A session outside the holdout, found by the same hash the decision uses.
let s = 0;
while (bucketOf(HOLDOUT_NAMESPACE, `s${s}`) < 0.05) s++;
const session = `s${s}`;

test(
  'free-shipping progress with a filler, valued and explained; at most two offers, the most valuable ' +
    'first',
  () => {
    const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }];
    const all = decide(model, config, { page: 'cart', sessionId: session, cart, visitorType: 'new' });
    assert.equal(all.assignment.inHoldout, false);
    assert.equal(all.offers.length, 2);
    assert.ok(all.offers[0]!.expectedProfitMinor >= all.offers[1]!.expectedProfitMinor);
    const d = decide(
      model,
      { ...config, maxOffersPerDecision: 5 },
      { page: 'cart', sessionId: session, cart, visitorType: 'new' },
    );
    assert.ok(
      d.offers.some((o) => o.type === 'segment-message' && o.text === 'Welcome! Free shipping over $50.00.'),
    );
    const fs = d.offers.find((o) => o.type === 'free-shipping-progress')!;
    assert.equal(fs.text, "You're $10.00 away from free shipping");
    // The widget draws the bar and says the amount in the store's locale from these, not from the text.
    assert.deepEqual(fs.progress, { currentMinor: 4000, targetMinor: 5000, goal: 'free shipping' });
    assert.equal(d.currency, 'USD');
    assert.ok(
      fs.items.some((i) => i.productId === 'beans'),
      'a filler that closes the gap',
    );
    assert.ok(fs.expectedProfitMinor > 0);
    assert.match(fs.reason, /20% short of the \$50.00 threshold/);
    for (const o of d.offers) assert.ok(o.actions.accept && o.actions.decline);
  },
);

test('the RPS test refuses an offer that costs more than it adds', () => {
  // Pods have a 11% margin: "buy 3, save 20%" gives away more than the extra unit earns.
  const d = decide(model, config, {
    page: 'cart',
    sessionId: session,
    cart: [{ productId: 'pods', quantity: 2, unitPriceMinor: 900 }],
  });
  const refused = d.refused.find((r) => r.type === 'volume-tier')!;
  assert.ok(refused, JSON.stringify(d));
  assert.ok(refused.expectedProfitMinor < 0);
  assert.match(refused.reason, /fails the RPS test/);
  assert.ok(!d.offers.some((o) => o.type === 'volume-tier'));
});

test('holdout units get no personalised offer, with the reason', () => {
  let h = 0;
  while (bucketOf(HOLDOUT_NAMESPACE, `s${h}`) >= 0.05) h++;
  const d = decide(model, config, {
    page: 'cart',
    sessionId: `s${h}`,
    cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
  });
  assert.deepEqual(d.offers, []);
  assert.match(d.reason, /^holdout/);
  assert.equal(d.assignment.inHoldout, true);
});

test('no offer is a normal answer; a bundle of what is bought anyway is refused; post-purchase on the thank-you page', () => {
  const empty = decide(model, config, { page: 'checkout', sessionId: session, cart: [] });
  assert.deepEqual(empty.offers, []);
  assert.equal(empty.reason, 'no offer applies to this page and cart');
  const bundle = decide(
    model,
    { ...config, freeShipping: undefined },
    {
      page: 'product',
      sessionId: session,
      cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
    },
  );
  // Every basket with the maker has the filters, half have beans: the set's discount would go mostly to
  // shoppers buying the rest anyway, so the bundle is refused with its (negative) incremental value.
  assert.ok(!bundle.offers.some((o) => o.type === 'bundle'));
  const refusedBundle = bundle.refused.find((r) => r.id === 'bundle:brew');
  assert.equal(refusedBundle?.code, 'FAILS_RPS_TEST');
  assert.ok(refusedBundle.expectedProfitMinor < 0);
  const thanks = decide(model, config, {
    page: 'thankyou',
    sessionId: session,
    cart: [
      { productId: 'maker', quantity: 1, unitPriceMinor: 4000 },
      { productId: 'filters', quantity: 1, unitPriceMinor: 900 },
    ],
  });
  assert.ok(thanks.offers.every((o) => o.type === 'post-purchase' || o.type === 'segment-message'));
});

test('configuration errors name the key and the problem', () => {
  const bad = (raw: unknown, re: RegExp) =>
    assert.throws(
      () => parseOfferConfig(raw),
      (e: unknown) => e instanceof LeversError && e.code === 'CONFIG_INVALID' && re.test(e.message),
    );
  bad({ freeShipping: { thresholdMinor: -5, shippingFeeMinor: 695 } }, /freeShipping\.thresholdMinor must/);
  bad({ freeShiping: {} }, /unknown key\(s\) freeShiping/);
  bad({ holdoutShare: 0.9 }, /holdoutShare must be at most 0.5/);
  bad(
    { bundles: [{ id: 'x', title: 'X', items: ['a', 'b'], percentOff: 50 }] },
    /bundles\.0\.percentOff 50% is above discountLimits\.maxPercentOff/,
  );
  bad(
    { volumeTiers: [{ minQuantity: 2, percentOff: 50 }] },
    /volumeTiers\.0\.percentOff 50% is above discountLimits\.maxPercentOff \(30%\)/,
  );
  // An experiment's variant is held to the same ceiling as the configuration it overrides.
  bad(
    {
      experiments: [
        {
          id: 'tiers',
          hypothesis: 'a deeper tier',
          start: '2026-12-01',
          variants: [
            { id: 'a', weight: 0.5 },
            { id: 'b', weight: 0.5, overrides: { volumeTiers: [{ minQuantity: 2, percentOff: 50 }] } },
          ],
        },
      ],
    },
    /volumeTiers\.0\.percentOff 50% is above/,
  );
  bad({ freeShipping: { thresholdMinor: 49.5, shippingFeeMinor: 695 } }, /whole number of minor units/);
  assert.equal(parseOfferConfig({}).maxOffersPerDecision, 2);
});

test('O6: shipping, delivery, returns and low stock are stated for every group, the holdout included', () => {
  const stocked = buildModel(
    encodeBaskets(baskets),
    new Map([...catalog].map(([k, v]) => [k, { ...v, stock: k === 'beans' ? 3 : k === 'pods' ? 0 : 40 }])),
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
    { version: 1, createdAt: '', currency: 'USD' },
  );
  const conf = parseOfferConfig({
    holdoutShare: 0.05,
    freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
    info: { deliveryDays: { min: 2, max: 4 }, returnPolicy: 'Free returns within 30 days' },
  });
  const cart = [{ productId: 'beans', quantity: 1, unitPriceMinor: 1400 }];
  const d = decide(stocked, conf, { page: 'product', productId: 'pods', sessionId: session, cart });
  assert.deepEqual(d.info, {
    shipping: 'Shipping $6.95, free on orders over $50.00',
    delivery: 'Arrives in 2–4 days',
    returns: 'Free returns within 30 days',
    stock: [
      { productId: 'pods', text: 'Out of stock' },
      { productId: 'beans', text: 'Only 3 left' },
    ],
  });
  assert.equal(
    decide(stocked, conf, {
      page: 'cart',
      sessionId: session,
      cart: [{ productId: 'maker', quantity: 2, unitPriceMinor: 4000 }],
    }).info.shipping,
    'Free shipping on this order',
  );
  let h = 0;
  while (bucketOf(HOLDOUT_NAMESPACE, `h${h}`) >= 0.05) h++;
  const held = decide(stocked, conf, { page: 'product', productId: 'pods', sessionId: `h${h}`, cart });
  assert.equal(held.offers.length, 0);
  assert.deepEqual(held.info, d.info, 'information is not a personalised offer: the holdout sees it too');
  assert.throws(
    () => parseOfferConfig({ info: { deliveryDays: { min: 5, max: 2 } } }),
    /info\.deliveryDays max must not be below min/,
  );
});

test('a product page recommends what is bought with the product in view', () => {
  const d = decide(model, config, { page: 'product', productId: 'maker', sessionId: session, cart: [] });
  assert.ok(
    d.offers.some((o) => o.type === 'cross-sell' && o.items[0]!.productId === 'filters'),
    JSON.stringify(d.offers),
  );
});

test(
  'O5 for an existing customer: a reorder due by their own interval competes with the other offers, not ' +
    'before it is due',
  () => {
    const history = [
      { day: 100, items: ['beans', 'filters'] },
      { day: 130, items: ['beans'] },
      { day: 160, items: ['beans'] },
    ];
    const ctx = {
      page: 'cart' as const,
      sessionId: session,
      customer: { id: 'c-1' },
      cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
      history,
    };
    const due = decide(model, { ...config, maxOffersPerDecision: 5 }, { ...ctx, today: 190 });
    const reorder = due.offers.find((o) => o.type === 'reorder');
    assert.ok(reorder, JSON.stringify(due.offers.map((o) => o.id)));
    assert.equal(reorder.text, 'Time to restock beans?');
    assert.match(reorder.reason, /you buy it every 30 days; last 30 days ago/);
    assert.ok(reorder.expectedProfitMinor > 0);
    const early = decide(model, { ...config, maxOffersPerDecision: 5 }, { ...ctx, today: 170 });
    assert.equal(
      early.offers.find((o) => o.type === 'reorder'),
      undefined,
      'not due yet',
    );
    assert.equal(
      decide(
        model,
        { ...config, maxOffersPerDecision: 5 },
        { ...ctx, today: 190, page: 'checkout' },
      ).offers.find((o) => o.type === 'reorder'),
      undefined,
    );
  },
);
