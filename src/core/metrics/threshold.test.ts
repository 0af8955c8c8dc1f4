import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateThreshold, marginByValue, pricePoint } from './threshold.js';

/** The profit change an estimate states at threshold T (NaN when T is not on its curve). */
const profitAt = (e: ReturnType<typeof estimateThreshold>, T: number): number =>
  e.curve.find((c) => c.threshold === T)?.profitChange ?? Number.NaN;

test('clean price points in any currency: 33 → 35, 77 → 80, 101 → 110, 1,200 → 1,200, 7,700 → 8,000', () => {
  assert.deepEqual([33, 77, 101, 1200, 7700, 0, -5].map(pricePoint), [35, 80, 110, 1200, 8000, 0, 0]);
});

test('without a margin the curve is revenue; with no top-up and no loss, raising the threshold only adds fees', () => {
  // 10 orders at $40.5 pay the $5 fee today ($50 threshold); 10 at $56.5 ship free. At $60 with nobody topping up
  // and nobody lost, the 10 at $56.5 start paying $5: +50. At $40 the 10 at $40.5 stop paying: −50.
  const e = estimateThreshold(
    {
      bins: [
        { unit: 40, orders: 10, paidShipping: 10 },
        { unit: 56, orders: 10, paidShipping: 0 },
      ],
      sessions: 100,
      current: 50,
      fee: 5,
      cost: 5,
      margin: null,
      response: { band: 0.5, bridgeAtThreshold: 0, abandonWhenCharged: 0 },
    },
    50,
  );
  const at = (T: number) => e.curve.find((c) => c.threshold === T);
  assert.equal(at(50)?.profitChange, 0);
  assert.equal(at(60)?.profitChange, 50);
  assert.equal(at(60)?.profitChangePerSession, 0.5);
  assert.equal(at(40)?.profitChange, -50);
  assert.equal(e.assumptions.margin, null);
});

test('with no threshold in force every figure is a number (nobody tops up to an infinite threshold)', () => {
  const e = estimateThreshold(
    {
      bins: [
        { unit: 30, orders: 10, paidShipping: 10 },
        { unit: 70, orders: 10, paidShipping: 10 },
      ],
      sessions: 100,
      current: null,
      fee: 5,
      cost: 5,
      margin: 0.5,
      response: { band: 0.5, bridgeAtThreshold: 0.45, abandonWhenCharged: 0.22 },
    },
    50,
  );
  assert.ok(e.curve.length > 0);
  for (const c of e.curve)
    for (const v of [c.profitChange, c.profitChangePerSession, c.bridged, c.dropped, c.gained])
      assert.ok(Number.isFinite(v), `${c.threshold}: ${JSON.stringify(c)}`);
});

test('a top-up adds merchandise at its own margin: the cart keeps the store margin, the filler earns its own', () => {
  // No threshold in force: 10 orders at $45.5 and 1 at $100.5 all pay the $5 fee, which is what shipping costs.
  // At $60 every cart in the band tops up (B large) and lands on $60, each adding $14.5 of filler; the $100.5
  // order stops paying. Margin 40% on the cart, 70% on the filler:
  // 10 × (0.4 × 45.5 + 0.7 × 14.5 − 5) − 10 × (0.4 × 45.5) − 5 = 51.5 − 5 = 46.5.
  const input = {
    bins: [
      { unit: 45, orders: 10, paidShipping: 10 },
      { unit: 100, orders: 1, paidShipping: 1 },
    ],
    sessions: 100,
    current: null,
    fee: 5,
    cost: 5,
    margin: 0.4,
    response: { band: 0.5, bridgeAtThreshold: 1e9, abandonWhenCharged: 0 },
  };
  const own = estimateThreshold({ ...input, topUpMargin: 0.7 }, 50.5);
  assert.ok(Math.abs(profitAt(own, 60) - 46.5) < 1e-9, `${profitAt(own, 60)}`);
  // The filler at the store's margin: 10 × (0.4 × 60 − 5) − 10 × 0.4 × 45.5 − 5 = 3.
  const same = estimateThreshold(input, 50.5);
  assert.ok(Math.abs(profitAt(same, 60) - 3) < 1e-9, `${profitAt(same, 60)}`);
  // Without costs every figure is revenue: the filler counts in full like the cart.
  const revenue = estimateThreshold({ ...input, margin: null, topUpMargin: 0.7 }, 50.5);
  assert.ok(
    Math.abs(profitAt(revenue, 60) - (10 * (60 - 5) - 10 * 45.5 - 5)) < 1e-9,
    `${profitAt(revenue, 60)}`,
  );
});

test('orders that topped up are put back at the carts they came from, measured rather than modelled', () => {
  // Today ($50, fee $5, revenue basis, 20% of charged carts lost): 8 orders at $40 paid shipping, 10 at $52 shipped
  // free, 4 of which topped up from a $45 cart through the bar, and 10 at $70. The carts behind them: 8 / 0.8 = 10
  // at $40.5, the 4 at $45.5, the 6 left at $52.5, 10 at $70.5. With nobody topping up at another threshold:
  // at $50: 8 × 40.5 + 3.2 × 45.5 + 6 × 47.5 + 10 × 65.5 = 1,409.6; at $45 the four $45.5 carts ship free:
  // 324 + 4 × 40.5 + 285 + 655 = 1,426 (+16.4); at $55 the $52.5 carts are charged: 324 + 145.6 + 4.8 × 52.5 + 655 =
  // 1,376.6 (−33). Modelled (no bar events), the four would stay among the $52 orders and $45 would change nothing.
  const input = {
    bins: [
      { unit: 40, orders: 8, paidShipping: 8 },
      { unit: 52, orders: 10, paidShipping: 0 },
      { unit: 70, orders: 10, paidShipping: 0 },
    ],
    sessions: 100,
    current: 50,
    fee: 5,
    cost: 5,
    margin: null,
    response: { band: 0.5, bridgeAtThreshold: 0, abandonWhenCharged: 0.2 },
  };
  const measured = estimateThreshold({ ...input, toppedUp: [{ before: 45, unit: 52, orders: 4 }] }, 50);
  assert.deepEqual(measured.latent, { source: 'events', toppedUpOrders: 4 });
  assert.ok(Math.abs(profitAt(measured, 45) - 16.4) < 1e-9, `${profitAt(measured, 45)}`);
  assert.ok(Math.abs(profitAt(measured, 55) + 33) < 1e-9, `${profitAt(measured, 55)}`);
  const modelled = estimateThreshold(input, 50);
  assert.deepEqual(modelled.latent, { source: 'model', toppedUpOrders: 0 });
  assert.ok(Math.abs(profitAt(modelled, 45)) < 1e-9, `${profitAt(modelled, 45)}`);
});

test('each cart value is priced at its own margin: a threshold that pays at the store average can lose', () => {
  // $50 in force, fee $5 = what shipping costs, nobody tops up, 20% of charged carts lost. 10 orders at $55 ship
  // free today; at $60 they are charged: 10 × (0.8 × (m × 55.5 + 5 − 5) − (m × 55.5 − 5)) = 10 × (5 − 0.2 × m × 55.5).
  // At the store's 40%: +5.6. The $55 carts' own lines sold at 60% margin: 10 × (5 − 6.66) = −16.6.
  const input = {
    bins: [
      { unit: 55, orders: 10, paidShipping: 0 },
      { unit: 100, orders: 10, paidShipping: 0 },
    ],
    sessions: 100,
    current: 50,
    fee: 5,
    cost: 5,
    margin: 0.4,
    response: { band: 0.5, bridgeAtThreshold: 0, abandonWhenCharged: 0.2 },
  };
  const binMargins = [
    { unit: 55, revenue: 2000, cost: 800 },
    { unit: 100, revenue: 2000, cost: 1600 },
  ];
  const average = estimateThreshold(input, 77);
  assert.ok(Math.abs(profitAt(average, 60) - 5.6) < 1e-9, `${profitAt(average, 60)}`);
  assert.equal(average.assumptions.marginByValue, false);
  const own = estimateThreshold({ ...input, binMargins }, 77);
  assert.ok(Math.abs(profitAt(own, 60) + 16.6) < 1e-9, `${profitAt(own, 60)}`);
  assert.equal(own.assumptions.marginByValue, true);
  // Without costs the figures are revenue whatever the bins say.
  const revenue = estimateThreshold({ ...input, margin: null, binMargins }, 77);
  assert.equal(revenue.assumptions.marginByValue, false);
  assert.ok(Math.abs(profitAt(revenue, 60) - 10 * (5 - 0.2 * 55.5)) < 1e-9, `${profitAt(revenue, 60)}`);
});

test('a value with too little costed revenue around it keeps the store margin', () => {
  const m = marginByValue(
    [
      { unit: 30, revenue: 100, cost: 20 },
      { unit: 60, revenue: 5000, cost: 3000 },
      { unit: 62, revenue: 1000, cost: 400 },
    ],
    0.5,
  );
  // $30.5: ±3.05 holds $100 of lines, less than 20 carts' worth (610): the store's 50%.
  assert.equal(m(30.5), 0.5);
  // $60.5: ±6.05 holds both the $60 and $62 bins: 1 − 3,400 / 6,000.
  assert.ok(Math.abs(m(60.5) - (1 - 3400 / 6000)) < 1e-12);
  // $70.5: ±7.05 reaches down to 63.45, past both bins' middles (60.5, 62.5): nothing there.
  assert.equal(m(70.5), 0.5);
});
