import { z } from 'zod';
import { isCurrencyCode } from '../money.js';
import { ASSIGNMENTS, DEVICES, EVENT_TYPES } from './tables.js';

/** An id as the API takes it (session, product, customer, order, idempotency key). */
export const ApiId = z.string().min(1, 'must not be empty').max(200, 'is longer than 200 characters');
const minor = z.number().int('must be a whole number of minor units').nonnegative('must not be negative');

/**
 * One event as the storefront sends it to POST /v1/events. A purchase may carry its order (id, lines, discount,
 * shipping), which becomes the order in the store; every other field is the event itself.
 */
export const ApiEvent = z.strictObject({
  idempotencyKey: ApiId,
  type: z.enum(EVENT_TYPES),
  sessionId: ApiId,
  occurredAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-01-05T10:00:00Z' }),
  customerId: ApiId.optional(),
  productId: ApiId.optional(),
  quantity: z.number().int('must be a whole number').optional(),
  valueMinor: z.number().int('must be a whole number of minor units').optional(),
  offerId: ApiId.optional(),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code such as USD').optional(),
  device: z.enum(DEVICES).optional(),
  orderId: ApiId.optional(),
  lines: z.array(z.strictObject({
    productId: ApiId,
    quantity: z.number().int('must be a whole number').positive('must be at least 1'),
    unitPriceMinor: minor,
    discountMinor: minor.optional(),
  })).max(500, 'has more than 500 lines').optional(),
  discountMinor: minor.optional(),
  shippingMinor: minor.optional(),
});
export type ApiEvent = z.infer<typeof ApiEvent>;

/** What the server writes to its event log: the event, when it arrived, its currency and the unit's assignment. */
export const LoggedApiEvent = ApiEvent.extend({
  receivedAt: z.string().datetime({ offset: true }),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code'),
  assignment: z.enum(ASSIGNMENTS),
});
export type LoggedApiEvent = z.infer<typeof LoggedApiEvent>;
