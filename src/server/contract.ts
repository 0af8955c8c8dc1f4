import { z } from 'zod';
import { DecideResponseSchema } from '../app/decision-json.js';
import { ReportOptionsSchema } from '../app/report-options.js';
import { ERROR_CODES } from '../core/errors.js';
import { VERDICT_CODES } from '../core/experiments/analysis.js';
import { ApiEvent, ApiId } from '../core/model/api-event.js';
import { DEVICES } from '../core/model/tables.js';
import { maxMinor } from '../core/money.js';
import { PAGES } from '../core/recs/recommend.js';
import { ConversationReplySchema, TRIGGERS, TurnSchema } from '../core/conversation/schema.js';
import { Locale } from '../core/offers/config.js';

/**
 * The HTTP API's contract, one zod schema per request and response. The server validates requests with them,
 * OpenAPI is generated from them, TypeScript types are inferred from them, and a test parses real responses
 * with them.
 */
const amount = z
  .number()
  .int('must be a whole number of minor units')
  .nonnegative('must not be negative')
  .max(maxMinor(0), 'is too large');

export const DecideBody = z.strictObject({
  page: z.enum(PAGES),
  sessionId: ApiId,
  productId: ApiId.optional(),
  cart: z
    .array(
      z.strictObject({
        productId: ApiId,
        quantity: z.number().int('must be a whole number').positive('must be at least 1').max(10_000),
        unitPriceMinor: amount,
      }),
    )
    .max(200, 'has more than 200 lines')
    .default([]),
  customer: z
    .strictObject({ id: ApiId, spendMinor: amount.optional(), firstName: z.string().max(100).optional() })
    .optional(),
  visitorType: z.enum(['new', 'returning', 'customer', 'vip']).optional(),
  exiting: z.boolean().optional(),
  device: z.enum(DEVICES).optional(),
});

/**
 * POST /v1/conversation (O8): the page and cart as /v1/decide takes them, what brought the chat to speak, and
 * the conversation so far (the server keeps none: the history says what was suggested and declined).
 */
export const ConversationBody = DecideBody.omit({ exiting: true }).extend({
  trigger: z.enum(TRIGGERS, {
    error: `must be one of ${TRIGGERS.join(', ')}`,
  }),
  locale: Locale.optional(),
  history: z.array(TurnSchema).max(50, 'has more than 50 turns; send the last 50').default([]),
});
export const ConversationResponse = ConversationReplySchema.extend({
  model: z.number().int().describe('version of the recommendation snapshot'),
});

export const EventsBody = z.strictObject({
  events: z.array(ApiEvent).min(1, 'must hold at least one event'),
});

export const RecommendationsQuery = z.strictObject({
  cart: z.string().max(4000, 'is longer than 4000 characters; send at most 200 product ids').default(''),
  page: z.enum(PAGES).default('cart'),
  k: z.coerce.number().int().min(1).max(50).default(5),
});

/** The report's query parameters are the ' +
  'CLI's report options (one schema); an unknown one is a mistake worth saying. */
export const ReportQuery = ReportOptionsSchema;

export const DecideResponse = DecideResponseSchema;

export const EventsResponse = z.strictObject({
  accepted: z.number().int().describe("events stored now (written and fsync'ed)"),
  duplicates: z.number().int().describe('events whose idempotency key was stored before'),
});

const RecItem = z.strictObject({
  id: z.string(),
  title: z.string().nullable(),
  kind: z.enum([
    'cross-sell',
    'upsell',
    'filler',
    'post-purchase',
    'category',
    'popular',
    'habit',
    'reorder',
  ]),
  priceMinor: z.number().int().nullable(),
  score: z.number(),
  probability: z.number(),
  expectedValueMinor: z.number().nullable(),
  reason: z.string(),
});
export const RecommendationsResponse = z.strictObject({
  model: z.number().int(),
  items: z.array(RecItem),
  notes: z.array(z.string()),
});

export const HealthResponse = z.strictObject({
  ok: z.literal(true),
  status: z.enum(['ok', 'degraded']),
  model: z.number().int(),
  events: z.number().int(),
  eventsWritable: z.boolean(),
  /** Where events go to a database (PostgreSQL): whether it answered the last probe or append. */
  database: z.enum(['reachable', 'unreachable']).optional(),
  problem: z.string().optional(),
  decisionCache: z.strictObject({ hits: z.number().int(), misses: z.number().int() }),
  /** The offer configuration served: a version published in the database (--database), or the file's. */
  offers: z.union([
    z.strictObject({ source: z.literal('database'), version: z.number().int(), publishedAt: z.string() }),
    z.strictObject({ source: z.literal('file') }),
  ]),
  /** The bandits' published weights in force, version by experiment ({}: the configured weights). */
  weights: z.record(z.string(), z.number().int()),
});

const rows = z.strictObject({
  read: z.number().int(),
  loaded: z.number().int(),
  rejected: z.number().int(),
  skipped: z.number().int(),
});
export const LoadEventsResponse = z
  .object({
    format: z.literal('api-events'),
    files: z.array(z.string()),
    rows,
    rejectsFile: z.string().nullable(),
  })
  .describe('the ingest run report (more keys: reasons, notes, table counts)');

/** The report's documented top level; its sections are described in docs/report.md. */
const days = z.object({ from: z.string(), to: z.string() });
export const ReportResponse = z.object({
  schemaVersion: z.literal(2),
  currency: z.string(),
  windows: z.object({
    current: days,
    previous: days.nullable(),
    totalsComparable: z.boolean(),
    notes: z.array(z.string()),
  }),
  current: z.record(z.string(), z.unknown()),
  previous: z.record(z.string(), z.unknown()).nullable(),
  changes: z.record(z.string(), z.unknown()).nullable(),
  split: z.object({ revenue: z.unknown(), rps: z.unknown() }),
  summary: z.array(z.string()),
  diagnosis: z.record(z.string(), z.unknown()),
  experiments: z
    .strictObject({
      rows: z.array(
        z.strictObject({
          experiment: z.string(),
          hypothesis: z.string(),
          control: z.string(),
          variant: z.string().nullable().describe('the treatment; null when the experiment has no data'),
          window: days,
          verdict: z.strictObject({ code: z.enum(VERDICT_CODES), text: z.string() }),
          primary: z.enum(['rps', 'profit']).describe('the metric the verdict reads'),
          rpsLift: z.strictObject({ value: z.number(), low: z.number(), high: z.number() }).nullable(),
          profitLift: z
            .strictObject({ value: z.number(), low: z.number(), high: z.number() })
            .nullable()
            .describe('profit per session, relative, for an experiment whose primary metric is profit'),
          srm: z.strictObject({ p: z.number(), flagged: z.boolean() }).nullable(),
        }),
      ),
      note: z
        .string()
        .nullable()
        .describe('why there is no row: no configuration, or none ran in the window'),
    })
    .describe('offer experiments of the configuration that ran in the window, one row per treatment'),
  unknown: z.array(z.string()),
});

export const ErrorResponse = z.strictObject({
  error: z.strictObject({
    code: z.enum(Object.keys(ERROR_CODES) as [string, ...string[]]),
    message: z.string(),
    field: z.string().optional(),
  }),
});

export type DecideRequest = z.input<typeof DecideBody>;
export type DecideAnswer = z.infer<typeof DecideResponse>;
export type EventsRequest = z.input<typeof EventsBody>;
export type ConversationRequestBody = z.input<typeof ConversationBody>;
export type ConversationAnswer = z.infer<typeof ConversationResponse>;
export type EventsAnswer = z.infer<typeof EventsResponse>;
export type HealthAnswer = z.infer<typeof HealthResponse>;
export type ApiError = z.infer<typeof ErrorResponse>;
