import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DAY_MS } from '../../time.js';
import { actualCumulativeRepeats, dayRange, rfmSummaries, toDay, type CustomerPurchases } from './rfm.js';

// Days since an epoch; the calibration ends on day 28 (week 4), the holdout on day 42 (week 6).
const purchases: CustomerPurchases[] = [
  // Two purchases on day 7 are one transaction of 50 + 30 = 80.
  { customerId: 'a', days: [0, 7, 7, 21, 35], values: [100, 50, 30, 80, 60] },
  { customerId: 'b', days: [14], values: [40] },
  // First bought after the calibration end: not in the calibration at all.
  { customerId: 'c', days: [30, 40], values: [10, 20] },
];

test('calibration summaries in weeks from the first purchase: x repeats, t_x the last, T observed', () => {
  const rfm = rfmSummaries(purchases, 28, 42);
  assert.deepEqual(rfm, [
    // Transactions on days 0, 7, 21 in calibration: 2 repeats (80 and 80), the last in week 3, observed
    // 4 weeks; day 35 falls in the holdout.
    { customerId: 'a', x: 2, tx: 3, T: 4, meanRepeatMinor: 80, holdoutX: 1, birthWeek: 0 },
    // One purchase on day 14: no repeat, observed for (28 − 14) / 7 = 2 weeks, born in week 2.
    { customerId: 'b', x: 0, tx: 0, T: 2, meanRepeatMinor: 0, holdoutX: 0, birthWeek: 2 },
  ]);
});

test('purchases out of order are sorted; the holdout ends where it is told to', () => {
  const shuffled = [{ customerId: 'a', days: [35, 21, 7, 0, 7], values: [60, 80, 30, 100, 50] }];
  assert.deepEqual(rfmSummaries(shuffled, 28, 42), rfmSummaries([purchases[0]!], 28, 42));
  // A holdout that ends on day 30 misses the purchase on day 35.
  assert.equal(rfmSummaries(shuffled, 28, 30)[0]!.holdoutX, 0);
  // Both ends are in: a purchase on the calibration end is calibration, one on the holdout end is holdout.
  assert.equal(rfmSummaries(shuffled, 28, 35)[0]!.holdoutX, 1);
  assert.deepEqual([rfmSummaries(shuffled, 21, 35)[0]!.x, rfmSummaries(shuffled, 21, 35)[0]!.tx], [2, 3]);
  // Nobody bought by the calibration end: no summaries.
  assert.deepEqual(rfmSummaries(purchases, -1, 42), []);
});

test('actual cumulative repeats by week since the data’s first purchase, over all customers given', () => {
  // Repeats: a on days 7, 21, 35 (weeks 1, 3, 5); c on day 40 (week 5). Per week 0, 1, 0, 1, 0, 2.
  assert.deepEqual(actualCumulativeRepeats(purchases, 6), [0, 1, 1, 2, 2, 4]);
  // Repeats past the last week asked for are left out.
  assert.deepEqual(actualCumulativeRepeats(purchases, 4), [0, 1, 1, 2]);
  assert.deepEqual(actualCumulativeRepeats([], 3), [0, 0, 0]);
});

test('dayRange over every purchase, and toDay from milliseconds', () => {
  assert.deepEqual(dayRange(purchases), { first: 0, last: 40 });
  assert.deepEqual(dayRange([]), { first: Infinity, last: -Infinity });
  assert.equal(toDay(3 * DAY_MS + 5), 3);
  assert.equal(toDay(0), 0);
  assert.equal(toDay(-1), -1, 'a moment before the epoch is the day before');
});
