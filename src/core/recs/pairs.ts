import { basketCount, itemTidlists, type Baskets } from './baskets.js';

/** One directed neighbour: having `from` in the basket, how `to` co-occurs. */
export interface Neighbour {
  to: number;
  count: number;
  /** P(to | from). */
  confidence: number;
  lift: number;
  /** Lift shrunk towards 1 by PRIOR pseudo-baskets of independence, so rare coincidences rank low. */
  score: number;
}

/**
 * Shrinkage strength: a pair seen twice where 0.01 was expected has lift 200 but score ≈ 1.2; a pair seen
 * 200 times against 50 expected keeps a score of 3.5. (Empirical-Bayes lift with a Gamma(m, m) prior.)
 */
export const PRIOR = 10;

export function shrunkLift(count: number, expected: number, prior = PRIOR): number {
  return (count + prior) / (expected + prior);
}

/**
 * Co-occurrence of every item with every other, by per-item sparse counting over typed arrays: for each item,
 * walk the baskets that hold it and count their other items into one reused dense array. Memory stays at the
 * baskets plus their transpose; time is Σ basket size². Keeps each item's topK neighbours by score.
 */
export function countPairs(b: Baskets, opts: { minCount: number; topK: number }): Neighbour[][] {
  const n = basketCount(b);
  const m = b.names.length;
  const tid = itemTidlists(b);
  const co = new Int32Array(m);
  const touched = new Int32Array(m);
  const out: Neighbour[][] = new Array(m);
  for (let i = 0; i < m; i++) {
    let nt = 0;
    const list = tid[i]!;
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      for (let p = b.offsets[t]!; p < b.offsets[t + 1]!; p++) {
        const j = b.items[p]!;
        if (j === i) continue;
        if (co[j] === 0) touched[nt++] = j;
        co[j]!++;
      }
    }
    const ni = b.itemCounts[i]!;
    const cand: Neighbour[] = [];
    for (let q = 0; q < nt; q++) {
      const j = touched[q]!;
      const c = co[j]!;
      co[j] = 0;
      if (c < opts.minCount) continue;
      const expected = (ni * b.itemCounts[j]!) / n;
      cand.push({ to: j, count: c, confidence: c / ni, lift: c / expected, score: shrunkLift(c, expected) });
    }
    cand.sort((x, y) => y.score - x.score || y.count - x.count);
    out[i] = cand.slice(0, opts.topK);
  }
  return out;
}
