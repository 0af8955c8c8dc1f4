import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBaskets } from './baskets.js';
import { countPairs, shrunkLift } from './pairs.js';

test('pair counts, confidence and lift match a direct count', () => {
  const b = encodeBaskets([['a', 'b'], ['a', 'b', 'c'], ['a', 'c'], ['b'], ['a', 'b', 'd'], ['d']]);
  const n = countPairs(b, { minCount: 1, topK: 10 });
  const a = b.names.indexOf('a');
  const bb = b.names.indexOf('b');
  const ab = n[a]!.find((x) => x.to === bb)!;
  assert.equal(ab.count, 3);
  assert.equal(ab.confidence, 3 / 4);
  assert.equal(ab.lift, 3 / ((4 * 4) / 6));
  // Symmetric counts, directed confidence.
  assert.equal(n[bb]!.find((x) => x.to === a)!.confidence, 3 / 4);
  assert.ok(n[a]!.every((x) => x.to !== a));
});

test('shrinkage: a solid complement outranks a rare coincidence', () => {
  const rare = shrunkLift(2, 0.01);
  const solid = shrunkLift(200, 50);
  assert.ok(2 / 0.01 > 200 / 50, 'raw lift favours the coincidence');
  assert.ok(solid > rare, `${solid} vs ${rare}`);
});
