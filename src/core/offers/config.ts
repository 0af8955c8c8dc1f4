import { z } from 'zod';
import { LeversError } from '../errors.js';

const money = z.number().int('must be a whole number of minor units (cents)').nonnegative('must not be negative');
const share = z.number().min(0, 'must be between 0 and 1').max(1, 'must be between 0 and 1');

/** The offer configuration, validated once at start-up; unknown keys are errors, units are in the names. */
export const OfferConfigSchema = z.strictObject({
  currency: z.string().regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD').default('USD'),
  experiment: z.string().min(1).default('offers-v1'),
  maxOffersPerDecision: z.number().int().min(0).max(5).default(2),
  holdoutShare: z.number().min(0).max(0.5, 'must be at most 0.5: a holdout larger than the treated group wastes traffic').default(0.05),
  freeShipping: z.strictObject({
    thresholdMinor: money.positive('must be above 0'),
    shippingFeeMinor: money,
    shippingCostMinor: money.optional(),
    showWithinShare: share.default(0.4),
  }).optional(),
  loyalty: z.strictObject({
    tiers: z.array(z.strictObject({ name: z.string().min(1), minSpendMinor: money })).min(1),
    proximityBand: share.default(0.25),
  }).optional(),
  volumeTiers: z.array(z.strictObject({ minQuantity: z.number().int().min(2), percentOff: z.number().gt(0).max(90) })).default([]),
  bundles: z.array(z.strictObject({ id: z.string().min(1), title: z.string().min(1), items: z.array(z.string().min(1)).min(2), percentOff: z.number().min(0).max(90) })).default([]),
  messages: z.partialRecord(z.enum(['new', 'returning', 'customer', 'vip', 'exiting']), z.string().min(1)).default({}),
  info: z.strictObject({
    deliveryDays: z.strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) }).refine((d) => d.max >= d.min, 'max must not be below min').optional(),
    returnPolicy: z.string().min(1).max(200).optional(),
    lowStockBelow: z.number().int().min(1).default(5),
  }).default({ lowStockBelow: 5 }),
  discountLimits: z.strictObject({ maxPercentOff: z.number().min(0).max(90).default(30) }).default({ maxPercentOff: 30 }),
});

export type OfferConfig = z.infer<typeof OfferConfigSchema>;

/** Parses a configuration object; the first problem is reported with its key path, e.g. freeShipping.thresholdMinor. */
export function parseOfferConfig(raw: unknown): OfferConfig {
  const r = OfferConfigSchema.safeParse(raw);
  if (r.success) {
    for (const [i, b] of r.data.bundles.entries()) {
      if (b.percentOff > r.data.discountLimits.maxPercentOff) {
        throw new LeversError('CONFIG_INVALID', { path: `bundles.${i}.percentOff`, problem: `${b.percentOff}% is above discountLimits.maxPercentOff (${r.data.discountLimits.maxPercentOff}%)` });
      }
    }
    return r.data;
  }
  const issue = r.error.issues[0]!;
  const path = issue.path.map(String).join('.') || '(root)';
  const problem = issue.code === 'unrecognized_keys' ? `unknown key(s) ${(issue as { keys: string[] }).keys.join(', ')}` : issue.message;
  throw new LeversError('CONFIG_INVALID', { path: issue.code === 'unrecognized_keys' && !issue.path.length ? '(root)' : path, problem });
}
