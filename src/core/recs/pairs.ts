import { basketCount, type Baskets } from './baskets.js';

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
 * Shrinkage strength: a pair seen twice where 0.01 was expected has lift 200 but score ≈ 1.2; a pair seen 200
 * times against 50 expected keeps a score of 3.5. (Empirical-Bayes lift with a Gamma(m, m) prior.)
 */
export const PRIOR = 10;

export function shrunkLift(count: number, expected: number, prior = PRIOR): number {
  return (count + prior) / (expected + prior);
}

/**
 * Co-occurrence of every item with every other, by per-item sparse counting over typed arrays: for each item
 * i, walk the baskets that hold it and count the items after i (baskets are sorted) into one reused dense
 * array, so each pair is counted once. Pairs seen minCount times go to both items' top-K heaps (the score is
 * symmetric). Memory: the baskets, their transpose and K entries per item; time ≈ Σ basket size² / 2.
 */
export function countPairs(b: Baskets, opts: { minCount: number; topK: number }): Neighbour[][] {
  const n = basketCount(b);
  const m = b.names.length;
  const K = opts.topK;
  // Transpose by position: for each item, where it sits in each basket holding it, plus each position's
  // basket end, so the walk over "items after i" starts at once, without finding i in the basket first.
  const starts = new Int32Array(m + 1);
  for (let p = 0; p < b.items.length; p++) starts[b.items[p]! + 1]!++;
  for (let i = 0; i < m; i++) starts[i + 1]! += starts[i]!;
  const positions = new Int32Array(b.items.length);
  const fill = starts.slice(0, m);
  const basketEnd = new Int32Array(b.items.length);
  for (let t = 0; t < n; t++) {
    const end = b.offsets[t + 1]!;
    for (let p = b.offsets[t]!; p < end; p++) {
      positions[fill[b.items[p]!]!++] = p;
      basketEnd[p] = end;
    }
  }
  const co = new Int32Array(m);
  const touched = new Int32Array(m);
  const hj = new Int32Array(m * K);
  const hs = new Float64Array(m * K);
  const hc = new Int32Array(m * K);
  const size = new Int32Array(m);
  const push = (i: number, j: number, s: number, c: number) => {
    const o = i * K;
    const z = size[i]!;
    if (z < K) {
      hj[o + z] = j;
      hs[o + z] = s;
      hc[o + z] = c;
      size[i] = z + 1;
      siftUp(hj, hs, hc, o, z);
    } else if (s > hs[o]!) {
      hj[o] = j;
      hs[o] = s;
      hc[o] = c;
      siftDown(hj, hs, hc, o, K);
    }
  };
  for (let i = 0; i < m; i++) {
    let nt = 0;
    for (let k = starts[i]!; k < starts[i + 1]!; k++) {
      const at = positions[k]!;
      const end = basketEnd[at]!;
      for (let p = at + 1; p < end; p++) {
        const j = b.items[p]!;
        if (co[j] === 0) touched[nt++] = j;
        co[j]!++;
      }
    }
    const ni = b.itemCounts[i]!;
    for (let q = 0; q < nt; q++) {
      const j = touched[q]!;
      const c = co[j]!;
      co[j] = 0;
      if (c < opts.minCount) continue;
      const s = shrunkLift(c, (ni * b.itemCounts[j]!) / n);
      push(i, j, s, c);
      push(j, i, s, c);
    }
  }
  const out: Neighbour[][] = new Array(m);
  for (let i = 0; i < m; i++) {
    const ni = b.itemCounts[i]!;
    const res: Neighbour[] = [];
    for (let q = 0; q < size[i]!; q++) {
      const o = i * K + q;
      const j = hj[o]!;
      const c = hc[o]!;
      res.push({
        to: j,
        count: c,
        confidence: c / ni,
        lift: c / ((ni * b.itemCounts[j]!) / n),
        score: hs[o]!,
      });
    }
    res.sort((x, y) => y.score - x.score || y.count - x.count);
    out[i] = res;
  }
  return out;
}

function siftUp(hj: Int32Array, hs: Float64Array, hc: Int32Array, o: number, i: number): void {
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (hs[o + p]! <= hs[o + i]!) return;
    swap(hj, hs, hc, o + i, o + p);
    i = p;
  }
}

function siftDown(hj: Int32Array, hs: Float64Array, hc: Int32Array, o: number, size: number): void {
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let s = i;
    if (l < size && hs[o + l]! < hs[o + s]!) s = l;
    if (r < size && hs[o + r]! < hs[o + s]!) s = r;
    if (s === i) return;
    swap(hj, hs, hc, o + i, o + s);
    i = s;
  }
}

function swap(hj: Int32Array, hs: Float64Array, hc: Int32Array, a: number, b: number): void {
  const j = hj[a]!;
  hj[a] = hj[b]!;
  hj[b] = j;
  const s = hs[a]!;
  hs[a] = hs[b]!;
  hs[b] = s;
  const c = hc[a]!;
  hc[a] = hc[b]!;
  hc[b] = c;
}
