import { basketCount, itemTidlists, type Baskets } from './baskets.js';

export interface Itemset {
  items: number[];
  count: number;
}

/** Minimum count for a support fraction, as mlxtend and arules apply it: count / n ≥ minSupport. */
export function minCount(minSupport: number, n: number): number {
  const c = Math.ceil(minSupport * n - 1e-9);
  return Math.max(1, c);
}

function intersect(a: Int32Array, b: Int32Array, out: Int32Array): number {
  let i = 0,
    j = 0,
    k = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!,
      y = b[j]!;
    if (x === y) {
      out[k++] = x;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return k;
}

/**
 * Frequent itemsets by Eclat (Zaki 2000): depth-first over items in ascending frequency, extending a prefix
 * by intersecting sorted basket lists. Every itemset with count ≥ minCount and length ≤ maxLen.
 */
export function frequentItemsets(b: Baskets, minSupport: number, maxLen = Infinity): Itemset[] {
  const n = basketCount(b);
  const min = minCount(minSupport, n);
  const tid = itemTidlists(b);
  const frequent = [...tid.keys()]
    .filter((i) => tid[i]!.length >= min)
    .sort((x, y) => tid[x]!.length - tid[y]!.length || x - y);
  const out: Itemset[] = [];
  const grow = (prefix: number[], classes: { item: number; tids: Int32Array }[]) => {
    for (let a = 0; a < classes.length; a++) {
      const { item, tids } = classes[a]!;
      const items = [...prefix, item];
      out.push({ items: [...items].sort((x, y) => x - y), count: tids.length });
      if (items.length >= maxLen) continue;
      const next: { item: number; tids: Int32Array }[] = [];
      for (let c = a + 1; c < classes.length; c++) {
        const other = classes[c]!;
        const buf = new Int32Array(Math.min(tids.length, other.tids.length));
        const k = intersect(tids, other.tids, buf);
        if (k >= min) next.push({ item: other.item, tids: buf.subarray(0, k) });
      }
      if (next.length) grow(items, next);
    }
  };
  grow(
    [],
    frequent.map((i) => ({ item: i, tids: tid[i]! })),
  );
  return out;
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
