import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_AGGREGATE, EMPTY_SUMS, leversOf, type Aggregate } from './identity.js';
import { NET_BASIS } from './summary.js';
import { leverChanges, leverEstimates, MIN_ORDERS_FOR_AOV } from './uncertainty.js';

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

// Four sessions: orders per session 1, 0, 0, 1 and revenue 100, 0, 0, 300 (minor units).
const small: Aggregate = {
  ...EMPTY_AGGREGATE,
  sessions: 4,
  orders: 2,
  linkedOrders: 2,
  grossMinor: 400,
  units: { n: 4, extra: 0, so: 2, soo: 2, sr: 400, srr: 100_000, sor: 400 },
};

test('CVR and RPS are means per session with s²/n; totals fall back to Poisson and compound Poisson', () => {
  const e = leverEstimates(small, leversOf(small, NET_BASIS, true));
  // CVR: mean 2/4 = 0.5; s² = (2 − 4·0.25)/3 = 1/3, so Var = 1/12.
  close(e.cvr!.value, 0.5, 'cvr');
  close(e.cvr!.variance, 1 / 12, 'cvr variance');
  // RPS: mean 400/4 = 100; s² = (100,000 − 4·100²)/3 = 20,000, so Var = 5,000.
  close(e.rps!.value, 100, 'rps');
  close(e.rps!.variance, 5_000, 'rps variance');
  // Sessions: a Poisson count (variance = count); revenue: Σr = 400 with Var Σr² = 100,000.
  assert.deepEqual(e.sessions, { value: 4, variance: 4, n: 4 });
  assert.deepEqual(e.revenue, { value: 400, variance: 100_000, n: 4 });
  // 2 orders are far from the 30 an AOV interval needs.
  assert.equal(e.aov, null);
});

test('with daily figures, totals take days as units: n × s² of the daily values', () => {
  const e = leverEstimates(small, leversOf(small, NET_BASIS, true), {
    sessions: [1, 3],
    revenueMinor: [100, 300],
  });
  // Sessions days 1, 3: mean 2, s² = 2, Var = 2 × 2 = 4; value is the window's sessions (4).
  assert.deepEqual(e.sessions, { value: 4, variance: 4, n: 2 });
  // Revenue days 100, 300: mean 200, s² = 20,000, Var = 40,000.
  assert.deepEqual(e.revenue, { value: 400, variance: 40_000, n: 2 });
  // A single day has no spread to measure: no interval rather than a zero variance.
  const one = leverEstimates(small, leversOf(small, NET_BASIS, true), { sessions: [4], revenueMinor: [400] });
  assert.equal(one.sessions, null);
  assert.equal(one.revenue, null);
});

test(`AOV gets an interval from ${MIN_ORDERS_FOR_AOV} orders; equal orders: exact AOV, variance 0`, () => {
  // 60 sessions, 30 with one order of 100: AOV 3,000 / 30 = 100, every order the same, so no variance.
  const units = (orders: number) => ({
    n: 60,
    extra: 0,
    so: orders,
    soo: orders,
    sr: 100 * orders,
    srr: 10_000 * orders,
    sor: 100 * orders,
  });
  const a30: Aggregate = {
    ...EMPTY_AGGREGATE,
    sessions: 60,
    orders: 30,
    grossMinor: 3_000,
    units: units(30),
  };
  const e = leverEstimates(a30, leversOf(a30, NET_BASIS, true));
  close(e.aov!.value, 100, 'aov');
  close(e.aov!.variance, 0, 'aov variance');
  assert.equal(e.aov!.n, 60);
  const a29: Aggregate = { ...a30, orders: 29, grossMinor: 2_900, units: units(29) };
  assert.equal(leverEstimates(a29, leversOf(a29, NET_BASIS, true)).aov, null);
});

test('an estimate only stands beside a known lever: no sessions, no orders, unpriced orders', () => {
  // No sessions in the data: no session, CVR or RPS estimate; revenue from 2 orders (100, 400) as units.
  const orphan: Aggregate = {
    ...EMPTY_AGGREGATE,
    orders: 2,
    grossMinor: 500,
    units: { ...EMPTY_SUMS, extra: 2, so: 2, soo: 2, sr: 500, srr: 170_000, sor: 500 },
  };
  const e = leverEstimates(orphan, leversOf(orphan, NET_BASIS, false));
  assert.deepEqual([e.sessions, e.cvr, e.rps, e.aov], [null, null, null, null]);
  assert.deepEqual(e.revenue, { value: 500, variance: 170_000, n: 2 });
  // Daily totals are not used without sessions: revenue keeps the compound Poisson variance.
  const withDays = leverEstimates(orphan, leversOf(orphan, NET_BASIS, false), {
    sessions: [],
    revenueMinor: [100, 400],
  });
  assert.deepEqual(withDays.revenue, { value: 500, variance: 170_000, n: 2 });
  // Sessions but no orders: CVR and RPS are 0 with variance 0; there is no revenue to estimate.
  const quiet: Aggregate = { ...EMPTY_AGGREGATE, sessions: 10, units: { ...EMPTY_SUMS, n: 10 } };
  const q = leverEstimates(quiet, leversOf(quiet, NET_BASIS, true));
  assert.deepEqual(q.cvr, { value: 0, variance: 0, n: 10 });
  assert.equal(q.revenue, null);
  // An unpriced order: RPS unknown, so no RPS estimate either.
  const unpriced = { ...small, unpricedOrders: 1 };
  assert.equal(leverEstimates(unpriced, leversOf(unpriced, NET_BASIS, true)).rps, null);
});

test('leverChanges compares lever by lever at the asked confidence; a missing side gives null', () => {
  const before = {
    sessions: { value: 1_000, variance: 1_000, n: 1_000 },
    cvr: null,
    aov: null,
    rps: { value: 100, variance: 4, n: 1_000 },
    revenue: null,
  };
  const after = { ...before, sessions: { value: 1_100, variance: 1_100, n: 1_100 }, cvr: before.rps };
  const c = leverChanges(before, after);
  // Sessions +100, se √2,100 ≈ 45.83, ±1.96 se ≈ ±89.82: detectable.
  close(c.sessions!.absolute.value, 100, 'Δ sessions');
  close(c.sessions!.absolute.low, 100 - 1.959963984540054 * Math.sqrt(2_100), 'Δ low');
  assert.equal(c.sessions!.detectable, true);
  assert.equal(c.sessions!.confidence, 0.95);
  // RPS unchanged: Δ 0, interval symmetric around it, not detectable.
  assert.equal(c.rps!.absolute.value, 0);
  assert.equal(c.rps!.detectable, false);
  assert.deepEqual([c.cvr, c.aov, c.revenue], [null, null, null]);
  // At α = 0.5 the interval is ±0.674 se: narrower, same centre.
  const wide = leverChanges(before, after, 0.5).sessions!;
  assert.equal(wide.confidence, 0.5);
  assert.ok(wide.absolute.high - wide.absolute.low < c.sessions!.absolute.high - c.sessions!.absolute.low);
  close(wide.absolute.high, 100 + 0.6744897501960817 * Math.sqrt(2_100), 'Δ high at 50%');
});
