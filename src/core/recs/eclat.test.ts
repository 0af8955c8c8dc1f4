import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { basketCount, encodeBaskets } from './baskets.js';
import { frequentItemsets, minCount } from './itemsets.js';

/** Every itemset of the baskets with its count, by enumerating each basket's subsets (small baskets only). */
function bruteForce(lists: string[][], minSupport: number, maxLen: number): Map<string, number> {
  const counts = new Map<string, number>();
  for (const list of lists) {
    const items = [...new Set(list)].sort();
    for (let mask = 1; mask < 1 << items.length; mask++) {
      const set = items.filter((_, i) => mask & (1 << i));
      if (set.length > maxLen) continue;
      const key = set.join(',');
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const min = minCount(minSupport, lists.length);
  return new Map([...counts].filter(([, c]) => c >= min));
}

function mined(
  lists: string[][],
  minSupport: number,
  maxLen: number,
  limits?: Parameters<typeof frequentItemsets>[3],
) {
  const b = encodeBaskets(lists);
  const sets = frequentItemsets(b, minSupport, maxLen, limits);
  const out = new Map<string, number>();
  for (const s of sets) {
    assert.deepEqual(
      s.items,
      [...s.items].sort((x, y) => x - y),
      'items ascending',
    );
    const key = s.items
      .map((i) => b.names[i]!)
      .sort()
      .join(',');
    assert.ok(!out.has(key), `${key} once`);
    out.set(key, s.count);
  }
  return { sets, out, b };
}

const randomBaskets = (seed: number, n: number, items: number): string[][] => {
  const rng = new Rng(seed);
  return Array.from({ length: n }, () =>
    // Up to 9 draws with repeats (duplicates within a basket) and some empty baskets.
    Array.from({ length: rng.int(0, 9) }, () => `i${Math.floor(items * rng.next() ** 2)}`),
  );
};

const MERGE_ONLY = { pairMatrixMaxItems: 0, bitmapMaxWords: 0 };

test('Eclat finds every itemset a brute-force count finds, with its count, with and without its aids', () => {
  for (const seed of [1, 2, 3]) {
    const lists = randomBaskets(seed, 400, 30);
    for (const [support, maxLen] of [
      [0.01, Infinity],
      [0.03, 2],
      [0.002, 3],
    ] as const) {
      const want = bruteForce(lists, support, maxLen);
      assert.deepEqual(mined(lists, support, maxLen).out, want, `seed ${seed} at ${support}`);
      assert.deepEqual(mined(lists, support, maxLen, MERGE_ONLY).out, want, `merge only, seed ${seed}`);
      assert.deepEqual(
        mined(lists, support, maxLen, { pairMatrixMaxItems: 1e9, bitmapMaxWords: 0 }).out,
        want,
        `pair matrix without bitmaps, seed ${seed}`,
      );
    }
  }
});

test('Eclat lists each prefix before its extensions, in the same order whichever aids it uses', () => {
  const lists = randomBaskets(9, 300, 20);
  const fast = mined(lists, 0.01, Infinity).sets;
  const slow = mined(lists, 0.01, Infinity, MERGE_ONLY).sets;
  assert.deepEqual(fast, slow);
});

test('edge cases: no baskets, empty baskets, single items, duplicates, nothing frequent', () => {
  assert.deepEqual(frequentItemsets(encodeBaskets([]), 0.1), []);
  const empty = encodeBaskets([[], [], []]);
  assert.equal(basketCount(empty), 3);
  assert.deepEqual(frequentItemsets(empty, 0.1), []);
  const singles = mined([['a'], ['a'], ['b'], []], 0.5, Infinity);
  assert.deepEqual(singles.out, new Map([['a', 2]]));
  // Duplicates within a basket count once.
  const dup = mined(
    [
      ['a', 'a', 'b'],
      ['b', 'a', 'b'],
      ['c', 'c'],
    ],
    0.5,
    Infinity,
  );
  assert.deepEqual(
    dup.out,
    new Map([
      ['a', 2],
      ['b', 2],
      ['a,b', 2],
    ]),
  );
  assert.deepEqual(dup.b.itemCounts, Int32Array.from([2, 2, 1]));
  assert.deepEqual(mined([['a'], ['b'], ['c']], 0.5, Infinity).out, new Map());
});

test('encodeBaskets: names by first sight, each basket sorted and distinct, offsets over empty baskets', () => {
  const b = encodeBaskets([['z', 'y', 'z'], [], ['y'], ['x', 'y', 'z', 'x']]);
  assert.deepEqual(b.names, ['z', 'y', 'x']);
  assert.deepEqual(b.offsets, Int32Array.from([0, 2, 2, 3, 6]));
  assert.deepEqual(b.items, Int32Array.from([0, 1, 1, 0, 1, 2]));
  assert.deepEqual(b.itemCounts, Int32Array.from([2, 3, 1]));
  // A basket longer than the insertion-sort run, in reverse order.
  const long = Array.from({ length: 50 }, (_, i) => `p${49 - i}`);
  const big = encodeBaskets([long, [...long].reverse()]);
  assert.deepEqual(
    big.items.subarray(0, 50),
    Int32Array.from({ length: 50 }, (_, i) => i),
  );
  assert.deepEqual(
    big.items.subarray(50),
    Int32Array.from({ length: 50 }, (_, i) => i),
  );
});
