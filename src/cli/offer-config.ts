import { existsSync } from 'node:fs';
import { type ExperimentContext, profitBasisOf } from '../app/experiment.js';
import type { OfferConfig } from '../core/offers/config.js';
import { loadServerConfig } from '../server/config.js';

/**
 * The offer configuration of the server's configuration file (--config, else levers.config.json when it exists);
 * null when no file was given and the default is absent.
 */
export function offerConfigOf(config: string | undefined): OfferConfig | null {
  const file = config ?? 'levers.config.json';
  if (!config && !existsSync(file)) return null;
  return loadServerConfig(file).offers;
}

/** The offer experiments and holdout share the configuration declares; none without one. */
export function experimentContextOf(config: string | undefined): ExperimentContext {
  const offers = offerConfigOf(config);
  return offers
    ? { experiments: offers.experiments, holdoutShare: offers.holdoutShare, profit: profitBasisOf(offers) }
    : { experiments: [] };
}
