import { z } from 'zod';
import { ShowOptionsSchema } from '../app/experiment.js';
import { ExperimentListSchema } from '../app/experiment-list.js';
import { VERDICT_CODES } from '../core/experiments/analysis.js';

/**
 * The contract of GET /v1/experiments and GET /v1/experiments/:id: the query is `levers experiment show`'s
 * options (one schema), the responses what `levers experiment list --json` and `show --json` print.
 */
export const ExperimentQuery = ShowOptionsSchema;

const Day = z.string().describe('a UTC day, YYYY-MM-DD');

export const ExperimentListResponse = ExperimentListSchema;

const Interval = z.strictObject({ value: z.number(), low: z.number(), high: z.number() });
const Estimate = z.strictObject({ value: z.number(), variance: z.number(), n: z.number() });
const Change = z.strictObject({
  before: z.number(),
  after: z.number(),
  absolute: Interval,
  relative: Interval.nullable().describe('after / before − 1; null when either side is not positive'),
  detectable: z.boolean(),
  mde: z.number().nullable().describe('smallest relative change these sizes detect at 80% power'),
  confidence: z.number(),
});
const Changes = z.strictObject({
  cvr: Change.nullable(),
  aov: Change.nullable(),
  rps: Change.nullable(),
  profit: Change.nullable().describe('profit per session, when the primary metric is profit'),
});
const Side = z.strictObject({
  refunds: Change.nullable().describe('the refund share (refunded over charged); null under 30 orders'),
  acceptance: Change.nullable().describe(
    'sessions accepting an offer over sessions shown one; null under 30 shown',
  ),
});
const Cuped = z.strictObject({ change: Change, varianceReduction: z.number() });

export const ExperimentResponse = z.strictObject({
  experiment: z.string(),
  description: z.string(),
  window: z.strictObject({ from: Day, to: Day }),
  currency: z.string(),
  notes: z.array(z.string()).optional().describe('what the figures rest on that the operator should know'),
  capping: z
    .strictObject({
      percentile: z.number(),
      revenueAt: z
        .number()
        .int()
        .nullable()
        .describe('revenue per unit cut at (minor units); null when none bought'),
      units: z.number().int().describe('units whose revenue was cut'),
    })
    .optional()
    .describe(
      "the experiment's capping, when configured: AOV, RPS and profit are those of the capped revenue",
    ),
  analysis: z.strictObject({
    control: z.string(),
    primary: z.enum(['cvr', 'aov', 'rps', 'profit']),
    alpha: z.number(),
    correction: z.strictObject({
      method: z.literal('bonferroni'),
      comparisons: z.number().int(),
      alphaPerComparison: z.number(),
    }),
    srm: z.strictObject({
      chi2: z.number(),
      df: z.number(),
      p: z.number(),
      flagged: z.boolean().describe('p < 0.001: every verdict is withheld'),
      checked: z
        .boolean()
        .describe('false for a bandit, whose split follows its weights: SRM is not checked'),
      observed: z.array(z.number()),
      expectedShares: z.array(z.number()),
    }),
    variants: z.array(
      z.strictObject({
        id: z.string(),
        n: z.number().int().describe('units as randomised: sessions, visitors or customers'),
        sessions: z.number().int().describe("the units' sessions (n when sessions are the units)"),
        cvr: Estimate.nullable(),
        aov: Estimate.nullable().describe('null under 30 orders'),
        rps: Estimate.nullable(),
        profit: Estimate.nullable().describe('profit per session, when the primary metric is profit'),
      }),
    ),
    comparisons: z.array(
      z.strictObject({
        variant: z.string(),
        changes: Changes,
        side: Side.describe('guardrails beside the levers'),
        cuped: z
          .strictObject({ cvr: Cuped.optional(), rps: Cuped.optional() })
          .nullable()
          .describe("CUPED with each session's customer's spend before the window"),
        sequential: z
          .strictObject({ low: z.number(), high: z.number(), halfWidth: z.number(), detectable: z.boolean() })
          .nullable()
          .describe('the always-valid interval of the primary difference (sequential=true)'),
        split: z
          .strictObject({
            rps: Interval,
            cvr: Interval,
            aov: Interval,
            cvrShare: z.number().nullable(),
          })
          .nullable()
          .describe('ln(1 + RPS lift) = ln(1 + CVR lift) + ln(1 + AOV lift), each with its interval'),
        verdict: z.strictObject({
          code: z.enum(VERDICT_CODES),
          text: z.string(),
          moreUnits: z.number().int().optional(),
        }),
      }),
    ),
    cupedTheta: z.strictObject({ cvr: z.number(), rps: z.number() }).nullable(),
    guardrails: z
      .array(z.enum(['cvr', 'aov', 'rps', 'profit', 'refunds', 'acceptance']))
      .describe('what stops a variant besides its primary'),
  }),
});
