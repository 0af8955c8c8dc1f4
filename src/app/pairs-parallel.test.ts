import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../core/rng.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { countPairs, pairWork } from '../core/recs/pairs.js';
import { countPairsParallel, PARALLEL_FROM } from './pairs-parallel.js';

test('countPairsParallel: worker threads give what one pass gives, ties included', async () => {
  const rng = new Rng(5);
  // Enough pairs (≈ 21M counts) that the work goes to threads; few items, so the K cuts fall inside ties.
  const lists = Array.from({ length: 120_000 }, () =>
    Array.from({ length: rng.int(10, 30) }, () => `i${Math.floor(400 * rng.next() ** 2)}`),
  );
  const b = encodeBaskets(lists);
  assert.ok(pairWork(b) >= PARALLEL_FROM, `${pairWork(b)} counts: the threaded path`);
  const opts = { minCount: 2, topK: 8 };
  const one = countPairs(b, opts);
  for (const threads of [2, 3])
    assert.deepEqual(await countPairsParallel(b, opts, threads), one, `${threads} threads`);
});
