import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { RewardSums } from '../store/port.js';
import { rewardOf } from './bandit.js';

const row = (segment: string, soldMinor: number, costedMinor: number): RewardSums => ({
  segment,
  n: 1000,
  revenue: { sx: 150_000, sxx: 9e8 },
  profit: { sx: 60_000, sxx: 2e8 },
  soldMinor,
  costedMinor,
});

test('the reward says what it rests on: profit from costs, the assumed margin, or revenue when no cost is known', () => {
  const basis = { assumedMargin: 0.4, shippingCostMinor: 695 };
  assert.deepEqual(rewardOf('profit', [row('a', 50_000, 0), row('b', 70_000, 0)], basis), {
    reward: 'rps',
    note: 'revenue per session, not profit: no product sold in the experiment has a cost (load product costs to optimise profit)',
  });
  assert.deepEqual(rewardOf('profit', [row('a', 50_000, 20_000), row('b', 70_000, 28_000)], basis), {
    reward: 'profit',
    note:
      'profit per session: product costs cover 40% of the merchandise sold; the rest is priced at the assumed 40% ' +
      'margin; shipping charged less what it costs the store per order',
  });
  assert.deepEqual(
    rewardOf('profit', [row('a', 50_000, 50_000)], { assumedMargin: 0.4, shippingCostMinor: null }).note,
    'profit per session: product costs cover all the merchandise sold; shipping left out (no freeShipping section to say what it costs)',
  );
  assert.deepEqual(rewardOf('rps', [row('a', 50_000, 50_000)], basis), { reward: 'rps', note: null });
});
