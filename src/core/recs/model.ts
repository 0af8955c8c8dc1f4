import { basketCount, encodeBaskets, type Baskets } from './baskets.js';
import { frequentItemsets, singleConsequentRules } from './itemsets.js';
import { countPairs, type Neighbour } from './pairs.js';

export const MODEL_FORMAT = 1;

export interface ItemMeta {
  id: string;
  title: string | null;
  category: string | null;
  family: string | null;
  priceMinor: number | null;
  costMinor: number | null;
  /** Units in stock when the snapshot was mined (O6 says "only 3 left" from it). */
  stock?: number | null;
}

/** The recommendation snapshot: plain JSON the server loads into memory; no database behind it. */
export interface RecsModel {
  format: number;
  version: number;
  createdAt: string;
  currency: string;
  params: MineParams;
  baskets: number;
  items: (ItemMeta & { count: number })[];
  /** Per item: [neighbour, count, confidence, lift, score], best score first. */
  neighbours: [number, number, number, number, number][][];
  rules: {
    antecedent: string[];
    consequent: string;
    count: number;
    support: number;
    confidence: number;
    lift: number;
  }[];
  bundles: { items: string[]; count: number; support: number; lift: number; revenueMinor: number | null }[];
  /** Category → co-bought categories by shrunk lift: the fallback for items with too little history. */
  categories: Record<string, [string, number][]>;
  /** Item indices by basket count. */
  popular: number[];
}

export interface MineParams {
  minSupport: number;
  minConfidence: number;
  maxLen: number;
  topK: number;
}

export function buildModel(
  b: Baskets,
  meta: ReadonlyMap<string, ItemMeta>,
  p: MineParams,
  stamp: { version: number; createdAt: string; currency: string },
  /** countPairs(b, { minCount: 2, topK: p.topK }) when the caller counted them already (on several threads). */
  pairs: Neighbour[][] = countPairs(b, { minCount: 2, topK: p.topK }),
): RecsModel {
  const n = basketCount(b);
  const sets = frequentItemsets(b, p.minSupport, p.maxLen);
  const rules = singleConsequentRules(sets, n, p.minConfidence).slice(0, 5000);
  const items = b.names.map((id, i) => ({
    ...(meta.get(id) ?? { id, title: null, category: null, family: null, priceMinor: null, costMinor: null }),
    count: b.itemCounts[i]!,
  }));
  const bundles = sets
    .filter((s) => s.items.length >= 2)
    .map((s) => {
      const expected = s.items.reduce((e, i) => e * (b.itemCounts[i]! / n), 1) * n;
      const prices = s.items.map((i) => items[i]!.priceMinor);
      return {
        items: s.items.map((i) => b.names[i]!),
        count: s.count,
        support: s.count / n,
        lift: s.count / expected,
        revenueMinor: prices.every((x) => x != null) ? s.count * prices.reduce((a, x) => a! + x!, 0)! : null,
      };
    })
    .sort((x, y) => (y.revenueMinor ?? 0) - (x.revenueMinor ?? 0) || y.count - x.count)
    .slice(0, 500);
  return {
    format: MODEL_FORMAT,
    ...stamp,
    params: p,
    baskets: n,
    items,
    neighbours: pairs.map((list) => list.map((x) => [x.to, x.count, x.confidence, x.lift, x.score])),
    rules: rules.map((r) => ({
      antecedent: r.antecedent.map((i) => b.names[i]!),
      consequent: b.names[r.consequent]!,
      count: r.count,
      support: r.support,
      confidence: r.confidence,
      lift: r.lift,
    })),
    bundles,
    categories: categoryNeighbours(b, items),
    popular: [...b.itemCounts.keys()].sort((x, y) => b.itemCounts[y]! - b.itemCounts[x]!).slice(0, 500),
  };
}

function categoryNeighbours(b: Baskets, items: readonly ItemMeta[]): Record<string, [string, number][]> {
  if (!items.some((i) => i.category)) return {};
  const lists: string[][] = [];
  for (let t = 0; t < basketCount(b); t++) {
    const cats = new Set<string>();
    for (let k = b.offsets[t]!; k < b.offsets[t + 1]!; k++) {
      const c = items[b.items[k]!]!.category;
      if (c) cats.add(c);
    }
    if (cats.size) lists.push([...cats]);
  }
  const cb = encodeBaskets(lists);
  const pairs = countPairs(cb, { minCount: 1, topK: 10 });
  const out: Record<string, [string, number][]> = {};
  for (const [i, c] of cb.names.entries()) out[c] = pairs[i]!.map((x) => [cb.names[x.to]!, x.score]);
  return out;
}
