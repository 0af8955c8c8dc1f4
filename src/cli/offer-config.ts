import { existsSync } from 'node:fs';
import { type ExperimentContext, profitBasisOf } from '../app/experiment.js';
import { offersInForce } from '../app/offers-in-force.js';
import type { OfferConfig } from '../core/offers/config.js';
import type { Store } from '../store/port.js';
import { loadServerConfig } from '../server/config.js';

/**
 * The offer configuration the store's servers serve: with a database, the newest version published there (the
 * file then is not read); else the configuration file's (--config, else levers.config.json when it exists).
 * Null when there is neither.
 */
export async function offerConfigOf(config: string | undefined, store: Store): Promise<OfferConfig | null> {
  await store.pullSnapshots?.();
  const file = config ?? 'levers.config.json';
  const fromFile = !config && !existsSync(file) ? null : () => loadServerConfig(file).offers;
  if (!store.publishedOffers?.() && !fromFile) return null;
  return offersInForce(store, fromFile ?? (() => ({}) as OfferConfig)).offers;
}

/** The offer experiments and holdout share the configuration declares; none without one. */
export async function experimentContextOf(
  config: string | undefined,
  store: Store,
): Promise<ExperimentContext> {
  const offers = await offerConfigOf(config, store);
  return offers
    ? { experiments: offers.experiments, holdoutShare: offers.holdoutShare, profit: profitBasisOf(offers) }
    : { experiments: [] };
}
