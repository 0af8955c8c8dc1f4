import { LeversError } from '../core/errors.js';
import { basketCount, encodeBaskets, type Baskets } from '../core/recs/baskets.js';
import { evaluate, type EvalMetrics } from '../core/recs/evaluate.js';
import { buildModel, type RecsModel } from '../core/recs/model.js';
import { readBasketFile } from '../ingest/basket-file.js';
import { withDatabase, type Store } from '../store/port.js';
import { mineFrom } from './mine.js';

export interface EvalOptions {
  k: number;
  /** Train before this day, test from it (default: the last 20% of sales). */
  split?: string;
  basketsFile?: string;
  minSupport: number;
}

export interface EvalRun {
  trainBaskets: number;
  testBaskets: number;
  k: number;
  results: EvalMetrics[];
}

const RANKINGS = ['shrunk', 'lift', 'popular'] as const;
const params = (minSupport: number) => ({ minSupport, minConfidence: 0.3, maxLen: 2, topK: 100 });

/**
 * R8: hide one item of each later basket, recommend from the rest; the model beside plain lift and
 * popularity.
 */
export async function evalRecs(store: Store, o: EvalOptions): Promise<EvalRun> {
  let test: Baskets;
  let model: RecsModel;
  if (o.basketsFile) {
    const all = readBasketFile(o.basketsFile);
    const cut = Math.floor(all.length * 0.8);
    test = encodeBaskets(all.slice(cut));
    model = buildModel(encodeBaskets(all.slice(0, cut)), new Map(), params(o.minSupport), {
      version: 0,
      createdAt: '',
      currency: 'USD',
    });
  } else {
    ({ test, model } = await withDatabase(store, async (db) => {
      const split = o.split ?? (await db.saleTimeQuantile(0.8));
      if (!split)
        throw new LeversError('NO_DATA', { what: 'orders', hint: 'load orders with their lines first' });
      const model = await mineFrom(db, params(o.minSupport), { version: 0, createdAt: '', before: split });
      return { test: (await db.baskets({ from: split })).baskets, model };
    }));
  }
  return {
    trainBaskets: model.baskets,
    testBaskets: basketCount(test),
    k: o.k,
    results: RANKINGS.map((r) => evaluate(model, test, o.k, r)),
  };
}
