import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { encodeBaskets } from './baskets.js';
import { countPairs, shrunkLift } from './pairs.js';

/** Every pair's count by a direct double loop over each basket's distinct items. */
function directCounts(lists: string[][]): Map<string, number> {
  const out = new Map<string, number>();
  for (const list of lists) {
    const items = [...new Set(list)];
    for (const a of items)
      for (const b of items) if (a !== b) out.set(`${a}>${b}`, (out.get(`${a}>${b}`) ?? 0) + 1);
  }
  return out;
}

test('countPairs agrees with a direct count: empty baskets, single items, duplicates, a basket of 300', () => {
  const rng = new Rng(4);
  const lists: string[][] = [[], ['solo'], ['solo', 'solo'], ['x', 'y', 'x', 'y']];
  for (let t = 0; t < 300; t++)
    lists.push(Array.from({ length: rng.int(0, 8) }, () => `i${Math.floor(40 * rng.next() ** 2)}`));
  // Longer than the 254-item tail the transpose keeps inline: its end is looked up instead.
  lists.push(Array.from({ length: 300 }, (_, i) => `long${i}`).concat(['i0', 'i1']));
  lists.push(['long0', 'long299', 'i0']);
  const b = encodeBaskets(lists);
  const want = directCounts(lists);
  const got = countPairs(b, { minCount: 1, topK: 1000 });
  let pairs = 0;
  for (const [i, list] of got.entries()) {
    for (const x of list) {
      pairs++;
      const key = `${b.names[i]}>${b.names[x.to]}`;
      assert.equal(x.count, want.get(key), key);
      const expected = (b.itemCounts[i]! * b.itemCounts[x.to]!) / lists.length;
      assert.equal(x.score, shrunkLift(x.count, expected));
    }
  }
  assert.equal(pairs, want.size, 'every pair, once per direction');
  assert.deepEqual(got[b.names.indexOf('solo')], []);
});

test('countPairs keeps each item its K best by score, best first, a tie broken by count', () => {
  const rng = new Rng(8);
  const lists = Array.from({ length: 500 }, () =>
    Array.from({ length: rng.int(1, 6) }, () => `i${Math.floor(30 * rng.next() ** 2)}`),
  );
  const b = encodeBaskets(lists);
  const all = countPairs(b, { minCount: 2, topK: 1000 });
  const top = countPairs(b, { minCount: 2, topK: 5 });
  for (const [i, list] of top.entries()) {
    assert.equal(list.length, Math.min(5, all[i]!.length));
    for (let q = 1; q < list.length; q++) {
      const a = list[q - 1]!;
      const c = list[q]!;
      assert.ok(a.score > c.score || (a.score === c.score && a.count >= c.count));
    }
    // Nothing left out scores above the worst kept.
    const worst = list.at(-1)?.score ?? Infinity;
    const kept = new Set(list.map((x) => x.to));
    for (const x of all[i]!) if (!kept.has(x.to)) assert.ok(x.score <= worst);
  }
});
