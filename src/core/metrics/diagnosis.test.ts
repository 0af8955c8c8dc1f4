import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change } from '../stats/compare.js';
import { historicValue } from './customers.js';
import { diagnose } from './diagnosis.js';

/** Customers with the given repeat rate (per 100), or none at all (repeat rate unknown). */
const customers = (repeatPer100: number | null) =>
  historicValue({
    customers: repeatPer100 == null ? 0 : 100,
    repeatCustomers: repeatPer100 ?? 0,
    orders: 0,
    spend: { from: null, to: null, customers: 0, netMinor: 0, cohorts: [] },
    margin: null,
    cacMinor: null,
    category: null,
  });

const base = {
  weeklySessions: [1000, 1000, 1000, 1000],
  cvr: 0.03 as number | null,
  aovChange: null as Change | null,
  mobileAovGap: null as number | null,
  customers: customers(25),
  justUnderShare: null as number | null,
  threshold: null as number | null,
  currency: 'USD',
};

const tactics = (d: ReturnType<typeof diagnose>) =>
  d.tactics.map((t) => t.tactic.split(':')[0]!.split(' (')[0]);

test('phase: mature from a 30% repeat rate, else stable or unstable weekly sessions, else unknown', () => {
  const mature = diagnose({ ...base, customers: customers(35) });
  assert.equal(mature.phase, 'mature');
  assert.equal(mature.phaseEvidence, 'repeat rate 35.0% (≥ 30%)');
  // Weeks 50, 150, 100: mean 100, s = √((50² + 50² + 0) / 2) = 50, CV 50% > 25%: early.
  const early = diagnose({ ...base, weeklySessions: [50, 150, 100] });
  assert.equal(early.phase, 'early');
  assert.equal(
    early.phaseEvidence,
    'weekly sessions vary by 50% (coefficient of variation; > 25%: unstable)',
  );
  // Four equal weeks: CV 0, stable.
  const steady = diagnose(base);
  assert.equal(steady.phase, 'scale-up');
  assert.equal(steady.phaseEvidence, 'weekly sessions vary by 0% (coefficient of variation; ≤ 25%: stable)');
  // Empty weeks are left out: 0, 100, 0, 100 leaves two weeks, too few to judge.
  const short = diagnose({ ...base, weeklySessions: [0, 100, 0, 100] });
  assert.equal(short.phase, 'unknown');
  assert.equal(short.phaseEvidence, 'no session history to judge stability');
  assert.equal(diagnose({ ...base, weeklySessions: [] }).phase, 'unknown');
});

test('weakest lever: conversion under 2%, then repeat under 20%, then a detectable AOV fall', () => {
  const low = diagnose({ ...base, cvr: 0.015 });
  assert.equal(low.weakestLever, 'cvr');
  assert.equal(low.weakestEvidence, 'conversion 1.50% is below the 2–3% typical of online stores');
  // Conversion comes first even when retention is weak too.
  assert.equal(diagnose({ ...base, cvr: 0.015, customers: customers(10) }).weakestLever, 'cvr');
  const churn = diagnose({ ...base, customers: customers(10) });
  assert.equal(churn.weakestLever, 'retention');
  assert.equal(churn.weakestEvidence, 'repeat rate 10.0% is below 20%');
  const fell: Change = {
    before: 5_000,
    after: 4_600,
    absolute: { value: -400, low: -600, high: -200 },
    relative: { value: -0.08, low: -0.12, high: -0.04 },
    detectable: true,
    mde: 0.03,
    confidence: 0.95,
  };
  const aov = diagnose({ ...base, aovChange: fell });
  assert.equal(aov.weakestLever, 'aov');
  assert.equal(aov.weakestEvidence, 'AOV fell 8.0% against the previous period (95% CI −12.0% to −4.0%)');
  // A fall the interval cannot tell from noise does not count: AOV is named only as the lever left.
  const noise = diagnose({
    ...base,
    aovChange: { ...fell, absolute: { value: -400, low: -900, high: 100 }, detectable: false },
  });
  assert.equal(noise.weakestLever, 'aov');
  assert.equal(noise.weakestEvidence, 'conversion 3.00% is healthy; order value is the lever left');
});

test('no sessions and no customers: no weakest lever, said in words', () => {
  const d = diagnose({ ...base, cvr: null, customers: customers(null), weeklySessions: [] });
  assert.equal(d.phase, 'unknown');
  assert.equal(d.weakestLever, null);
  assert.equal(d.weakestEvidence, 'conversion cannot be measured without sessions');
  // Only the cross-sell tactic stands, resting on the (unknown) phase evidence.
  assert.deepEqual(d.tactics, [
    {
      tactic: 'Cart-aware cross-sell and value bundles (R2, O4)',
      why: 'no session history to judge stability',
    },
  ]);
});

test('tactics in order, each with its evidence and its own cut-off', () => {
  const d = diagnose({
    ...base,
    cvr: 0.012,
    customers: customers(40),
    justUnderShare: 0.12,
    threshold: 50,
    mobileAovGap: 0.25,
  });
  assert.deepEqual(tactics(d), [
    'Protect conversion',
    'Free-shipping progress bar with cart fillers at $50.00',
    'Cart-aware cross-sell and value bundles',
    'Mobile cart',
    'Post-purchase follow-up, reorder reminders and loyalty tiers',
  ]);
  assert.equal(d.tactics[1]!.why, '12.0% of orders end within 20% below the threshold');
  assert.equal(d.tactics[3]!.why, 'mobile AOV is 25% below desktop');
  assert.equal(d.tactics[4]!.why, 'repeat rate 40.0%');
  // At the cut-offs exactly (5% just under, a 20% mobile gap) neither tactic is added.
  const edge = diagnose({ ...base, justUnderShare: 0.05, threshold: 50, mobileAovGap: 0.2 });
  assert.deepEqual(tactics(edge), ['Cart-aware cross-sell and value bundles']);
  assert.equal(edge.tactics[0]!.why, 'conversion 3.00% is healthy; order value is the lever left');
  // A threshold is shown in the store's currency: ¥5,000 has no minor units.
  const yen = diagnose({ ...base, currency: 'JPY', justUnderShare: 0.1, threshold: 5000 });
  assert.equal(yen.tactics[0]!.tactic, 'Free-shipping progress bar with cart fillers at ¥5,000 (O1, R4)');
});

test('an early store protects conversion and is not told to add order value yet', () => {
  const d = diagnose({ ...base, weeklySessions: [50, 150, 100] });
  assert.deepEqual(tactics(d), ['Protect conversion']);
  assert.match(d.tactics[0]!.why, /^weekly sessions vary by 50%/);
  // A stable store with healthy conversion is told to add order value, with the phase as the reason.
  const s = diagnose({ ...base, cvr: null });
  assert.equal(s.weakestLever, null);
  assert.equal(
    s.tactics[0]!.why,
    'weekly sessions vary by 0% (coefficient of variation; ≤ 25%: stable): ' +
      'stable enough to add order value',
  );
});
