import { LeversError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { apiEvents } from './api-events.js';
import { canonicalLoaders } from './canonical.js';
import type { FormatLoader } from './context.js';
import { cdnow } from './cdnow.js';
import { gaSessions } from './ga-sessions.js';
import { onlineRetail } from './online-retail.js';
import { shopifyOrders } from './shopify-orders.js';

export const FORMATS: readonly FormatLoader[] = [
  ...canonicalLoaders,
  shopifyOrders,
  onlineRetail,
  gaSessions,
  cdnow,
  apiEvents,
];

export function formatByName(name: string): FormatLoader {
  const f = FORMATS.find((x) => x.name === name);
  if (!f) {
    const known = FORMATS.map((x) => x.name);
    throw new LeversError('UNKNOWN_FORMAT', {
      format: name,
      suggestion: didYouMean(name, known),
      known: known.join(', '),
    });
  }
  return f;
}
