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
 * symmetric). Memory: the baskets (and a 16-bit copy when the items fit), their transpose with a byte per
 * entry, and K entries per item; time ≈ Σ basket size² / 2, most of it waiting on memory for the baskets the
 * walk jumps to, hence the read-ahead.
 */
export function countPairs(b: Baskets, opts: { minCount: number; topK: number }): Neighbour[][] {
  const n = basketCount(b);
  const m = b.names.length;
  const K = opts.topK;
  // Transpose by position: for each item, where it sits in each basket holding it, and beside it (read in
  // the same order, so no cache miss) how many items follow it there: the walk over "items after i" starts at
  // once, without finding i in the basket or its end first.
  const starts = new Int32Array(m + 1);
  for (let p = 0; p < b.items.length; p++) starts[b.items[p]! + 1]!++;
  for (let i = 0; i < m; i++) starts[i + 1]! += starts[i]!;
  const positions = new Int32Array(b.items.length);
  const after = new Uint8Array(b.items.length);
  const fill = starts.slice(0, m);
  for (let t = 0; t < n; t++) {
    const end = b.offsets[t + 1]!;
    for (let p = b.offsets[t]!; p < end; p++) {
      const k = fill[b.items[p]!]!++;
      positions[k] = p;
      // A longer tail than 254 (a basket that size) is looked up in the offsets instead.
      after[k] = Math.min(end - p - 1, LONG_TAIL);
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
  // With at most 65,536 items the walk reads a 16-bit copy of the baskets: half the memory to miss in.
  const items = m <= 0x10000 ? Uint16Array.from(b.items) : b.items;
  for (let i = 0; i < m; i++) {
    const nt = walk(items, b.offsets, positions, after, starts[i]!, starts[i + 1]!, co, touched);
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
  // Each heap best first (score, then count, then heap position: a stable sort), by insertion into a reused
  // index array, so the neighbour objects are made once, in order.
  const out: Neighbour[][] = new Array(m);
  const order = new Int32Array(K);
  for (let i = 0; i < m; i++) {
    const ni = b.itemCounts[i]!;
    const o = i * K;
    const z = size[i]!;
    for (let q = 0; q < z; q++) {
      const sq = hs[o + q]!;
      const cq = hc[o + q]!;
      let at = q;
      while (at > 0) {
        const e = o + order[at - 1]!;
        if (!(sq - hs[e]! > 0 || (sq === hs[e]! && cq - hc[e]! > 0))) break;
        order[at] = order[at - 1]!;
        at--;
      }
      order[at] = q;
    }
    const res: Neighbour[] = [];
    for (let q = 0; q < z; q++) {
      const e = o + order[q]!;
      const j = hj[e]!;
      const c = hc[e]!;
      res.push({
        to: j,
        count: c,
        confidence: c / ni,
        lift: c / ((ni * b.itemCounts[j]!) / n),
        score: hs[e]!,
      });
    }
    out[i] = res;
  }
  return out;
}

/**
 * Counts into co the items after one item in each of its baskets (transpose entries from..last), listing
 * each newly seen item in touched; returns how many it listed.
 */
function walk(
  items: Int32Array | Uint16Array,
  offsets: Int32Array,
  positions: Int32Array,
  after: Uint8Array,
  from: number,
  last: number,
  co: Int32Array,
  touched: Int32Array,
): number {
  let nt = 0;
  let sink = 0;
  for (let k = from; k < last; k++) {
    // The baskets are far apart in memory: reading one PREFETCH baskets ahead starts its cache miss early,
    // so several are in flight at once instead of one after another.
    if (k + PREFETCH < last) sink ^= items[positions[k + PREFETCH]!]!;
    const at = positions[k]!;
    const tail = after[k]!;
    const end = tail === LONG_TAIL ? basketEndOf(offsets, at) : at + 1 + tail;
    for (let p = at + 1; p < end; p++) {
      const j = items[p]!;
      if (co[j] === 0) touched[nt++] = j;
      co[j]!++;
    }
  }
  prefetched ^= sink;
  return nt;
}

/** How far ahead the walk touches the baskets it is about to read. */
const PREFETCH = 8;
/** Where the touched values go, so that the reads are not optimised away. */
export let prefetched = 0;

/** The most items after one in its basket that `after` holds; more is marked by this value. */
const LONG_TAIL = 0xff;

/** The end of the basket holding position p (binary search over the offsets). */
function basketEndOf(offsets: Int32Array, p: number): number {
  let lo = 0;
  let hi = offsets.length - 1;
  // The last t with offsets[t] ≤ p is p's basket.
  while (hi - lo > 1) {
    const mid = (lo + hi) >>> 1;
    if (offsets[mid]! <= p) lo = mid;
    else hi = mid;
  }
  return offsets[lo + 1]!;
}

function siftUp(hj: Int32Array, hs: Float64Array, hc: Int32Array, o: number, i: number): void {
  const j = hj[o + i]!;
  const sc = hs[o + i]!;
  const c = hc[o + i]!;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (hs[o + p]! <= sc) break;
    hj[o + i] = hj[o + p]!;
    hs[o + i] = hs[o + p]!;
    hc[o + i] = hc[o + p]!;
    i = p;
  }
  hj[o + i] = j;
  hs[o + i] = sc;
  hc[o + i] = c;
}

/** Moves the root down to its place; the entry is held aside and written once (the same order as swaps). */
function siftDown(hj: Int32Array, hs: Float64Array, hc: Int32Array, o: number, size: number): void {
  const j = hj[o]!;
  const sc = hs[o]!;
  const c = hc[o]!;
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    const r = l + 1;
    let s = i;
    let best = sc;
    if (l < size && hs[o + l]! < best) {
      s = l;
      best = hs[o + l]!;
    }
    if (r < size && hs[o + r]! < best) s = r;
    if (s === i) break;
    hj[o + i] = hj[o + s]!;
    hs[o + i] = hs[o + s]!;
    hc[o + i] = hc[o + s]!;
    i = s;
  }
  hj[o + i] = j;
  hs[o + i] = sc;
  hc[o + i] = c;
}
