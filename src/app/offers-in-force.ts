import { isLeversError, LeversError } from '../core/errors.js';
import { type OfferConfig, parseOfferConfig } from '../core/offers/config.js';
import type { Store } from '../store/port.js';

/** Where the offer configuration served comes from: a version published in the database, or the file. */
export type OffersSource = { source: 'database'; version: number; publishedAt: string } | { source: 'file' };

/**
 * The offer configuration every server of the store serves. With a shared store, the newest version published
 * there (levers config publish), as last pulled to this machine, in place of the configuration file's offers;
 * the file's (read only then) while none has been published, and always for a store in a folder.
 */
export function offersInForce(
  store: Store,
  fileOffers: () => OfferConfig,
): { offers: OfferConfig; from: OffersSource } {
  const published = store.publishedOffers?.() ?? null;
  if (!published) return { offers: fileOffers(), from: { source: 'file' } };
  try {
    return {
      offers: parseOfferConfig(published.offers),
      from: { source: 'database', version: published.version, publishedAt: published.publishedAt },
    };
  } catch (e) {
    // Checked when published, so only a version a newer Levers published can fail here: the versions say so.
    if (isLeversError(e) && e.code === 'CONFIG_INVALID')
      throw new LeversError('CONFIG_INVALID', {
        path: `offers.${e.details.path} (offer configuration v${published.version} from the database)`,
        problem: String(e.details.problem),
      });
    throw e;
  }
}
