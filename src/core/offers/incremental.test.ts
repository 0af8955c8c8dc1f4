import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBaskets } from '../recs/baskets.js';
import { buildModel, type ItemMeta } from '../recs/model.js';
import { parseOfferConfig } from './config.js';
import { decide } from './decide.js';

/*
 * Incremental offer value on a store small enough to value by hand. 100 baskets:
 *   40 × [tent, pegs], 10 × [tent], 10 × [stove, gas], 30 × [stove], 10 × [lamp]
 * so tent 50, pegs 40, stove 40, gas 10, lamp 10. The chance an item j joins a cart holding i unprompted is
 * the shrunk co-purchase rate (count(i, j) + 10 × share(j)) / (count(i) + 10) (10 pseudo-baskets, PRIOR):
 *   pegs with a tent: (40 + 10 × 0.40) / (50 + 10) = 44/60;  lamp with a tent: (0 + 10 × 0.10) / 60 = 1/60.
 * Showing an item is assumed to raise that chance by economics.crossSellUplift (30%); bundles are taken by
 * 20% of the shoppers who would not have bought the rest; the conversion risk on the cart page is 0.4% of the
 * cart's margin (tent: 0.004 × 8,000 = 32).
 */
const meta = (id: string, price: number, cost: number | null): ItemMeta => ({
  id,
  title: id,
  category: null,
  family: null,
  priceMinor: price,
  costMinor: cost,
});
const baskets: string[][] = [];
const add = (n: number, b: string[]) => {
  for (let i = 0; i < n; i++) baskets.push(b);
};
add(40, ['tent', 'pegs']);
add(10, ['tent']);
add(10, ['stove', 'gas']);
add(30, ['stove']);
add(10, ['lamp']);
const modelWith = (pegsCost: number | null) =>
  buildModel(
    encodeBaskets(baskets),
    new Map([
      ['tent', meta('tent', 20_000, 12_000)],
      ['pegs', meta('pegs', 1_000, pegsCost)],
      ['stove', meta('stove', 5_000, 3_000)],
      ['gas', meta('gas', 800, 500)],
      ['lamp', meta('lamp', 3_000, null)],
    ]),
    { minSupport: 0.01, minConfidence: 0.1, maxLen: 2, topK: 10 },
    { version: 1, createdAt: '', currency: 'USD' },
  );
const model = modelWith(400);
const tentCart = {
  page: 'cart' as const,
  sessionId: 's',
  cart: [{ productId: 'tent', quantity: 1, unitPriceMinor: 20_000 }],
};
const config = (extra: object = {}) => parseOfferConfig({ holdoutShare: 0, ...extra });

test('a cross-sell earns only the uplift on what would be bought anyway: 44/60 × 30% × $6.00 − $0.32', () => {
  const d = decide(model, config(), tentCart);
  const o = d.offers.find((x) => x.id === 'cross-sell:pegs')!;
  // 0.7333 × 0.3 × 600 = 132; − 32 = 100. (Counting the whole margin of pegs bought anyway gave 408.)
  assert.equal(o.expectedProfitMinor, 100);
  assert.equal(o.marginBasis, 'product-cost');
  assert.match(o.reason, /added unprompted in 73\.3% of such carts, 95\.3% assumed when shown/);
});

test('a bundle whose discount goes to shoppers who would buy anyway is refused', () => {
  // tent + pegs at 2% off: discount 0.02 × 21,000 = 420; margin of the pegs 600.
  // (1 − 44/60) × 0.2 × (600 − 420) − 44/60 × 420 − 32 = 9.6 − 308 − 32 = −330.4.
  // Counting the take rate alone, 0.2 × (600 − 420) − 32 = +4 would have shown it.
  const d = decide(
    model,
    config({ bundles: [{ id: 'camp', title: 'Camp set', items: ['tent', 'pegs'], percentOff: 2 }] }),
    tentCart,
  );
  const r = d.refused.find((x) => x.id === 'bundle:camp')!;
  assert.equal(r.code, 'FAILS_RPS_TEST');
  assert.equal(r.expectedProfitMinor, -330);
  assert.ok(!d.offers.some((o) => o.type === 'bundle'));
});

test('a bundle of what this cart seldom leads to earns its take rate, with the assumed margin said', () => {
  // tent + lamp at 1% off: discount 0.01 × 23,000 = 230; the lamp has no cost: 40% of 3,000 = 1,200 assumed.
  // (1 − 1/60) × 0.2 × (1,200 − 230) − 1/60 × 230 − 32 = 190.767 − 3.833 − 32 = 154.93.
  const d = decide(
    model,
    config({ bundles: [{ id: 'night', title: 'Night set', items: ['tent', 'lamp'], percentOff: 1 }] }),
    tentCart,
  );
  const o = d.offers.find((x) => x.id === 'bundle:night')!;
  assert.equal(o.expectedProfitMinor, 155);
  assert.equal(o.marginBasis, 'assumed-margin');
});

test('a fallback with no evidence from the cart gets no value: refused NO_EVIDENCE', () => {
  // The lamp is always bought alone: nothing says what joins it. The popular fallback (the tent, in half of
  // all baskets) once counted 0.5 × 8,000 = 4,000 of value; now it is refused and costs only the risk,
  // 0.004 × (40% of 3,000) = 4.8.
  const d = decide(model, config(), {
    page: 'cart',
    sessionId: 's',
    cart: [{ productId: 'lamp', quantity: 1, unitPriceMinor: 3_000 }],
  });
  assert.deepEqual(d.offers, []);
  assert.equal(d.reasonCode, 'ALL_REFUSED');
  const r = d.refused.find((x) => x.id === 'cross-sell:tent')!;
  assert.equal(r.code, 'NO_EVIDENCE');
  assert.equal(r.expectedProfitMinor, -5);
});

test('without a product cost the configured default margin is used and stated', () => {
  // Pegs without a cost at economics.defaultMarginPercent 25: 44/60 × 0.3 × 250 − 32 = 55 − 32 = 23.
  const d = decide(modelWith(null), config({ economics: { defaultMarginPercent: 25 } }), tentCart);
  const o = d.offers.find((x) => x.id === 'cross-sell:pegs')!;
  assert.equal(o.expectedProfitMinor, 23);
  assert.equal(o.marginBasis, 'assumed-margin');
});

test('a volume tier counts its discount on the units the shopper was buying anyway', () => {
  // One stove in the cart, "buy 2, save 10%": one more unit adds 2,000 of margin, the discount is 10% of both
  // units (1,000); taken by 15%: 0.15 × (2,000 − 1,000) − 0.004 × 2,000 = 150 − 8 = 142.
  const d = decide(model, config({ volumeTiers: [{ minQuantity: 2, percentOff: 10 }] }), {
    page: 'cart',
    sessionId: 's',
    cart: [{ productId: 'stove', quantity: 1, unitPriceMinor: 5_000 }],
  });
  assert.equal(d.offers.find((x) => x.id === 'volume-tier:stove:2')?.expectedProfitMinor, 142);
});
