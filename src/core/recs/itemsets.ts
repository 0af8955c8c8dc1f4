import { basketCount, type Baskets } from './baskets.js';

export interface Itemset {
  items: number[];
  count: number;
}

/** Minimum count for a support fraction, as mlxtend and arules apply it: count / n ≥ minSupport. */
export function minCount(minSupport: number, n: number): number {
  const c = Math.ceil(minSupport * n - 1e-9);
  return Math.max(1, c);
}

/**
 * Frequent itemsets by Eclat (Zaki 2000): depth-first over items in ascending frequency, extending a prefix
 * by intersecting sorted basket lists. Every itemset with count ≥ minCount and length ≤ maxLen, in the
 * depth-first order (each prefix before its extensions).
 *
 * Aids that change no answer: the counts of all frequent pairs come first from one pass over the baskets (a
 * matrix over the frequent items, when it fits), so no extension {…, x, y} is tried whose pair {x, y} is rare;
 * extending by y filters the prefix's baskets through y's bitmap (when the bitmaps fit; else a merge of
 * sorted lists), stopping as soon as minCount is out of reach. Basket lists live in one typed-array arena per
 * depth, reused across siblings: no allocation per candidate.
 */
export function frequentItemsets(
  b: Baskets,
  minSupport: number,
  maxLen = Infinity,
  limits: EclatLimits = ECLAT_LIMITS,
): Itemset[] {
  const n = basketCount(b);
  const min = minCount(minSupport, n);
  const m = b.names.length;
  const counts = b.itemCounts;
  const frequent: number[] = [];
  for (let i = 0; i < m; i++) if (counts[i]! >= min) frequent.push(i);
  frequent.sort((x, y) => counts[x]! - counts[y]! || x - y);
  const f = frequent.length;
  const out: Itemset[] = [];
  if (!f) return out;
  const rank = new Int32Array(m).fill(-1);
  for (let r = 0; r < f; r++) rank[frequent[r]!] = r;
  const pairs = f <= limits.pairMatrixMaxItems ? pairCounts(b, rank, f) : null;
  // Depth 0: the frequent items' basket lists, contiguous in rank order.
  const arena0 = new Int32Array(frequent.reduce((s, i) => s + counts[i]!, 0));
  const start0 = new Int32Array(f);
  const fill = new Int32Array(f);
  for (let r = 1; r < f; r++) start0[r] = start0[r - 1]! + counts[frequent[r - 1]!]!;
  for (let t = 0; t < n; t++) {
    for (let k = b.offsets[t]!; k < b.offsets[t + 1]!; k++) {
      const r = rank[b.items[k]!]!;
      if (r >= 0) arena0[start0[r]! + fill[r]!++] = t;
    }
  }
  // When they fit, each frequent item's baskets as a bitmap too: extending prefix + x by y keeps the baskets of
  // prefix + x that hold y, one bit test each, whatever the length of y's list.
  const words = (n + 31) >>> 5;
  const bits = f * words <= limits.bitmapMaxWords ? new Int32Array(f * words) : null;
  if (bits)
    for (let r = 0; r < f; r++)
      for (let k = start0[r]!; k < start0[r]! + fill[r]!; k++)
        bits[r * words + (arena0[k]! >>> 5)]! |= 1 << (arena0[k]! & 31);
  // Per depth: members' ranks, list starts and lengths, and the arena holding the lists.
  const memRank: Int32Array[] = [Int32Array.from(frequent.keys())];
  const memStart: Int32Array[] = [start0];
  const memLen: Int32Array[] = [Int32Array.from(frequent, (i) => counts[i]!)];
  const arena: Int32Array[] = [arena0];
  const sorted: number[][] = [];
  const grow = (d: number, size: number): void => {
    const ranks = memRank[d]!;
    const starts = memStart[d]!;
    const lens = memLen[d]!;
    const tids = arena[d]!;
    for (let a = 0; a < size; a++) {
      const ra = ranks[a]!;
      const sa = starts[a]!;
      const la = lens[a]!;
      // The itemset's items ascending: the parent's (already sorted) with this item put in its place.
      const x = frequent[ra]!;
      const parent = d ? sorted[d - 1]! : [];
      const items: number[] = [];
      let placed = false;
      for (let q = 0; q < parent.length; q++) {
        const y = parent[q]!;
        if (!placed && x < y) {
          items.push(x);
          placed = true;
        }
        items.push(y);
      }
      if (!placed) items.push(x);
      sorted[d] = items;
      out.push({ items, count: la });
      if (d + 1 >= maxLen || a + 1 >= size) continue;
      const e = d + 1;
      let need = 0;
      for (let c = a + 1; c < size; c++) need += Math.min(la, lens[c]!);
      if ((arena[e]?.length ?? 0) < need)
        arena[e] = new Int32Array(Math.max(need, 2 * (arena[e]?.length ?? 0)));
      if ((memRank[e]?.length ?? 0) < size) {
        const cap = Math.max(size, 2 * (memRank[e]?.length ?? 0));
        memRank[e] = new Int32Array(cap);
        memStart[e] = new Int32Array(cap);
        memLen[e] = new Int32Array(cap);
      }
      const next = arena[e]!;
      const nr = memRank[e]!;
      const ns = memStart[e]!;
      const nl = memLen[e]!;
      let count = 0;
      let at = 0;
      for (let c = a + 1; c < size; c++) {
        const rc = ranks[c]!;
        if (pairs && pairs[ra < rc ? ra * f + rc : rc * f + ra]! < min) continue;
        const k = bits
          ? filterByBits(tids, sa, la, bits, rc * words, next, at, min)
          : intersect(tids, sa, la, tids, starts[c]!, lens[c]!, next, at, min);
        if (k < min) continue;
        nr[count] = rc;
        ns[count] = at;
        nl[count] = k;
        count++;
        at += k;
      }
      if (count) grow(e, count);
    }
  };
  grow(0, f);
  return out;
}

/**
 * Memory bounds of the two aids; past them Eclat merges lists instead, with the same answer. Tests lower them
 * to check that.
 */
export interface EclatLimits {
  /** Most frequent items for the pair matrix (f² counts: 4,096 items is 64 MB). */
  pairMatrixMaxItems: number;
  /** Most 32-bit words for the per-item bitmaps (frequent items × baskets / 32; 2²² words is 16 MB). */
  bitmapMaxWords: number;
}
export const ECLAT_LIMITS: EclatLimits = { pairMatrixMaxItems: 4096, bitmapMaxWords: 1 << 22 };

/**
 * Writes the baskets of a[sa, sa + la) whose bit is set in bits[base…] at out[at…] and returns how many, or 0
 * as soon as too many have missed for min to be reached.
 */
function filterByBits(
  a: Int32Array,
  sa: number,
  la: number,
  bits: Int32Array,
  base: number,
  out: Int32Array,
  at: number,
  min: number,
): number {
  let k = at;
  let misses = la - min;
  for (let i = sa; i < sa + la; i++) {
    const t = a[i]!;
    if ((bits[base + (t >>> 5)]! >>> (t & 31)) & 1) out[k++] = t;
    else if (--misses < 0) return 0;
  }
  return k - at;
}

/** Counts of every pair of frequent items (by rank, lower rank first) in one pass over the baskets. */
function pairCounts(b: Baskets, rank: Int32Array, f: number): Int32Array {
  const pc = new Int32Array(f * f);
  const n = basketCount(b);
  let row = new Int32Array(64);
  for (let t = 0; t < n; t++) {
    const from = b.offsets[t]!;
    const to = b.offsets[t + 1]!;
    if (to - from > row.length) row = new Int32Array(2 * (to - from));
    let s = 0;
    for (let k = from; k < to; k++) {
      const r = rank[b.items[k]!]!;
      if (r >= 0) row[s++] = r;
    }
    for (let x = 0; x < s; x++) {
      const rx = row[x]!;
      for (let y = x + 1; y < s; y++) {
        const ry = row[y]!;
        pc[rx < ry ? rx * f + ry : ry * f + rx]!++;
      }
    }
  }
  return pc;
}

/**
 * Writes the intersection of the sorted lists a[sa, sa + la) and b[sb, sb + lb) at out[at…] and returns its
 * length, or stops early (returning less than min) once what remains cannot reach min.
 */
function intersect(
  a: Int32Array,
  sa: number,
  la: number,
  b: Int32Array,
  sb: number,
  lb: number,
  out: Int32Array,
  at: number,
  min: number,
): number {
  let i = sa;
  let j = sb;
  const ea = sa + la;
  const eb = sb + lb;
  let k = at;
  // Stop when k - at + min(ea - i, eb - j) < min, i.e. when either list has too little left.
  const slack = la < lb ? la : lb;
  if (slack < min) return 0;
  let stopA = ea - min;
  let stopB = eb - min;
  while (i < ea && j < eb) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
      stopA++;
      stopB++;
    } else if (x < y) {
      if (++i > stopA) return 0;
    } else if (++j > stopB) return 0;
  }
  return k - at;
}

export interface Rule {
  antecedent: number[];
  consequent: number;
  count: number;
  support: number;
  confidence: number;
  lift: number;
}

/** Rules with one item on the right from the frequent itemsets (every subset of one is frequent too). */
export function singleConsequentRules(sets: readonly Itemset[], n: number, minConfidence: number): Rule[] {
  const counts = new Map<string, number>();
  for (const s of sets) counts.set(s.items.join(','), s.count);
  const rules: Rule[] = [];
  for (const s of sets) {
    if (s.items.length < 2) continue;
    for (const c of s.items) {
      const ante = s.items.filter((x) => x !== c);
      const anteCount = counts.get(ante.join(','))!;
      const confidence = s.count / anteCount;
      if (confidence + 1e-12 < minConfidence) continue;
      rules.push({
        antecedent: ante,
        consequent: c,
        count: s.count,
        support: s.count / n,
        confidence,
        lift: confidence / (counts.get(String(c))! / n),
      });
    }
  }
  return rules.sort((a, b) => b.lift - a.lift || b.count - a.count);
}
