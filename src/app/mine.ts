import { LeversError } from '../core/errors.js';
import { basketCount, encodeBaskets, type Baskets } from '../core/recs/baskets.js';
import type { CustomerHistories } from '../core/recs/habits.js';
import { countPairsParallel } from './pairs-parallel.js';
import { buildModel, type ItemMeta, type MineParams, type RecsModel } from '../core/recs/model.js';
import { readBasketFile } from '../ingest/basket-file.js';
import { withDatabase, type Database, type Store } from '../store/port.js';

export { MINE_DEFAULTS } from './mine-defaults.js';
/** Orders kept per repeat customer in the habits snapshot. */
const HISTORY_ORDERS = 20;

export interface MineResult {
  model: RecsModel;
  file: string;
  /** Repeat customers whose histories were saved beside the model; null when mined from a basket file. */
  repeatCustomers: number | null;
  seconds: number;
}

/**
 * Mines a recommendation snapshot (pairs, rules, bundles) from the store's baskets or a basket file, saves it
 * as the next version with the repeat customers' histories beside it, and makes it current.
 */
export async function mine(
  store: Store,
  p: MineParams,
  o: { basketsFile?: string; createdAt: string },
): Promise<MineResult> {
  const t0 = performance.now();
  // A shared store numbers its versions across machines: start from the newest published one.
  await store.pullSnapshots?.();
  const r = await mineSnapshot(store, p, o, t0);
  await store.publishSnapshots?.();
  return r;
}

async function mineSnapshot(
  store: Store,
  p: MineParams,
  o: { basketsFile?: string; createdAt: string },
  t0: number,
): Promise<MineResult> {
  if (o.basketsFile) {
    const model = await modelFrom(
      encodeBaskets(readBasketFile(o.basketsFile)),
      new Map(),
      p,
      store.snapshots.nextModelVersion(),
      o.createdAt,
      'USD',
    );
    return {
      model,
      file: store.snapshots.saveModel(model),
      repeatCustomers: null,
      seconds: (performance.now() - t0) / 1000,
    };
  }
  return withDatabase(store, async (db) => {
    const model = await mineFrom(db, p, {
      version: store.snapshots.nextModelVersion(),
      createdAt: o.createdAt,
    });
    const file = store.snapshots.saveModel(model);
    const h: CustomerHistories = {
      format: 1,
      version: model.version,
      customers: await db.repeatCustomerHistories(HISTORY_ORDERS),
    };
    store.snapshots.saveHistories(h);
    return {
      model,
      file,
      repeatCustomers: Object.keys(h.customers).length,
      seconds: (performance.now() - t0) / 1000,
    };
  });
}

/**
 * The model of the store's baskets (before a day, for evaluation), with what the store knows of each product.
 */
export async function mineFrom(
  db: Database,
  p: MineParams,
  stamp: { version: number; createdAt: string; before?: string },
): Promise<RecsModel> {
  const currency = (await db.currencies())[0]?.currency ?? 'USD';
  const { baskets } = await db.baskets(stamp.before ? { before: stamp.before } : {});
  const meta = await db.itemInfo(baskets.names, currency);
  return modelFrom(baskets, meta, p, stamp.version, stamp.createdAt, currency);
}

async function modelFrom(
  b: Baskets,
  meta: Map<string, ItemMeta>,
  p: MineParams,
  version: number,
  createdAt: string,
  currency: string,
): Promise<RecsModel> {
  if (basketCount(b) === 0) {
    throw new LeversError('NO_DATA', {
      what: 'orders with product lines',
      hint: 'load orders with their lines first, or pass --baskets FILE',
    });
  }
  const pairs = await countPairsParallel(b, { minCount: 2, topK: p.topK });
  return buildModel(b, meta, p, { version, createdAt, currency }, pairs);
}
