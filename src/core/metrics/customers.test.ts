import assert from 'node:assert/strict';
import { test } from 'node:test';
import { historicValue, retention } from './customers.js';

const spend = {
  from: '2025-01-01',
  to: '2025-12-31',
  customers: 100,
  netMinor: 1_200_000,
  cohorts: [
    { cohort: '2025-01', customers: 60, spend90Minor: 8_000, spend365Minor: 15_000, full365: true },
    { cohort: '2025-06', customers: 40, spend90Minor: 9_000, spend365Minor: 9_000, full365: false },
  ],
};

test('historic value is what customers spent (× margin when known), not a projection', () => {
  // 100 customers spent 1,200,000: 12,000 each; with a 40% margin 4,800. 25 of 100 repeat: lifespan 1/0.75.
  const v = historicValue({
    customers: 100,
    repeatCustomers: 25,
    orders: 140,
    spend,
    margin: 0.4,
    cacMinor: 2_400,
    category: null,
  });
  assert.equal(v.repeatRate, 0.25);
  assert.equal(v.frequency, 1.4);
  assert.ok(Math.abs(v.lifespan! - 4 / 3) < 1e-12);
  assert.equal(v.ltvMinor, 4_800);
  assert.equal(v.ltvToCac, 2);
  // First-year value only over cohorts observed a whole year: 15,000 × 40%.
  assert.equal(v.firstYearMinor, 6_000);
  assert.deepEqual(v.spendWindow, { from: '2025-01-01', to: '2025-12-31' });
});

test('no customers: every figure unknown, never NaN', () => {
  const v = historicValue({
    customers: 0,
    repeatCustomers: 0,
    orders: 0,
    spend: { from: null, to: null, customers: 0, netMinor: 0, cohorts: [] },
    margin: null,
    cacMinor: null,
    category: null,
  });
  assert.deepEqual(
    [v.repeatRate, v.frequency, v.lifespan, v.ltvMinor, v.firstYearMinor],
    [null, null, null, null, null],
  );
});

test('cohort retention: the share of each first-order cohort ordering k months later', () => {
  const r = retention([
    { cohort: '2025-01', offset: 0, customers: 10 },
    { cohort: '2025-01', offset: 1, customers: 3 },
    { cohort: '2025-02', offset: 0, customers: 4 },
  ]);
  assert.deepEqual(r.cohorts, ['2025-01', '2025-02']);
  assert.equal(r.matrix[0]![0], 1);
  assert.equal(r.matrix[0]![1], 0.3);
  assert.equal(r.matrix[1]![0], 1);
});

test('a month without a cohort of its own still passes: later cohorts keep what they have', () => {
  // 2025-01 and 2025-03, the last data in 2025-04: 2025-03 is observable at offsets 0 and 1.
  const r = retention([
    { cohort: '2025-01', offset: 0, customers: 10 },
    { cohort: '2025-01', offset: 1, customers: 4 },
    { cohort: '2025-03', offset: 0, customers: 5 },
    { cohort: '2025-03', offset: 1, customers: 2 },
  ]);
  assert.deepEqual(r.matrix[1], [1, 0.4]);
});
