import { z } from 'zod';
import {
  EXPERIMENT_METRICS,
  EXPERIMENT_STATUSES,
  type Experiment,
  GUARDRAIL_METRICS,
  statusOn,
} from '../core/experiments/config.js';
import type { BanditWeights } from '../core/experiments/bandit-snapshot.js';
import type { ExperimentContext } from './experiment.js';

/** A bandit's published weights in force: which version, published when. */
export interface WeightsInForce {
  experiment: string;
  version: number;
  createdAt: string;
}

function published(
  weights: readonly WeightsInForce[],
  id: string,
): { version: number; createdAt: string } | null {
  const w = weights.find((x) => x.experiment === id);
  return w ? { version: w.version, createdAt: w.createdAt } : null;
}

/** The published weights that applied (see withBanditWeights), with when each was published. */
export function weightsInForce(
  applied: readonly { experiment: string; version: number }[],
  published: readonly BanditWeights[],
): WeightsInForce[] {
  return applied.map((a) => ({
    ...a,
    createdAt:
      published.find((p) => p.experiment === a.experiment && p.version === a.version)?.createdAt ?? '',
  }));
}

const Day = z.string().describe('a UTC day, YYYY-MM-DD');

/** `levers experiment list --json` and `GET /v1/experiments`: the schema the HTTP contract publishes. */
export const ExperimentListSchema = z.strictObject({
  today: Day.describe("the day the statuses are as of (the server's clock)"),
  experiments: z.array(
    z.strictObject({
      id: z.string(),
      hypothesis: z.string(),
      unit: z.enum(['visitor', 'session', 'customer']),
      variants: z
        .array(
          z.strictObject({
            id: z.string(),
            weight: z.number().describe('the configured weight'),
            servedWeight: z
              .number()
              .describe(
                "the weight units are assigned by now: a bandit's published weight, else the configured one",
              ),
            overrides: z.record(z.string(), z.unknown()).describe('the offer configuration keys it changes'),
          }),
        )
        .describe('the first is the control'),
      start: Day,
      end: Day.nullable().describe('null: runs until removed'),
      status: z.enum(EXPERIMENT_STATUSES),
      primary: z.enum(EXPERIMENT_METRICS),
      guardrails: z.array(z.enum(GUARDRAIL_METRICS)),
      bandit: z
        .strictObject({ floor: z.number(), reward: z.enum(['profit', 'rps']), every: z.string() })
        .nullable()
        .describe('set when the experiment is a bandit (levers experiment weights publishes its weights)'),
      weights: z
        .strictObject({ version: z.number().int(), createdAt: z.string() })
        .nullable()
        .describe('the published weights version units are assigned by (null: the configured weights)'),
    }),
  ),
  holdout: z
    .strictObject({ id: z.literal('holdout'), share: z.number().nullable() })
    .describe('the global holdout, analysed as GET /v1/experiments/holdout'),
});
export type ExperimentList = z.infer<typeof ExperimentListSchema>;

/**
 * The configuration's offer experiments, each with its status on `today` (a UTC day), and the global holdout;
 * `served` are the experiments as units are assigned now (a bandit's published weights laid over the configured).
 */
export function listExperiments(
  ctx: ExperimentContext,
  today: string,
  served: readonly Experiment[] = ctx.experiments,
  weights: readonly WeightsInForce[] = [],
): ExperimentList {
  return {
    today,
    experiments: ctx.experiments.map((e) => ({
      id: e.id,
      hypothesis: e.hypothesis,
      unit: e.unit,
      variants: e.variants.map((v) => ({
        id: v.id,
        weight: v.weight,
        servedWeight:
          served.find((x) => x.id === e.id)?.variants.find((x) => x.id === v.id)?.weight ?? v.weight,
        overrides: v.overrides,
      })),
      start: e.start,
      end: e.end ?? null,
      status: statusOn(e, today),
      primary: e.primary,
      guardrails: e.guardrails,
      bandit: e.bandit ?? null,
      weights: published(weights, e.id),
    })),
    holdout: { id: 'holdout', share: ctx.holdoutShare ?? null },
  };
}
