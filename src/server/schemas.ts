import { z } from 'zod';
import { EVENT_TYPES } from '../core/model/tables.js';
import { PAGES } from '../core/recs/recommend.js';

const id = z.string().min(1, 'must not be empty').max(200, 'is longer than 200 characters');

export const DecideBody = z.strictObject({
  page: z.enum(PAGES),
  sessionId: id,
  cart: z.array(z.strictObject({
    productId: id,
    quantity: z.number().int('must be a whole number').positive('must be at least 1').max(10_000),
    unitPriceMinor: z.number().int('must be a whole number of minor units').nonnegative(),
  })).max(200, 'has more than 200 lines').default([]),
  customer: z.strictObject({ id, spendMinor: z.number().int().nonnegative().optional(), firstName: z.string().max(100).optional() }).optional(),
  visitorType: z.enum(['new', 'returning', 'customer', 'vip']).optional(),
  exiting: z.boolean().optional(),
});

export const EventsBody = z.strictObject({
  events: z.array(z.strictObject({
    idempotencyKey: id,
    type: z.enum(EVENT_TYPES),
    sessionId: id,
    occurredAt: z.string().datetime({ offset: true, message: 'must be an ISO 8601 date-time with offset, e.g. 2026-01-05T10:00:00Z' }),
    customerId: id.optional(),
    productId: id.optional(),
    quantity: z.number().int().optional(),
    valueMinor: z.number().int().optional(),
    offerId: id.optional(),
  })).min(1, 'must hold at least one event'),
});

export const RecommendationsQuery = z.strictObject({
  cart: z.string().default(''),
  page: z.enum(PAGES).default('cart'),
  k: z.coerce.number().int().min(1).max(50).default(5),
});
