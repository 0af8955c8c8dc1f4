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
 * Co-occurrence of every item with every other, by per-item counting over typed arrays: for each item i, walk
 * the baskets that hold it and count the items after i (baskets are sorted) into one reused dense array, so
 * each pair is counted once, then read that array from i + 1 to the largest item seen (a sequential scan is
 * cheaper than listing each item the first time it is seen, a branch per count). Pairs seen minCount times go
 * to both items' top-K heaps (the score is symmetric). Each item keeps its K best by score, then count, then
 * the lower id: the same K whatever order the pairs arrive in. Memory: the baskets (and a 16-bit copy when the
 * items fit), their transpose with a byte per entry, and K entries per item; time ≈ Σ basket size² / 2, most
 * of it waiting on memory for the baskets the walk jumps to, hence the read-ahead.
 */
export function countPairs(b: Baskets, opts: PairOptions): Neighbour[][] {
  return neighboursOf(b, countPairShare(b, opts, 0, b.itemCounts.length));
}

export interface PairOptions {
  minCount: number;
  topK: number;
}

/** Each item's K best neighbours so far, as flat heaps (the worst at each item's root). */
export interface PairHeaps {
  K: number;
  /** Neighbour id, score and count of entry q of item i at i * K + q. */
  hj: Int32Array;
  hs: Float64Array;
  hc: Int32Array;
  /** Entries held per item. */
  size: Int32Array;
}

/**
 * The pairs whose smaller item lies in [from, to), each in both items' heaps: shares over disjoint ranges
 * count every pair once between them, and `mergePairHeaps` joins their heaps into what one pass would keep
 * (the order is total), so the work can be split among threads.
 */
export function countPairShare(b: Baskets, opts: PairOptions, from: number, to: number): PairHeaps {
  const n = basketCount(b);
  const m = b.itemCounts.length;
  const K = opts.topK;
  // Transpose by position: for each item of the share, where it sits in each basket holding it, and beside it
  // (read in the same order, so no cache miss) how many items follow it there: the walk over "items after i"
  // starts at once, without finding i in the basket or its end first.
  const starts = new Int32Array(to - from + 1);
  for (let p = 0; p < b.items.length; p++) {
    const it = b.items[p]!;
    if (it >= from && it < to) starts[it - from + 1]!++;
  }
  for (let i = 0; i < to - from; i++) starts[i + 1]! += starts[i]!;
  const positions = new Int32Array(starts[to - from]!);
  const after = new Uint8Array(positions.length);
  const fill = starts.slice(0, to - from);
  for (let t = 0; t < n; t++) {
    const end = b.offsets[t + 1]!;
    for (let p = b.offsets[t]!; p < end; p++) {
      const it = b.items[p]!;
      if (it < from || it >= to) continue;
      const k = fill[it - from]!++;
      positions[k] = p;
      // A longer tail than 254 (a basket that size) is looked up in the offsets instead.
      after[k] = Math.min(end - p - 1, LONG_TAIL);
    }
  }
  const co = new Int32Array(m);
  const h: PairHeaps = {
    K,
    hj: new Int32Array(m * K),
    hs: new Float64Array(m * K),
    hc: new Int32Array(m * K),
    size: new Int32Array(m),
  };
  // With at most 65,536 items the walk reads a 16-bit copy of the baskets: half the memory to miss in.
  const items = m <= 0x10000 ? Uint16Array.from(b.items) : b.items;
  for (let i = from; i < to; i++) {
    const last = walk(items, b.offsets, positions, after, starts[i - from]!, starts[i - from + 1]!, co);
    const ni = b.itemCounts[i]!;
    for (let j = i + 1; j <= last; j++) {
      const c = co[j]!;
      if (c === 0) continue;
      co[j] = 0;
      if (c < opts.minCount) continue;
      const s = shrunkLift(c, (ni * b.itemCounts[j]!) / n);
      push(h, i, j, s, c);
      push(h, j, i, s, c);
    }
  }
  return h;
}

/** Adds every entry of `from` to `into` (the heaps of two shares, same K). */
export function mergePairHeaps(into: PairHeaps, from: PairHeaps): void {
  const K = from.K;
  for (let i = 0; i < from.size.length; i++) {
    const o = i * K;
    for (let q = 0; q < from.size[i]!; q++) push(into, i, from.hj[o + q]!, from.hs[o + q]!, from.hc[o + q]!);
  }
}

/**
 * Where to cut the items into `parts` shares of about equal work: an item's work is the items after it in
 * the baskets holding it (the counts its walk makes). Returns parts + 1 boundaries from 0 to the item count.
 */
export function pairShares(b: Baskets, parts: number): number[] {
  const m = b.itemCounts.length;
  const work = new Float64Array(m);
  let total = 0;
  for (let t = 0; t + 1 < b.offsets.length; t++) {
    const end = b.offsets[t + 1]!;
    for (let p = b.offsets[t]!; p < end; p++) {
      work[b.items[p]!]! += end - p - 1;
      total += end - p - 1;
    }
  }
  const cuts = [0];
  let sum = 0;
  for (let i = 0; i < m && cuts.length < parts; i++) {
    sum += work[i]!;
    if (sum >= (total * cuts.length) / parts) cuts.push(i + 1);
  }
  while (cuts.length < parts) cuts.push(m);
  cuts.push(m);
  return cuts;
}

/** Σ over baskets of size × (size − 1) / 2: the counts one pass makes. */
export function pairWork(b: Baskets): number {
  let w = 0;
  for (let t = 0; t + 1 < b.offsets.length; t++) {
    const len = b.offsets[t + 1]! - b.offsets[t]!;
    w += (len * (len - 1)) / 2;
  }
  return w;
}

/** The heaps as lists, each best first. */
export function neighboursOf(b: Baskets, h: PairHeaps): Neighbour[][] {
  const n = basketCount(b);
  const m = b.itemCounts.length;
  const { K, hj, hs, hc, size } = h;
  // Each heap best first (score, then count, then the lower id), by insertion into a reused index array, so
  // the neighbour objects are made once, in order.
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
        if (!worse(hs[e]!, hc[e]!, hj[e]!, sq, cq, hj[o + q]!)) break;
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

/** Offers neighbour j (score s, count c) to item i's heap: kept while the heap has room or it beats the worst. */
function push(h: PairHeaps, i: number, j: number, s: number, c: number): void {
  const { K, hj, hs, hc, size } = h;
  const o = i * K;
  const z = size[i]!;
  if (z < K) {
    hj[o + z] = j;
    hs[o + z] = s;
    hc[o + z] = c;
    size[i] = z + 1;
    siftUp(hj, hs, hc, o, z);
  } else if (hs[o]! < s || (hs[o] === s && tieBelow(hc[o]!, hj[o]!, c, j))) {
    hj[o] = j;
    hs[o] = s;
    hc[o] = c;
    siftDown(hj, hs, hc, o, K);
  }
}

/** Whether neighbour (s1, c1, j1) ranks below (s2, c2, j2): a lower score, then a lower count, then a higher id. */
function worse(s1: number, c1: number, j1: number, s2: number, c2: number, j2: number): boolean {
  return s1 < s2 || (s1 === s2 && tieBelow(c1, j1, c2, j2));
}

/**
 * Of two neighbours with the same score, whether (c1, j1) ranks below (c2, j2). The heaps compare scores first
 * and read counts and ids only on a tie: the three are separate arrays, each a cache miss away.
 */
function tieBelow(c1: number, j1: number, c2: number, j2: number): boolean {
  return c1 < c2 || (c1 === c2 && j1 > j2);
}

/**
 * Counts into co the items after one item in each of its baskets (transpose entries from..last); returns the
 * largest item it counted (-1 for none), where the caller's scan of co can stop.
 */
function walk(
  items: Int32Array | Uint16Array,
  offsets: Int32Array,
  positions: Int32Array,
  after: Uint8Array,
  from: number,
  last: number,
  co: Int32Array,
): number {
  let largest = -1;
  let sink = 0;
  for (let k = from; k < last; k++) {
    // The baskets are far apart in memory: reading one PREFETCH baskets ahead starts its cache miss early,
    // so several are in flight at once instead of one after another.
    if (k + PREFETCH < last) sink ^= items[positions[k + PREFETCH]!]!;
    const at = positions[k]!;
    const tail = after[k]!;
    const end = tail === LONG_TAIL ? basketEndOf(offsets, at) : at + 1 + tail;
    for (let p = at + 1; p < end; p++) co[items[p]!]!++;
    // Baskets are sorted: the tail's last item is its largest.
    if (end > at + 1 && items[end - 1]! > largest) largest = items[end - 1]!;
  }
  prefetched ^= sink;
  return largest;
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
    // The root holds the worst entry: x moves up while it ranks below its parent.
    const ps = hs[o + p]!;
    if (sc > ps || (sc === ps && !tieBelow(c, j, hc[o + p]!, hj[o + p]!))) break;
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
    // s: the worst of the entry and its children, which goes up (-1: the entry itself).
    let s = -1;
    let ws = sc;
    if (l < size) {
      const ls = hs[o + l]!;
      if (ls < ws || (ls === ws && tieBelow(hc[o + l]!, hj[o + l]!, c, j))) {
        s = l;
        ws = ls;
      }
    }
    if (r < size) {
      const rs = hs[o + r]!;
      if (
        rs < ws ||
        (rs === ws && tieBelow(hc[o + r]!, hj[o + r]!, s < 0 ? c : hc[o + s]!, s < 0 ? j : hj[o + s]!))
      )
        s = r;
    }
    if (s < 0) break;
    hj[o + i] = hj[o + s]!;
    hs[o + i] = hs[o + s]!;
    hc[o + i] = hc[o + s]!;
    i = s;
  }
  hj[o + i] = j;
  hs[o + i] = sc;
  hc[o + i] = c;
}
