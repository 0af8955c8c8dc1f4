import assert from 'node:assert/strict';
import { test } from 'node:test';
import { estimateResponse, MIN_SHOWN } from './shipping-response.js';
import { DEFAULT_RESPONSE, estimateThreshold } from './threshold.js';

const close = (a: number | null, b: number, tol = 1e-9) =>
  assert.ok(a != null && Math.abs(a - b) < tol, `${a} is not ${b}`);

test('top-up strength from the progress bar: Σ topped up / Σ shown × (1 − gap / (band × T)), binomial CI', () => {
  // T = 50, band 50%: the band is 25 wide. Gap 4 weighs 1 − 4.5/25 = 0.82, gap 19 weighs 0.22.
  // B = (41 + 11) / (100 × 0.82 + 100 × 0.22) = 52 / 104 = 0.5; SE = √(100·0.41·0.59 + 100·0.11·0.89) / 104.
  // Figures from Python (statistics.NormalDist): 0.5, [0.390143, 0.609857].
  const r = estimateResponse({
    threshold: 50,
    progress: [
      { gap: 4, shown: 100, accepted: 41 },
      { gap: 19, shown: 100, accepted: 11 },
      { gap: 30, shown: 500, accepted: 0 },
    ],
    checkouts: [],
  });
  const b = r.bridgeAtThreshold;
  assert.equal(b.source, 'data');
  close(b.value, 0.5);
  close(b.low, 0.390143, 1e-6);
  close(b.high, 0.609857, 1e-6);
  assert.match(b.basis, /52 of 200 carts shown the progress bar within the band topped up/);
});

test('orders lost when charged: 1 − (orders per checkout below T) / (above T), CI on the log ratio', () => {
  // Below (25–50): 100 of 200 checkouts ordered; above (50–75): 160 of 200. 1 − 0.5/0.8 = 0.375.
  // SE of ln(ratio) = √((1 − 0.5)/100 + (1 − 0.8)/160); Python: [0.270251, 0.464713].
  const r = estimateResponse({
    threshold: 50,
    progress: [],
    checkouts: [
      { unit: 30, checkouts: 120, orders: 60 },
      { unit: 45, checkouts: 80, orders: 40 },
      { unit: 55, checkouts: 200, orders: 160 },
      { unit: 90, checkouts: 999, orders: 999 },
    ],
  });
  const a = r.abandonWhenCharged;
  assert.equal(a.source, 'data');
  close(a.value, 0.375);
  close(a.low, 0.270251, 1e-6);
  close(a.high, 0.464713, 1e-6);
});

test('without the data, the defaults stand and say why; given values win over data', () => {
  const none = estimateResponse({
    threshold: 50,
    progress: [{ gap: 3, shown: MIN_SHOWN - 1, accepted: 50 }],
    checkouts: [],
  });
  assert.equal(none.bridgeAtThreshold.source, 'assumed');
  assert.equal(none.bridgeAtThreshold.value, DEFAULT_RESPONSE.bridgeAtThreshold);
  assert.match(none.bridgeAtThreshold.basis, /only 99 carts/);
  assert.match(none.abandonWhenCharged.basis, /no checkout events/);
  assert.equal(estimateResponse({ threshold: null, progress: [], checkouts: [] }).band.source, 'assumed');
  const given = estimateResponse({
    threshold: 50,
    progress: [{ gap: 3, shown: 1000, accepted: 900 }],
    checkouts: [],
    given: { bridgeAtThreshold: 0.3, band: 0.4 },
  });
  assert.deepEqual([given.bridgeAtThreshold.value, given.bridgeAtThreshold.source], [0.3, 'option']);
  assert.deepEqual([given.band.value, given.band.source], [0.4, 'option']);
});

test("orders bunched above today's threshold are not counted as carts that could top up again", () => {
  // Today $50 with B = 0.5, band 50%, nothing lost when charged. 10 carts at $40.5 (gap 9.5, weight
  // 1 − 9.5/25 = 0.62, top-up 0.31) leave 6.9 orders at $40.5 and 3.1 at $50.5; 20 orders at $80.5. Taken back,
  // every threshold is priced on 10 carts at $40.5 and 20 at $80.5: the current one comes out at 0 change. At
  // $40 the 3.1 carts no longer top up by $9.50 (× 50% margin: −4.75 each) and the 6.9 that paid the $5 fee
  // ship free at a $5 cost (−5 each): 3.1 × −4.75 + 6.9 × −5 = −49.225.
  const bins = [
    { unit: 40, orders: 10 * (1 - 0.5 * (1 - 9.5 / 25)), paidShipping: 0, shippingMinor: 0 },
    { unit: 50, orders: 10 * 0.5 * (1 - 9.5 / 25), paidShipping: 0, shippingMinor: 0 },
    { unit: 80, orders: 20, paidShipping: 0, shippingMinor: 0 },
  ];
  const e = estimateThreshold(
    {
      bins,
      sessions: 1000,
      current: 50,
      fee: 5,
      cost: 5,
      margin: 0.5,
      response: { band: 0.5, bridgeAtThreshold: 0.5, abandonWhenCharged: 0 },
    },
    60,
  );
  close(e.curve.find((c) => c.threshold === 50)?.profitChange ?? null, 0, 1e-9);
  close(e.curve.find((c) => c.threshold === 40)?.profitChange ?? null, -49.225, 1e-9);
});

test('margin on what a top-up adds: measured from the sold top-up lines, else the store margin, and said', () => {
  const base = { threshold: 50, progress: [], checkouts: [] };
  const measured = estimateResponse({
    ...base,
    margin: 0.4,
    topUpLines: { revenue: 1000, cost: 350, lines: 40 },
  });
  assert.equal(measured.topUpMargin.source, 'data');
  close(measured.topUpMargin.value, 0.65);
  assert.match(measured.topUpMargin.basis, /40 sold lines/);
  const few = estimateResponse({ ...base, margin: 0.4, topUpLines: { revenue: 1000, cost: 350, lines: 29 } });
  assert.deepEqual([few.topUpMargin.value, few.topUpMargin.source], [0.4, 'assumed']);
  assert.match(few.topUpMargin.basis, /29 sold top-up lines .*30 needed/);
  const noCosts = estimateResponse({
    ...base,
    margin: null,
    topUpLines: { revenue: 1000, cost: null, lines: 99 },
  });
  assert.deepEqual([noCosts.topUpMargin.value, noCosts.topUpMargin.source], [1, 'assumed']);
});

test('orders lost when charged are compared within each device (Mantel–Haenszel), not across the device mix', () => {
  // Desktop: 120 of 200 checkouts below T ordered, 240 of 300 above (0.6 / 0.8: 25% lost). Mobile, which buys
  // less and fills smaller carts: 160 of 400 below, 50 of 100 above (0.4 / 0.5: 20% lost). Pooled crudely the
  // mix reads as 35.6% lost. MH risk ratio 0.764706 → 23.5% lost; Greenland–Robins variance of its log, 95% CI
  // [14.4%, 31.6%] (Python, statistics.NormalDist).
  const r = estimateResponse({
    threshold: 50,
    progress: [],
    checkouts: [
      { unit: 40, stratum: 'desktop', checkouts: 200, orders: 120 },
      { unit: 60, stratum: 'desktop', checkouts: 300, orders: 240 },
      { unit: 40, stratum: 'mobile', checkouts: 400, orders: 160 },
      { unit: 60, stratum: 'mobile', checkouts: 100, orders: 50 },
      { unit: 90, stratum: 'mobile', checkouts: 999, orders: 0 },
    ],
  });
  const a = r.abandonWhenCharged;
  close(a.value, 0.23529411764705888, 1e-12);
  close(a.low, 0.14444512277458355, 1e-9);
  close(a.high, 0.3164961102184014, 1e-9);
  assert.match(a.basis, /within each of 2 devices/);
});
