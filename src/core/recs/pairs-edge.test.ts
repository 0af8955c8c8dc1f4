import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Rng } from '../rng.js';
import { encodeBaskets } from './baskets.js';
import { countPairShare, countPairs, mergePairHeaps, neighboursOf, pairShares, shrunkLift } from './pairs.js';

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

test('countPairs keeps each item its K best by score, then count, then the lower id, best first', () => {
  const rng = new Rng(8);
  // Few items, so many neighbours tie on score and count, and the K cut falls inside ties.
  const lists = Array.from({ length: 500 }, () =>
    Array.from({ length: rng.int(1, 6) }, () => `i${Math.floor(30 * rng.next() ** 2)}`),
  );
  const b = encodeBaskets(lists);
  const counts = directCounts(lists);
  for (const K of [1, 3, 5, 1000]) {
    const top = countPairs(b, { minCount: 2, topK: K });
    let ties = 0;
    for (const [i, list] of top.entries()) {
      // The reference: every neighbour from the direct count, sorted by the stated order, cut at K.
      const want = b.names
        .map((name, j) => ({ to: j, count: counts.get(`${b.names[i]}>${name}`) ?? 0 }))
        .filter((x) => x.to !== i && x.count >= 2)
        .map((x) => ({
          ...x,
          score: shrunkLift(x.count, (b.itemCounts[i]! * b.itemCounts[x.to]!) / lists.length),
        }))
        .sort((x, y) => y.score - x.score || y.count - x.count || x.to - y.to);
      for (let q = 1; q < want.length; q++)
        if (want[q]!.score === want[q - 1]!.score && want[q]!.count === want[q - 1]!.count) ties++;
      assert.deepEqual(
        list.map((x) => [x.to, x.count, x.score]),
        want.slice(0, K).map((x) => [x.to, x.count, x.score]),
        `${b.names[i]}, K ${K}`,
      );
    }
    assert.ok(ties > 20, `the fixture has ties to break (${ties})`);
  }
});

test('countPairs in shares: heaps of disjoint item ranges merged equal one pass, for any cut', () => {
  const rng = new Rng(11);
  const lists = Array.from({ length: 800 }, () =>
    Array.from({ length: rng.int(0, 9) }, () => `i${Math.floor(60 * rng.next() ** 2)}`),
  );
  const b = encodeBaskets(lists);
  const m = b.itemCounts.length;
  for (const K of [2, 7]) {
    const opts = { minCount: 1, topK: K };
    const whole = countPairs(b, opts);
    for (const cuts of [pairShares(b, 2), pairShares(b, 3), [0, 1, m], [0, m, m]]) {
      const heaps = cuts.slice(1).map((to, s) => countPairShare(b, opts, cuts[s]!, to));
      for (const h of heaps.slice(1)) mergePairHeaps(heaps[0]!, h);
      assert.deepEqual(neighboursOf(b, heaps[0]!), whole, `cuts ${cuts.join(',')}, K ${K}`);
    }
  }
});

test('pairShares cuts the items into parts of about equal work', () => {
  const rng = new Rng(12);
  const lists = Array.from({ length: 3000 }, () =>
    Array.from({ length: rng.int(1, 12) }, () => `i${Math.floor(200 * rng.next() ** 3)}`),
  );
  const b = encodeBaskets(lists);
  const cuts = pairShares(b, 2);
  assert.equal(cuts.length, 3);
  assert.equal(cuts[0], 0);
  assert.equal(cuts[2], b.itemCounts.length);
  // The work of a share: the pairs whose smaller item lies in it.
  const work = [0, 0];
  for (let t = 0; t + 1 < b.offsets.length; t++)
    for (let p = b.offsets[t]!; p < b.offsets[t + 1]!; p++)
      work[b.items[p]! < cuts[1]! ? 0 : 1]! += b.offsets[t + 1]! - p - 1;
  const share = work[0]! / (work[0]! + work[1]!);
  assert.ok(share > 0.45 && share < 0.6, `first share's work ${share}`);
});
