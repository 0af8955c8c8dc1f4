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
  // The best topK of each item, kept in a min-heap by score so no candidate becomes an object unless it wins.
  const heapJ = new Int32Array(opts.topK);
  const heapS = new Float64Array(opts.topK);
  const counts = new Int32Array(m);
  const out: Neighbour[][] = new Array(m);
  for (let i = 0; i < m; i++) {
    let nt = 0;
    const list = tid[i]!;
    for (let k = 0; k < list.length; k++) {
      const t = list[k]!;
      const end = b.offsets[t + 1]!;
      for (let p = b.offsets[t]!; p < end; p++) {
        const j = b.items[p]!;
        if (co[j] === 0) touched[nt++] = j;
        co[j]!++;
      }
    }
    const ni = b.itemCounts[i]!;
    co[i] = 0;
    let size = 0;
    for (let q = 0; q < nt; q++) {
      const j = touched[q]!;
      const c = co[j]!;
      co[j] = 0;
      if (j === i || c < opts.minCount) continue;
      counts[j] = c;
      const score = shrunkLift(c, (ni * b.itemCounts[j]!) / n);
      if (size < opts.topK) {
        heapJ[size] = j;
        heapS[size] = score;
        siftUp(heapJ, heapS, size++);
      } else if (score > heapS[0]!) {
        heapJ[0] = j;
        heapS[0] = score;
        siftDown(heapJ, heapS, size);
      }
    }
    const res: Neighbour[] = [];
    for (let q = 0; q < size; q++) {
      const j = heapJ[q]!;
      const c = counts[j]!;
      const expected = (ni * b.itemCounts[j]!) / n;
      res.push({ to: j, count: c, confidence: c / ni, lift: c / expected, score: heapS[q]! });
    }
    res.sort((x, y) => y.score - x.score || y.count - x.count);
    out[i] = res;
  }
  return out;
}

function siftUp(hj: Int32Array, hs: Float64Array, i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (hs[p]! <= hs[i]!) return;
    swap(hj, hs, i, p);
    i = p;
  }
}

function siftDown(hj: Int32Array, hs: Float64Array, size: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let s = i;
    if (l < size && hs[l]! < hs[s]!) s = l;
    if (r < size && hs[r]! < hs[s]!) s = r;
    if (s === i) return;
    swap(hj, hs, i, s);
    i = s;
  }
}

function swap(hj: Int32Array, hs: Float64Array, a: number, b: number): void {
  const j = hj[a]!;
  hj[a] = hj[b]!;
  hj[b] = j;
  const s = hs[a]!;
  hs[a] = hs[b]!;
  hs[b] = s;
}
