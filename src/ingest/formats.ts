import { LeversError } from '../core/errors.js';
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
  if (!f)
    throw new LeversError('UNKNOWN_FORMAT', { format: name, known: FORMATS.map((x) => x.name).join(', ') });
  return f;
}
