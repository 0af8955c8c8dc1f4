import type { StoreFolder } from '../folder.js';
import type { Pulled } from '../port.js';
import { pullWeights } from './bandit-weights.js';
import { PgConn } from './connection.js';
import { pullOffers } from './offer-configs.js';
import { pullModel } from './snapshots.js';

/**
 * Brings everything newer than the folder's from the database, over one connection: the model and its
 * histories, the offer configuration, each bandit's weights. Each kind is pulled on its own, so one that cannot
 * be (a table a later migration adds, not there yet) does not hold back the others.
 */
export async function pullPublished(url: string, folder: StoreFolder): Promise<Pulled> {
  const db = await PgConn.connect(url);
  const safely = async <T>(pull: () => Promise<T>, none: T): Promise<T> => {
    try {
      return await pull();
    } catch {
      return none;
    }
  };
  try {
    return {
      model: await safely(() => pullModel(db, folder), null),
      offers: await safely(() => pullOffers(db, folder), null),
      weights: await safely(() => pullWeights(db, folder), []),
    };
  } finally {
    await db.close().catch(() => {});
  }
}

/** True when a pull brought anything. */
export const pulledAny = (p: Pulled): boolean => p.model != null || p.offers != null || p.weights.length > 0;
