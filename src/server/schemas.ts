import { z } from 'zod';
import { ApiEvent, ApiId } from '../core/model/api-event.js';
import { DEVICES } from '../core/model/tables.js';
import { PAGES } from '../core/recs/recommend.js';
import { ReportOptionsSchema } from '../app/report-options.js';

export const DecideBody = z.strictObject({
  page: z.enum(PAGES),
  sessionId: ApiId,
  productId: ApiId.optional(),
  cart: z.array(z.strictObject({
    productId: ApiId,
    quantity: z.number().int('must be a whole number').positive('must be at least 1').max(10_000),
    unitPriceMinor: z.number().int('must be a whole number of minor units').nonnegative(),
  })).max(200, 'has more than 200 lines').default([]),
  customer: z.strictObject({ id: ApiId, spendMinor: z.number().int().nonnegative().optional(), firstName: z.string().max(100).optional() }).optional(),
  visitorType: z.enum(['new', 'returning', 'customer', 'vip']).optional(),
  exiting: z.boolean().optional(),
  device: z.enum(DEVICES).optional(),
});

export const EventsBody = z.strictObject({
  events: z.array(ApiEvent).min(1, 'must hold at least one event'),
});

export const RecommendationsQuery = z.strictObject({
  cart: z.string().max(4000, 'is longer than 4000 characters; send at most 200 product ids').default(''),
  page: z.enum(PAGES).default('cart'),
  k: z.coerce.number().int().min(1).max(50).default(5),
});

/** The report's query parameters are the CLI's report options (one schema); an unknown one is a mistake worth saying. */
export const ReportQuery = ReportOptionsSchema;
