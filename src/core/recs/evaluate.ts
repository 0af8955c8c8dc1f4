import { basketCount, type Baskets } from './baskets.js';
import type { RecsModel } from './model.js';
import { crossSell, type RecContext } from './recommend.js';

export interface EvalMetrics {
  ranking: string;
  baskets: number;
  hitAtK: number;
  recallAtK: number;
  mrr: number;
  coverage: number;
  revenueWeightedHit: number | null;
}

/**
 * Leave-one-out on later baskets: hide one item (chosen by the basket's position, so runs repeat), recommend
 * k from the rest, score the hidden item's rank. recall@k gives one item and asks for the others back.
 */
export function evaluate(
  m: RecsModel,
  test: Baskets,
  k: number,
  ranking: NonNullable<RecContext['ranking']>,
): EvalMetrics {
  const ids = new Map(m.items.map((it, i) => [it.id, i]));
  let n = 0,
    hits = 0,
    rr = 0,
    recall = 0,
    revHit = 0,
    rev = 0;
  const shown = new Set<string>();
  for (let t = 0; t < basketCount(test); t++) {
    const known: number[] = [];
    for (let p = test.offsets[t]!; p < test.offsets[t + 1]!; p++) {
      const i = ids.get(test.names[test.items[p]!]!);
      if (i !== undefined) known.push(i);
    }
    if (known.length < 2) continue;
    n++;
    const h = (t * 2654435761) % known.length;
    const hidden = known[h]!;
    const rest = known.filter((_, q) => q !== h);
    const recs = crossSell(m, rest, k, ranking);
    for (const r of recs) shown.add(r.id);
    const rank = recs.findIndex((r) => r.id === m.items[hidden]!.id);
    const price = m.items[hidden]!.priceMinor;
    if (price != null) rev += price;
    if (rank >= 0) {
      hits++;
      rr += 1 / (rank + 1);
      if (price != null) revHit += price;
    }
    const given = known[(h + 1) % known.length]!;
    const back = new Set(crossSell(m, [given], k, ranking).map((r) => r.id));
    const others = known.filter((i) => i !== given);
    recall += others.filter((i) => back.has(m.items[i]!.id)).length / others.length;
  }
  return {
    ranking,
    baskets: n,
    hitAtK: n ? hits / n : 0,
    recallAtK: n ? recall / n : 0,
    mrr: n ? rr / n : 0,
    coverage: shown.size / m.items.length,
    revenueWeightedHit: rev ? revHit / rev : null,
  };
}
