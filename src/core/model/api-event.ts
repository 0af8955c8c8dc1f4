import { z } from 'zod';
import { currencyExponent, isCurrencyCode, maxMinor } from '../money.js';
import { ASSIGNMENTS, DEVICES, EVENT_TYPES, OFFER_CHANNELS } from './tables.js';

/** An id as the API takes it (session, product, customer, order, idempotency key). */
export const ApiId = z
  .string()
  .min(1, 'must not be empty')
  .max(200, 'is longer than 200 characters')
  .refine((s) => !s.includes('\u0000'), 'must not contain a NUL character');
const INT32_MAX = 2_147_483_647;
// Any amount the store can hold in the widest currency; the event's own currency is checked below.
const minor = z
  .number()
  .int('must be a whole number of minor units')
  .nonnegative('must not be negative')
  .max(maxMinor(0), 'is too large');
const count = z
  .number()
  .int('must be a whole number')
  .nonnegative('must not be negative')
  .max(INT32_MAX, 'is too large');

/**
 * One event as the storefront sends it to POST /v1/events. A purchase may carry its order (id, lines,
 * discount, shipping), which becomes the order in the store; every other field is the event itself.
 */
export const ApiEvent = z.strictObject({
  idempotencyKey: ApiId,
  type: z.enum(EVENT_TYPES),
  sessionId: ApiId,
  occurredAt: z.string().datetime({
    offset: true,
    message: 'must be an ISO 8601 date-time with offset, e.g. 2026-01-05T10:00:00Z',
  }),
  customerId: ApiId.optional(),
  productId: ApiId.optional(),
  quantity: count.optional(),
  valueMinor: minor.optional(),
  offerId: ApiId.optional(),
  /** Where an offer event happened: web (the default), chat or email (O8). */
  channel: z.enum(OFFER_CHANNELS).optional(),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code such as USD').optional(),
  device: z.enum(DEVICES).optional(),
  orderId: ApiId.optional(),
  lines: z
    .array(
      z.strictObject({
        productId: ApiId,
        quantity: count.positive('must be at least 1'),
        unitPriceMinor: minor,
        discountMinor: minor.optional(),
      }),
    )
    .max(500, 'has more than 500 lines')
    .optional(),
  discountMinor: minor.optional(),
  shippingMinor: minor.optional(),
});
export type ApiEvent = z.infer<typeof ApiEvent>;

/**
 * Amounts the store cannot hold in the event's currency (a JPY value over 10^15 yen), as a path and a
 * message; null when every amount fits. The currency is the event's, else the store's.
 */
export function amountOutOfRange(
  e: ApiEvent,
  storeCurrency: string,
): { path: string; problem: string } | null {
  const max = maxMinor(currencyExponent(e.currency ?? storeCurrency));
  const check: [string, number | undefined][] = [
    ['valueMinor', e.valueMinor],
    ['discountMinor', e.discountMinor],
    ['shippingMinor', e.shippingMinor],
  ];
  for (const [i, l] of (e.lines ?? []).entries()) {
    check.push(
      [`lines.${i}.unitPriceMinor`, l.unitPriceMinor],
      [`lines.${i}.discountMinor`, l.discountMinor],
    );
  }
  const total = e.lines?.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  if (total !== undefined) check.push(['lines', total]);
  for (const [path, v] of check)
    if (v !== undefined && v > max)
      return { path, problem: `is more than the store can hold (${max} minor units)` };
  return null;
}

/**
 * What the server writes to its event log: the event, when it arrived, its currency and the unit's
 * assignment.
 */
export const LoggedApiEvent = ApiEvent.extend({
  receivedAt: z.string().datetime({ offset: true }),
  currency: z.string().refine(isCurrencyCode, 'must be an ISO 4217 currency code'),
  assignment: z.enum(ASSIGNMENTS),
  /** The offer experiments the unit was in when the event arrived, with its variant. Absent in older logs. */
  experiments: z
    .array(z.strictObject({ experiment: z.string().max(63), variant: z.string().max(63) }))
    .max(16)
    .optional(),
  /**
   * Who reported it: the browser (publishable key) or the store's own systems (secret key). Absent in older
   * logs.
   */
  source: z.enum(['client', 'server']).optional(),
});
export type LoggedApiEvent = z.infer<typeof LoggedApiEvent>;
