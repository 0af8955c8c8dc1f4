import assert from 'node:assert/strict';
import { test } from 'node:test';
import { histogram, inferThreshold, justUnder, quantile, type ValueBin } from './basket.js';

const bin = (unit: number, orders: number, paidShipping = 0): ValueBin => ({ unit, orders, paidShipping });

test('quantiles walk the bins; an empty distribution has none', () => {
  const bins = [bin(10, 2), bin(20, 5), bin(30, 3)];
  assert.equal(quantile(bins, 0.5), 20); // 2 + 5 ≥ 5 of 10
  assert.equal(quantile(bins, 0.2), 10);
  assert.equal(quantile(bins, 0.9), 30);
  assert.equal(quantile([], 0.5), null);
});

test('the histogram has round bins up to the 99th percentile and keeps every order', () => {
  const bins = Array.from({ length: 100 }, (_, i) => bin(i, 1));
  const h = histogram(bins);
  assert.equal(h.binWidth, 5); // p99 = 98: 98 / 5 ≤ 25
  assert.equal(
    h.bins.reduce((s, b) => s + b.orders, 0),
    100,
  );
  assert.deepEqual([h.median, h.p90], [49, 89]);
});

test('the free-shipping threshold is inferred from who paid shipping, and only when the data shows one', () => {
  // Orders under $50 paid shipping, none above: the threshold is 50.
  const bins = [
    ...Array.from({ length: 50 }, (_, i) => bin(i, 2, 2)),
    ...Array.from({ length: 50 }, (_, i) => bin(50 + i, 2)),
  ];
  assert.equal(inferThreshold(bins), 50);
  assert.equal(inferThreshold(bins.map((b) => ({ ...b, paidShipping: b.orders }))), null, 'always charged');
  assert.equal(inferThreshold(bins.map((b) => ({ ...b, paidShipping: 0 }))), null, 'never charged');
  assert.equal(inferThreshold(bins.slice(0, 20)), null, 'too few orders');
});

test('orders just under the threshold: within 20% below it', () => {
  const j = justUnder([bin(35, 1), bin(40, 2), bin(49, 3), bin(50, 4)], 50);
  assert.deepEqual(j, { orders: 5, share: 0.5 });
});
