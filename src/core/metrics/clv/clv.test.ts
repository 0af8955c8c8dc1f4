import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  type ClvOptions,
  clvValuer,
  customerLifetimeValue,
  fitClv,
  summarisePurchases,
  topValues,
  valueCustomers,
} from './clv.js';
import type { CustomerPurchases } from './rfm.js';

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** n shoppers: a first order in days 0–119, then 0–3 repeats 7–46 days apart, each worth $20–$80. */
function shoppers(n: number, seed: number): CustomerPurchases[] {
  const rnd = lcg(seed);
  return Array.from({ length: n }, (_, i) => {
    const days = [Math.floor(rnd() * 120)];
    const values = [2_000 + Math.floor(rnd() * 6_000)];
    const k = Math.floor(rnd() * 4);
    for (let j = 0; j < k; j++) {
      days.push(days.at(-1)! + 7 + Math.floor(rnd() * 40));
      values.push(2_000 + Math.floor(rnd() * 6_000));
    }
    return { customerId: `c${i}`, days, values };
  });
}

const options: ClvOptions = {
  calibrationEndDay: 180,
  holdoutEndDay: 270,
  horizonMonths: 12,
  discountRate: 0,
  margin: 0.5,
  minorPerMajor: 100,
};

const many = shoppers(80, 3);
const result = customerLifetimeValue(many, options);

test('counts, the holdout and the tracking weeks come from the purchases as they are', () => {
  // Every first order (day ≤ 119) is before the calibration end, so every shopper is a customer.
  assert.equal(result.customers, 80);
  const calibRepeaters = many.filter((c) => c.days.slice(1).some((d) => d <= 180)).length;
  assert.equal(result.repeaters, calibRepeaters);
  const inHoldout = many.reduce((s, c) => s + c.days.filter((d) => d > 180 && d <= 270).length, 0);
  assert.deepEqual([result.holdout!.weeks, result.holdout!.actualRepeats], [90 / 7, inHoldout]);
  assert.ok(Number.isFinite(result.holdout!.predictedRepeats) && result.holdout!.predictedRepeats > 0);
  // Weeks from the first purchase in the data to the holdout end, rounded up.
  const start = Math.min(...many.map((c) => c.days[0]!));
  assert.equal(result.tracking.length, Math.ceil((270 - start) / 7));
  const repeats = many.reduce(
    (s, c) => s + c.days.slice(1).filter((d) => d < start + 7 * result.tracking.length).length,
    0,
  );
  assert.equal(result.tracking.at(-1)!.actual, repeats);
  for (let i = 1; i < result.tracking.length; i++) {
    assert.ok(result.tracking[i]!.actual >= result.tracking[i - 1]!.actual, 'cumulative actual');
    assert.ok(result.tracking[i]!.predicted >= result.tracking[i - 1]!.predicted, 'cumulative forecast');
  }
});

test('each value is E[purchases] × E[spend] × margin when undiscounted, ranked highest first', () => {
  assert.equal(result.values.length, 80);
  assert.equal(result.margin, 0.5);
  assert.ok(result.gammaGamma, 'ten or more repeaters: spend is modelled');
  for (const v of result.values) {
    // With no discount the monthly increments add up to the 12-month total.
    const expected = v.expectedPurchases * v.expectedSpendMinor * 0.5;
    assert.ok(
      Math.abs(v.clvMinor - expected) < 1e-9 * expected,
      `${v.customerId}: ${v.clvMinor} vs ${expected}`,
    );
    assert.ok(v.probabilityAlive > 0 && v.probabilityAlive <= 1);
    assert.ok(Number.isFinite(v.clvMinor) && v.clvMinor > 0);
  }
  for (let i = 1; i < 80; i++) assert.ok(result.values[i - 1]!.clvMinor >= result.values[i]!.clvMinor);
  // A customer with no repeat is given the population's mean spend, p γ / (q − 1), in minor units.
  const { p, q, gamma } = result.gammaGamma!.params;
  const oneTimer = result.values.find((v) => v.x === 0)!;
  assert.ok(Math.abs(oneTimer.expectedSpendMinor - ((p * gamma) / (q - 1)) * 100) < 1e-6);
  assert.equal(oneTimer.probabilityAlive, 1);
});

test('discounting lowers every value; no margin means revenue; a clock times the fits', () => {
  let t = 0;
  const r = customerLifetimeValue(many, {
    ...options,
    discountRate: 0.01,
    margin: null,
    clock: () => (t += 7),
  });
  assert.equal(r.fitMs, 7);
  assert.equal(result.fitMs, 0, 'no clock, no time');
  assert.equal(r.margin, null);
  const undiscounted = new Map(result.values.map((v) => [v.customerId, v.clvMinor / 0.5]));
  for (const v of r.values) {
    const full = undiscounted.get(v.customerId)!;
    // 1% a month: every month's purchases are worth less, the first already by 1/1.01.
    assert.ok(v.clvMinor < full / 1.01 + 1e-9 && v.clvMinor > full / 1.01 ** 12, v.customerId);
  }
});

test('one month ahead: the month’s expected purchases × spend × margin, discounted once', () => {
  const r = customerLifetimeValue(many, { ...options, horizonMonths: 1, discountRate: 0.01 });
  for (const v of r.values) {
    const expected = (v.expectedPurchases * v.expectedSpendMinor * 0.5) / 1.01;
    assert.ok(
      Math.abs(v.clvMinor - expected) < 1e-9 * expected,
      `${v.customerId}: ${v.clvMinor} vs ${expected}`,
    );
  }
  // A month holds fewer expected purchases than a year.
  const year = new Map(result.values.map((v) => [v.customerId, v.expectedPurchases]));
  for (const v of r.values) assert.ok(v.expectedPurchases < year.get(v.customerId)!, v.customerId);
});

test('few repeaters: spend is each customer’s own mean; no holdout when it has no length', () => {
  const few = shoppers(12, 5);
  const r = customerLifetimeValue(few, { ...options, holdoutEndDay: 180, horizonMonths: 6 });
  assert.ok(r.repeaters < 10);
  assert.equal(r.gammaGamma, null);
  assert.equal(r.holdout, null);
  for (const v of r.values) {
    const c = few.find((x) => x.customerId === v.customerId)!;
    const repeatValues = c.values.filter((_, i) => i > 0 && c.days[i]! <= 180);
    const mean = repeatValues.length ? repeatValues.reduce((s, x) => s + x, 0) / repeatValues.length : 0;
    assert.equal(v.expectedSpendMinor, mean, v.customerId);
  }
});

test('nobody bought again before the calibration end: refused, not modelled', () => {
  const once = [
    { customerId: 'a', days: [0], values: [1_000] },
    { customerId: 'b', days: [3, 200], values: [1_000, 500] },
  ];
  assert.throws(
    () => customerLifetimeValue(once, options),
    /no customer bought again before the calibration end/,
  );
});

test('summaries: patterns, births and spenders in the order of their first customer, each customer once', () => {
  const { summaries: s, customers } = summarisePurchases(many, 180, 270);
  assert.equal(customers.length, 80);
  assert.equal(
    s.patterns.reduce((n, p) => n + p.n, 0),
    80,
  );
  assert.equal(
    s.births.reduce((n, b) => n + b.n, 0),
    80,
  );
  const firstOf = (p: { x: number; txDays: number; TDays: number }) =>
    customers.findIndex((c) => c.x === p.x && c.txDays === p.txDays && c.TDays === p.TDays);
  const order = s.patterns.map(firstOf);
  assert.deepEqual(
    order,
    [...order].sort((a, b) => a - b),
  );
  const spenders = customers.filter((c) => c.x > 0 && c.repeatMinor > 0);
  assert.deepEqual(s.spenders, {
    x: spenders.map((c) => c.x),
    repeatMinor: spenders.map((c) => c.repeatMinor),
  });
  assert.equal(s.holdoutRepeats, result.holdout!.actualRepeats);
});

test('the ranking SQL computes (margin × spend × the pattern’s factor) is each customer’s value', () => {
  for (const o of [options, { ...options, discountRate: 0.01, margin: null }]) {
    const { summaries, customers } = summarisePurchases(many, o.calibrationEndDay, o.holdoutEndDay);
    const fit = fitClv(summaries, o);
    const valuer = clvValuer(fit, o);
    const r = valuer.ranking(summaries.patterns);
    assert.equal(r.margin, o.margin ?? 1);
    const factor = new Map(r.patterns.map((p) => [`${p.x}|${p.txDays}|${p.TDays}`, p.factor]));
    for (const c of customers) {
      const v = valuer.value(c);
      const mean = c.x ? c.repeatMinor / c.x : 0;
      const g = r.gammaGamma!;
      const spend = c.x
        ? ((g.gamma + (c.x * mean) / r.minorPerMajor) * g.p * r.minorPerMajor) / (g.p * c.x + g.q - 1)
        : r.spendWithoutRepeats;
      const score = r.margin * spend * factor.get(`${c.x}|${c.txDays}|${c.TDays}`)!;
      assert.ok(
        Math.abs(score - v.clvMinor) <= 1e-12 * v.clvMinor,
        `${c.customerId}: ${score} vs ${v.clvMinor}`,
      );
    }
    // The top n of any superset of the top n, valued exactly, is the top n of everyone.
    const all = valueCustomers(valuer, customers);
    const byId = new Set(all.slice(0, 15).map((v) => v.customerId));
    const candidates = customers.filter((c, i) => byId.has(c.customerId) || i % 3 === 0);
    assert.deepEqual(topValues(valuer, candidates, 10), all.slice(0, 10));
  }
});
