import { z } from 'zod';
import { REPEAT_NORMS } from '../core/metrics/customers.js';
import { PERIODS, SEGMENT_DIMENSIONS, type SegmentDimension } from '../store/port.js';

/**
 * An amount as decimal text ("50", "49.99"): converted exactly to minor units once the store's currency is
 * known.
 */
const amount = z
  .string()
  .trim()
  .regex(/^\d+(\.\d+)?$/, "must be an amount such as 50 or 49.99, in the store's currency");
/** Booleans as the CLI gives them (true/absent) and as a query string does ("true"/"false"). */
export const flag = z.preprocess((v) => (v === 'true' ? true : v === 'false' ? false : v), z.boolean());
const segments = z.string().transform((s, ctx): SegmentDimension[] => {
  const list = s
    .split(',')
    .map((x) => x.trim())
    .filter(Boolean);
  const bad = list.filter((x) => !(SEGMENT_DIMENSIONS as readonly string[]).includes(x));
  if (bad.length)
    ctx.addIssue({
      code: 'custom',
      message: `unknown ${bad.join(', ')}; use ${SEGMENT_DIMENSIONS.join(', ')}`,
    });
  return list as SegmentDimension[];
});

/** The report's options, one schema for the CLI's flags and the HTTP API's query parameters. */
export const ReportOptionsSchema = z.strictObject({
  period: z.enum(PERIODS).default('week'),
  from: z.string().optional(),
  to: z.string().optional(),
  compare: z.string().default('previous'),
  segment: segments.prefault(SEGMENT_DIMENSIONS.join(',')),
  includeShipping: flag.default(false),
  includeTax: flag.default(false),
  freeShippingThreshold: amount.optional(),
  shippingFee: amount.optional(),
  shippingCost: amount.optional(),
  margin: z.coerce
    .number()
    .gt(0, 'is a fraction above 0, e.g. 0.35')
    .max(1, 'is a fraction, e.g. 0.35')
    .optional(),
  /** The free-shipping response, when the operator knows it better than the data (or the data cannot say). */
  topUpRate: z.coerce
    .number()
    .min(0, 'is a fraction, e.g. 0.45')
    .max(1, 'is a fraction, e.g. 0.45')
    .optional(),
  topUpBand: z.coerce
    .number()
    .gt(0, 'is a fraction above 0, e.g. 0.5')
    .max(1, 'is a fraction, e.g. 0.5')
    .optional(),
  abandonRate: z.coerce.number().min(0, 'is a fraction, e.g. 0.22').lt(1, 'is a fraction below 1').optional(),
  cac: amount.optional(),
  category: z.enum(Object.keys(REPEAT_NORMS) as [string, ...string[]]).optional(),
  clv: flag.default(true),
  /** The currency to report (default: the one most sales are in); each currency is reported on its own. */
  currency: z
    .string()
    .regex(/^[A-Za-z]{3}$/, 'must be an ISO 4217 code such as EUR')
    .transform((c) => c.toUpperCase())
    .optional(),
});

export type ReportOptions = z.output<typeof ReportOptionsSchema>;
export type ReportOptionsInput = z.input<typeof ReportOptionsSchema>;

export const DEFAULT_REPORT_OPTIONS: ReportOptions = ReportOptionsSchema.parse({});
