import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Change } from '../stats/compare.js';
import { EMPTY_AGGREGATE, leversOf } from './identity.js';
import { type Comparison, summarySentences } from './narrative.js';
import { rateMixSplit } from './segments.js';
import { NET_BASIS } from './summary.js';
import type { LeverChanges } from './uncertainty.js';

type Triple = [number, number, number];

/** A change given by its absolute and relative (value, low, high); detectable as the interval says. */
function change(abs: Triple, rel: Triple | null, mde: number | null = null): Change {
  return {
    before: 0,
    after: 0,
    absolute: { value: abs[0], low: abs[1], high: abs[2] },
    relative: rel && { value: rel[0], low: rel[1], high: rel[2] },
    detectable: abs[1] > 0 || abs[2] < 0,
    mde,
    confidence: 0.95,
  };
}

// 1,000 sessions, 40 bots: 960 human; 24 orders, net 135,000 cents.
// CVR 24 / 960 = 2.50%, AOV 135,000 / 24 = $56.25, RPS 135,000 / 960 = 140.625 ≈ $1.41.
const current = leversOf(
  {
    ...EMPTY_AGGREGATE,
    sessions: 1000,
    botAgent: 40,
    orders: 24,
    grossMinor: 144_000,
    discountMinor: 6_000,
    refundedMinor: 3_000,
  },
  NET_BASIS,
  true,
);

const noChanges: LeverChanges = { sessions: null, cvr: null, aov: null, rps: null, revenue: null };

const comparison = (changes: Partial<LeverChanges>, over: Partial<Comparison> = {}): Comparison => ({
  current,
  previous: current,
  changes: { ...noChanges, ...changes },
  totalsComparable: true,
  segments: {},
  ...over,
});

test('no earlier data: one sentence with the current figures, unknowns said as unknown', () => {
  assert.deepEqual(summarySentences({ ...comparison({}), previous: null, changes: null }, 'USD'), [
    'No earlier data to compare with. Sessions 960, conversion 2.50%, AOV $56.25, RPS $1.41, ' +
      'revenue $1,350.00.',
  ]);
  const ordersOnly = leversOf({ ...EMPTY_AGGREGATE }, NET_BASIS, false);
  assert.deepEqual(
    summarySentences({ ...comparison({}), current: ordersOnly, previous: null, changes: null }, 'USD'),
    [
      'No earlier data to compare with. Sessions unknown, conversion unknown, AOV unknown, RPS unknown, ' +
        'revenue $0.00.',
    ],
  );
});

test('each lever with its figure and interval; an interval covering zero is no detectable change', () => {
  const s = summarySentences(
    comparison({
      sessions: change([100, 60, 140], [0.12, 0.081, 0.16]),
      cvr: change([0.001, -0.0005, 0.0025], null),
      rps: change([1, -3, 5], [0.01, -0.03, 0.05], 0.055),
      revenue: change([3_000, -2_000, 8_000], [0.03, -0.02, 0.08]),
    }),
    'USD',
  );
  assert.deepEqual(s, [
    'Sessions 960 (+12.0%, 95% CI +8.1% to +16.0%).',
    'Conversion 2.50%: no detectable change (+0.10 pts, 95% CI −0.05 to +0.25 pts).',
    'RPS $1.41: no detectable change (+1.0%, 95% CI −3.0% to +5.0%); at this traffic a change under ±5.5% ' +
      'cannot be told from noise.',
    'Revenue $1,350.00: no detectable change (+3.0%, 95% CI −2.0% to +8.0%).',
  ]);
});

test('windows of different lengths: totals are shown, not compared; a change without a ratio is bare', () => {
  const s = summarySentences(
    comparison({ sessions: change([100, 60, 140], [0.12, 0.081, 0.16]) }, { totalsComparable: false }),
    'USD',
  );
  assert.deepEqual(s, [
    'Sessions 960 (not compared: the windows hold different numbers of days of data).',
    'Revenue $1,350.00 (not compared: the windows hold different numbers of days of data).',
  ]);
  // Revenue from zero: no relative change to quote, so no interval is printed beside it.
  const bare = summarySentences(comparison({ revenue: change([135_000, 100_000, 170_000], null) }), 'USD');
  assert.equal(bare.at(-1), 'Revenue $1,350.00.');
});

test('no sessions: one sentence says why conversion and RPS are missing', () => {
  const ordersOnly = { ...current, sessions: null, cvr: null, rpsMinor: null };
  const s = summarySentences(
    comparison({ cvr: change([0.01, 0.005, 0.015], null) }, { current: ordersOnly }),
    'USD',
  );
  assert.equal(
    s[0],
    'Sessions unknown: the data has orders but no sessions, so conversion and RPS cannot be measured.',
  );
  // The CVR change is not spoken of when the current CVR is unknown.
  assert.ok(!s.some((x) => x.startsWith('Conversion')));
});

test('the RPS verdict names only the levers whose own change is detectable', () => {
  const up = change([0.5, 0.2, 0.8], [0.04, 0.01, 0.07]);
  const down = change([-500, -800, -200], [-0.08, -0.12, -0.04]);
  const flat = change([10, -50, 70], [0.001, -0.01, 0.012]);
  const rps = (c: Partial<LeverChanges>) =>
    summarySentences(comparison({ rps: up, ...c }), 'USD').find((x) => x.startsWith('RPS'));
  assert.equal(
    rps({ cvr: up, aov: down }),
    'RPS $1.41 (+4.0%, 95% CI +1.0% to +7.0%), up: the conversion gain was paid for with AOV.',
  );
  assert.equal(
    rps({ cvr: down, aov: up }),
    'RPS $1.41 (+4.0%, 95% CI +1.0% to +7.0%), up: the AOV gain was ' + 'paid for with conversion.',
  );
  assert.equal(rps({ cvr: up, aov: up }), 'RPS $1.41 (+4.0%, 95% CI +1.0% to +7.0%), up: both levers rose.');
  assert.equal(rps({ cvr: flat, aov: up }), 'RPS $1.41 (+4.0%, 95% CI +1.0% to +7.0%), up: AOV rose.');
  assert.equal(rps({ cvr: flat, aov: flat }), 'RPS $1.41 (+4.0%, 95% CI +1.0% to +7.0%), up.');
  assert.equal(
    rps({ rps: down, cvr: down, aov: flat }),
    'RPS $1.41 (−8.0%, 95% CI −12.0% to −4.0%), down: conversion fell.',
  );
});

test('a detectable AOV change explained by mix names the segment whose share moved most', () => {
  // Orders by device 500/300/200 → 400/500/100 at unchanged AOVs $80, $50, $70: AOV $69 → $64, all of it mix.
  const split = rateMixSplit(
    [
      { segment: 'desktop', weight0: 500, value0: 8_000, weight1: 400, value1: 8_000 },
      { segment: 'mobile', weight0: 300, value0: 5_000, weight1: 500, value1: 5_000 },
      { segment: 'tablet', weight0: 200, value0: 7_000, weight1: 100, value1: 7_000 },
    ],
    6_900,
    6_400,
  );
  const s = summarySentences(
    comparison(
      { aov: change([-625, -900, -350], [-0.1, -0.15, -0.05]) },
      { segments: { device: { cvr: null, aov: split, rps: null } } },
    ),
    'USD',
  );
  assert.equal(
    s.find((x) => x.startsWith('AOV')),
    'AOV $56.25 (−10.0%, 95% CI −15.0% to −5.0%): mostly mix (−$5.00 of −$5.00 by device): ' +
      'the mobile share went from 30.0% to 50.0%, while no device fell.',
  );
  // Not detectable: no explanation, however clear the segments.
  const quiet = summarySentences(
    comparison(
      { aov: change([-625, -900, 50], [-0.1, -0.15, 0.01]) },
      { segments: { device: { cvr: null, aov: split, rps: null } } },
    ),
    'USD',
  );
  assert.equal(
    quiet.find((x) => x.startsWith('AOV')),
    'AOV $56.25: no detectable change (−10.0%, 95% CI −15.0% to +1.0%).',
  );
});

test('a detectable CVR change driven by rates names the segment whose own rate moved most', () => {
  // Equal shares; desktop 3% → 2%, mobile 2% → 2%: CVR 2.5% → 2.0%, all of it rate, all of it desktop.
  const split = rateMixSplit(
    [
      { segment: 'desktop', weight0: 500, value0: 0.03, weight1: 500, value1: 0.02 },
      { segment: 'mobile', weight0: 500, value0: 0.02, weight1: 500, value1: 0.02 },
    ],
    0.025,
    0.02,
  );
  const s = summarySentences(
    comparison(
      { cvr: change([-0.005, -0.008, -0.002], null) },
      { segments: { device: { cvr: split, aov: null, rps: null } } },
    ),
    'USD',
  );
  assert.equal(
    s.find((x) => x.startsWith('Conversion')),
    'Conversion 2.50% (−0.50 pts, 95% CI −0.80 to −0.20 pts): the drop is largest on device desktop.',
  );
  // Without segments a detectable change is stated, not explained.
  const plain = summarySentences(comparison({ cvr: change([-0.005, -0.008, -0.002], null) }), 'USD');
  assert.equal(
    plain.find((x) => x.startsWith('Conversion')),
    'Conversion 2.50% (−0.50 pts, 95% CI −0.80 to −0.20 pts).',
  );
});
