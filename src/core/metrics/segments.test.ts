import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rateMixSplit, type SegmentPoint } from './segments.js';

const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, `${what}: ${a} vs ${b}`);

test('midpoint shares and values: each segment’s rate and mix by hand', () => {
  // A: 300 → 100 sessions at 2% → 3%; B: 100 → 300 at 1% → 1%.
  // Shares A 0.75 → 0.25, B 0.25 → 0.75. Totals 0.75·2% + 0.25·1% = 1.75%, 0.25·3% + 0.75·1% = 1.5%.
  const pts: SegmentPoint[] = [
    { segment: 'A', weight0: 300, value0: 0.02, weight1: 100, value1: 0.03 },
    { segment: 'B', weight0: 100, value0: 0.01, weight1: 300, value1: 0.01 },
  ];
  const s = rateMixSplit(pts, 0.0175, 0.015);
  const [a, b] = s.segments;
  assert.deepEqual([a!.share0, a!.share1, b!.share0, b!.share1], [0.75, 0.25, 0.25, 0.75]);
  close(a!.rate, 0.5 * 0.01, 'A rate'); // mean share 0.5 × Δ 1 pt
  close(a!.mix, 0.025 * -0.5, 'A mix'); // mean value 2.5% × Δshare −0.5
  close(b!.rate, 0, 'B rate');
  close(b!.mix, 0.01 * 0.5, 'B mix');
  close(s.rate, 0.005, 'rate');
  close(s.mix, -0.0075, 'mix');
  close(s.total, -0.0025, 'total');
  close(s.rate + s.mix, s.total, 'rate + mix');
  // A rose, B stayed, the total fell: every segment moved against the total (or stayed).
  assert.equal(s.againstEverySegment, true);
  assert.equal(s.segments[0]!.segment, 'A', 'the points are kept');
});

test('a segment seen in one period only contributes mix alone, at its one known value', () => {
  // A: 100 → 100 at 10; B new: 0 → 100 at 20. Shares A 1 → 0.5, B 0 → 0.5. Totals 10 → 15.
  const s = rateMixSplit(
    [
      { segment: 'A', weight0: 100, value0: 10, weight1: 100, value1: 10 },
      { segment: 'B', weight0: 0, value0: null, weight1: 100, value1: 20 },
    ],
    10,
    15,
  );
  assert.equal(s.segments[1]!.rate, 0);
  assert.equal(s.segments[1]!.mix, 10); // 20 × 0.5
  assert.equal(s.segments[0]!.mix, -5); // 10 × −0.5
  assert.deepEqual([s.rate, s.mix, s.total], [0, 5, 5]);
  // Only one segment has both periods: too little to call it "against every segment".
  assert.equal(s.againstEverySegment, false);
});

test('no weight in either period: shares are 0, never NaN', () => {
  const s = rateMixSplit(
    [
      { segment: 'A', weight0: 0, value0: null, weight1: 0, value1: null },
      { segment: 'B', weight0: 0, value0: 5, weight1: 0, value1: 7 },
    ],
    0,
    0,
  );
  for (const x of s.segments) {
    assert.deepEqual([x.share0, x.share1, x.rate, x.mix], [0, 0, 0, 0]);
  }
  assert.deepEqual([s.total, s.rate, s.mix, s.againstEverySegment], [0, 0, 0, false]);
  assert.deepEqual(rateMixSplit([], 3, 4), {
    total: 1,
    rate: 0,
    mix: 0,
    segments: [],
    againstEverySegment: false,
  });
});

test('a total that barely moved (within 0.5%) is never flagged as against every segment', () => {
  // Both segments rose; the total fell by 0.4% of 100: below the 0.5% bar.
  const pts: SegmentPoint[] = [
    { segment: 'A', weight0: 50, value0: 120, weight1: 40, value1: 121 },
    { segment: 'B', weight0: 50, value0: 80, weight1: 60, value1: 81 },
  ];
  assert.equal(rateMixSplit(pts, 100, 99.6).againstEverySegment, false);
  // The same segments against a fall of 1% are flagged.
  assert.equal(rateMixSplit(pts, 100, 99).againstEverySegment, true);
  // And a rise alongside rising segments is not.
  assert.equal(rateMixSplit(pts, 100, 101).againstEverySegment, false);
});
