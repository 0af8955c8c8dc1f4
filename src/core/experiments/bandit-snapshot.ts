import { z } from 'zod';
import { zodProblem } from '../errors.js';
import type { SnapshotCheck } from '../recs/snapshot-schema.js';
import type { Experiment } from './config.js';

/**
 * A bandit's published weights (E3): what `levers experiment weights` computed from the store, versioned per
 * experiment, and what every server assigns the experiment's units by until the next version. It carries the
 * evidence (each arm's posterior, probability best and expected loss) so an operator can see why.
 */
export const BANDIT_WEIGHTS_FORMAT = 1;

const Arm = z.strictObject({
  id: z.string().min(1),
  n: z.number().int().nonnegative(),
  mean: z.number().nullable(),
  sd: z.number().nonnegative().nullable(),
  probabilityBest: z.number().min(0).max(1),
  expectedLoss: z.number().nullable(),
  weight: z.number().min(0).max(1),
});

export const BanditWeightsSchema = z
  .strictObject({
    format: z.literal(BANDIT_WEIGHTS_FORMAT),
    experiment: z.string().min(1),
    version: z.number().int().positive(),
    createdAt: z.string().datetime(),
    /** The reward the weights were computed on: profit per session, or revenue per session. */
    reward: z.enum(['profit', 'rps']),
    /** What the reward rests on, e.g. "revenue per session: no product has a cost" (said, never silent). */
    rewardNote: z.string().nullable(),
    currency: z.string().regex(/^[A-Z]{3}$/),
    window: z.strictObject({ from: z.string(), to: z.string() }),
    floor: z.number().min(0).max(0.5),
    code: z.enum(['THOMPSON', 'TOO_FEW_UNITS']),
    reason: z.string(),
    seed: z.number().int(),
    draws: z.number().int().nonnegative(),
    arms: z.array(Arm).min(2),
  })
  .refine(
    (w) => Math.abs(w.arms.reduce((s, a) => s + a.weight, 0) - 1) < 1e-6,
    'the arms’ weights must sum to 1',
  );
export type BanditWeights = z.infer<typeof BanditWeightsSchema>;

export function checkBanditWeights(raw: unknown): SnapshotCheck<BanditWeights> {
  const r = BanditWeightsSchema.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const { path, problem } = zodProblem(r.error, 'key');
  return { ok: false, problem: `${path || '(root)'}: ${problem}` };
}

export interface PublishedWeights {
  /** The experiments with each bandit's published weights in place of its configured ones. */
  experiments: Experiment[];
  /** Which weights version each bandit runs on (none: the configured weights). */
  applied: { experiment: string; version: number }[];
  /** Snapshots that could not apply, and why (the configured weights stand for those). */
  ignored: { experiment: string; version: number; problem: string }[];
}

/**
 * Lays published weights over the configuration's bandit experiments. A snapshot applies only when its arms
 * are exactly the experiment's variants (a variant added or renamed since makes it stale); the variants keep
 * their order, so the hash's buckets stay in the same order and a weights change moves only the units whose
 * bucket an edge passed. Non-bandit experiments are never touched.
 */
export function withPublishedWeights(
  experiments: readonly Experiment[],
  published: readonly BanditWeights[],
): PublishedWeights {
  const out: PublishedWeights = { experiments: [], applied: [], ignored: [] };
  for (const e of experiments) {
    const w = published.find((p) => p.experiment === e.id);
    if (!w || !e.bandit) {
      if (w)
        out.ignored.push({ experiment: e.id, version: w.version, problem: 'the experiment is not a bandit' });
      out.experiments.push(e);
      continue;
    }
    const byId = new Map(w.arms.map((a) => [a.id, a.weight]));
    const same = e.variants.length === w.arms.length && e.variants.every((v) => byId.has(v.id));
    if (!same) {
      out.ignored.push({
        experiment: e.id,
        version: w.version,
        problem:
          `its arms (${w.arms.map((a) => a.id).join(', ')}) are not the configured variants ` +
          `(${e.variants.map((v) => v.id).join(', ')}); the configured weights apply until weights are published again`,
      });
      out.experiments.push(e);
      continue;
    }
    out.experiments.push({ ...e, variants: e.variants.map((v) => ({ ...v, weight: byId.get(v.id)! })) });
    out.applied.push({ experiment: e.id, version: w.version });
  }
  return out;
}
