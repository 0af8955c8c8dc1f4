import { z } from 'zod';
import { assign } from './assign.js';

/**
 * Experiments in the offer configuration (E2): each variant is an override of the offer configuration (the
 * threshold at 50 vs 75, volume tiers on or off, a bundle's discount), the first variant the control. The global
 * holdout stays outside every experiment: a held-out unit never reaches one.
 */
export const EXPERIMENT_METRICS = ['rps', 'profit'] as const;
export const GUARDRAIL_METRICS = ['cvr', 'aov', 'refunds', 'acceptance'] as const;

const Id = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes (at most 63)');
/** A UTC calendar day, YYYY-MM-DD. */
export const Day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date such as 2026-12-01')
  .refine(
    (d) =>
      !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d),
    'is not a calendar date',
  );

/** A duration of whole hours or days, "12h" or "1d". */
const Every = z.string().regex(/^[1-9]\d{0,3}[hd]$/, 'must be whole hours or days, such as 12h or 1d');

/** Milliseconds of an `every` duration ("12h", "1d"). */
export function everyMs(every: string): number {
  return Number(every.slice(0, -1)) * (every.endsWith('d') ? 86_400_000 : 3_600_000);
}

/**
 * E3: the experiment is a bandit. Its weights are recomputed by Thompson sampling from the store (levers
 * experiment weights) and published as a snapshot the servers read; the configured weights apply until then.
 */
export const BanditSchema = z.strictObject({
  /** The least share every arm keeps however far behind it falls, so it goes on being measured. */
  floor: z.number().min(0).max(0.5).default(0.1),
  /** Profit per session (product costs where known), or revenue per session. */
  reward: z.enum(['profit', 'rps']).default('profit'),
  /** How often the weights are recomputed: a publication younger than this is not replaced. */
  every: Every.default('1d'),
});
export type Bandit = z.infer<typeof BanditSchema>;

export const VariantSchema = z.strictObject({
  id: Id,
  weight: z.number().gt(0, 'must be above 0'),
  /** Offer configuration keys this variant changes; objects merge key by key, arrays are replaced whole. */
  overrides: z.record(z.string(), z.unknown()).default({}),
});

export const ExperimentSchema = z
  .strictObject({
    // "holdout" names the global holdout in levers experiment show and GET /v1/experiments/:id.
    id: Id.refine((id) => id !== 'holdout', 'holdout is the global holdout’s name; choose another id'),
    hypothesis: z.string().min(1).max(500),
    /** What keeps its variant: a visitor (customer id, else session), a session, or known customers only. */
    unit: z.enum(['visitor', 'session', 'customer']).default('visitor'),
    variants: z.array(VariantSchema).min(2, 'needs at least two variants (the first is the control)').max(8),
    /** First and last day (UTC), both included; without an end it runs until it is removed. */
    start: Day,
    end: Day.optional(),
    primary: z.enum(EXPERIMENT_METRICS).default('rps'),
    guardrails: z.array(z.enum(GUARDRAIL_METRICS)).default(['cvr', 'aov']),
    bandit: BanditSchema.optional(),
    /**
     * Winsorise revenue and profit per unit at this percentile of the units that bought (all arms pooled): a few
     * very large orders then move neither arm's mean much, and the intervals narrow; the figures are then those of
     * the capped metric, said beside them. Off unless asked.
     */
    capping: z
      .strictObject({
        percentile: z
          .number()
          .min(0.9, 'is a share of the units that bought, from 0.9 to 0.9999 (0.99 for the 99th percentile)')
          .max(
            0.9999,
            'is a share of the units that bought, from 0.9 to 0.9999 (0.99 for the 99th percentile)',
          ),
      })
      .optional(),
  })
  .superRefine((e, ctx) => {
    const sum = e.variants.reduce((s, v) => s + v.weight, 0);
    // Units are bucketed by each weight over their total, so 0.3333 × 3 splits as exactly as 1/3 × 3 would.
    if (Math.abs(sum - 1) > 1e-3)
      ctx.addIssue({
        code: 'custom',
        path: ['variants'],
        message: `weights sum to ${Number(sum.toPrecision(9))}; they must sum to 1 (e.g. 0.5 and 0.5, or 0.3334, 0.3333 and 0.3333)`,
      });
    const seen = new Set<string>();
    e.variants.forEach((v, i) => {
      if (seen.has(v.id))
        ctx.addIssue({
          code: 'custom',
          path: ['variants', i, 'id'],
          message: `variant ${v.id} appears twice`,
        });
      seen.add(v.id);
    });
    if (e.bandit && e.bandit.floor * e.variants.length > 1)
      ctx.addIssue({
        code: 'custom',
        path: ['bandit', 'floor'],
        message:
          `${e.bandit.floor} × ${e.variants.length} variants is over 1: the floors alone would take more than ` +
          `all the traffic (at most ${Math.floor((1 / e.variants.length) * 1000) / 1000})`,
      });
    if (e.end && e.end < e.start)
      ctx.addIssue({
        code: 'custom',
        path: ['end'],
        message: `ends (${e.end}) before it starts (${e.start})`,
      });
  });
export type Experiment = z.infer<typeof ExperimentSchema>;

/** Offer keys no experiment may change: they decide who is in an experiment, not what it shows. */
export const FIXED_KEYS = ['experiment', 'experiments', 'holdoutShare', 'currency'] as const;

/** Days an experiment covers, as comparable strings; an open end runs forever. */
const span = (e: Experiment) => [e.start, e.end ?? '9999-12-31'] as const;

export const EXPERIMENT_STATUSES = ['scheduled', 'running', 'ended'] as const;
export type ExperimentStatus = (typeof EXPERIMENT_STATUSES)[number];

/** Where an experiment stands on a UTC day (YYYY-MM-DD): before its start, within its days, or after its end. */
export function statusOn(e: Pick<Experiment, 'start' | 'end'>, day: string): ExperimentStatus {
  if (day < e.start) return 'scheduled';
  return e.end && day > e.end ? 'ended' : 'running';
}

/** Whether an experiment's days and a window (both ends included) share a day. */
export function overlaps(e: Pick<Experiment, 'start' | 'end'>, w: { from: string; to: string }): boolean {
  return e.start <= w.to && (e.end ?? '9999-12-31') >= w.from;
}

/**
 * Problems no single experiment shows: the same id twice, and two experiments that change the same offer key on
 * overlapping days (a unit in both could not tell which caused what). Returns the first, with its path.
 */
export function crossCheck(list: readonly Experiment[]): { path: string; problem: string } | null {
  const ids = new Set<string>();
  for (const [i, e] of list.entries()) {
    if (ids.has(e.id)) return { path: `experiments.${i}.id`, problem: `experiment ${e.id} appears twice` };
    ids.add(e.id);
  }
  const keys = (e: Experiment) => new Set(e.variants.flatMap((v) => Object.keys(v.overrides)));
  for (let i = 0; i < list.length; i++)
    for (let j = i + 1; j < list.length; j++) {
      const a = list[i]!;
      const b = list[j]!;
      const [a0, a1] = span(a);
      const [b0, b1] = span(b);
      if (a0 > b1 || b0 > a1) continue;
      const kb = keys(b);
      const shared = [...keys(a)].filter((k) => kb.has(k));
      if (shared.length)
        return {
          path: `experiments.${j}`,
          problem:
            `${b.id} and ${a.id} both change ${shared.join(', ')} on overlapping days ` +
            `(${b0}..${b1 === '9999-12-31' ? 'open' : b1} and ${a0}..${a1 === '9999-12-31' ? 'open' : a1}); ` +
            'run them one after the other, or test both changes as variants of one experiment',
        };
    }
  return null;
}

/** Objects merge key by key; anything else (numbers, arrays, null) is replaced. */
export function mergeOverrides(base: unknown, over: unknown): unknown {
  if (!isPlain(base) || !isPlain(over)) return over;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = k in base ? mergeOverrides(base[k], v) : v;
  return out;
}

const isPlain = (x: unknown): x is Record<string, unknown> =>
  typeof x === 'object' && x !== null && !Array.isArray(x);

export interface Exposure {
  experiment: string;
  variant: string;
}

/**
 * The experiments running on a day for one unit: each assigns the unit a variant by its own hash (independent of
 * the other experiments and of the holdout), and the variant's overrides replace those keys of the
 * configuration. `resolved` holds each variant's overridden keys as parsed (defaults filled) under
 * "experiment/variant"; experiments running together change different keys (crossCheck), so laying them over
 * each other is exact. Pure: the day and the unit come in. A unit the experiment does not cover (no customer id
 * for a customer experiment) is left out and sees the configuration as it is.
 */
export function applyExperiments<C extends object>(
  config: C,
  experiments: readonly Experiment[],
  resolved: ReadonlyMap<string, Record<string, unknown>>,
  who: { sessionId: string; customerId?: string | null },
  day: string,
): { config: C; exposures: Exposure[] } {
  let out = config;
  const exposures: Exposure[] = [];
  for (const e of experiments) {
    const [from, to] = span(e);
    if (day < from || day > to) continue;
    const unit =
      e.unit === 'session'
        ? who.sessionId
        : e.unit === 'customer'
          ? who.customerId
          : (who.customerId ?? who.sessionId);
    if (!unit) continue;
    const a = assign({ experiment: e.id, unit, holdoutShare: 0, variants: e.variants });
    if (a.variant == null) continue;
    exposures.push({ experiment: e.id, variant: a.variant });
    const keys = resolved.get(`${e.id}/${a.variant}`);
    if (keys && Object.keys(keys).length) out = { ...out, ...keys };
  }
  return { config: out, exposures };
}
