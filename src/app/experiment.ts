import { z } from 'zod';
import {
  analyseExperiment,
  type ExperimentAnalysis,
  type VariantSums,
} from '../core/experiments/analysis.js';
import { Day, type Experiment } from '../core/experiments/config.js';
import { LeversError, zodProblem } from '../core/errors.js';
import { NET_BASIS } from '../core/metrics/summary.js';
import type { SimExperiment } from '../sim/params.js';
import { type AggregateBy, type Database, type Store, type Window, withDatabase } from '../store/port.js';
import { flag } from './report-options.js';

export const HoldoutOptionsSchema = z.strictObject({
  from: Day.optional(),
  to: Day.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional(),
  /** The share the server was configured with (offers.holdoutShare): SRM checks the split against it. */
  holdoutShare: z.coerce.number().gt(0).lt(1).default(0.05),
  /** Always-valid intervals, safe when the result is read every day ("true"/"false" in a query string). */
  sequential: flag.default(false),
  targetLift: z.coerce.number().gt(0).lt(10).default(0.05),
});
export type HoldoutOptions = z.input<typeof HoldoutOptionsSchema>;
type Options = z.output<typeof HoldoutOptionsSchema>;

export interface ExperimentReport {
  experiment: string;
  description: string;
  window: { from: string; to: string };
  currency: string;
  analysis: ExperimentAnalysis;
}

/** The analysis options of `levers experiment show` and `GET /v1/experiments/:id` (one schema for both). */
export const ShowOptionsSchema = HoldoutOptionsSchema.omit({ holdoutShare: true });
export type ShowOptions = z.input<typeof ShowOptionsSchema>;

/** Where an experiment is declared: the configuration's offer experiments and its global holdout share. */
export interface ExperimentContext {
  experiments: readonly Experiment[];
  holdoutShare?: number;
}

/**
 * `levers experiment show <id>` and `GET /v1/experiments/:id`: "holdout" is the global holdout read as an
 * experiment, any other id an offer experiment of the configuration (or a simulated store's own).
 */
export function showExperiment(
  store: Store,
  id: string,
  options: ShowOptions,
  ctx: ExperimentContext,
): Promise<ExperimentReport> {
  return id === 'holdout'
    ? holdoutExperiment(store, {
        ...options,
        ...(ctx.holdoutShare != null ? { holdoutShare: ctx.holdoutShare } : {}),
      })
    : offerExperiment(store, id, { ...options, experiments: ctx.experiments });
}

function parseOptions(raw: unknown): Options {
  const r = HoldoutOptionsSchema.safeParse(raw);
  if (r.success) return r.data;
  const { path, problem } = zodProblem(r.error, 'option');
  throw new LeversError('INVALID_OPTION', { option: path, detail: problem });
}

/**
 * The window to analyse (the asked days, else `bounds`, else all the data) and the currency (the asked one, else
 * the one with most sales); a window that is empty or outside the data is refused, not analysed as zeros.
 */
async function scopeOf(
  db: Database,
  o: Options,
  bounds: { from?: string; to?: string } = {},
): Promise<{ window: Window; currency: string }> {
  const range = await db.dataRange();
  if (!range.first || !range.last)
    throw new LeversError('NO_DATA', {
      what: 'sessions or orders',
      hint: 'load data first (levers ingest …)',
    });
  const later = (a: string, b?: string) => (b && b > a ? b : a);
  const earlier = (a: string, b?: string) => (b && b < a ? b : a);
  const from = o.from ?? later(range.first, bounds.from);
  const to = o.to ?? earlier(range.last, bounds.to);
  if (from > to)
    throw new LeversError('INVALID_OPTION', {
      option: o.from ? 'from' : 'to',
      detail: `the window ${from}..${to} is empty (the data runs ${range.first}..${range.last})`,
    });
  if (from > range.last || to < range.first)
    throw new LeversError('INVALID_OPTION', {
      option: o.from && from > range.last ? 'from' : 'to',
      detail: `the window ${from}..${to} is outside the data (${range.first}..${range.last})`,
    });
  return { window: { from, to }, currency: o.currency ?? (await db.currencies())[0]?.currency ?? 'USD' };
}

/**
 * E1 read as an experiment: sessions that got personalised offers (treatment) against the global holdout
 * (control), with sessions as units, over a window (default: all the data). The per-unit sums come from the
 * store (the same aggregates the report uses), so no session row is read here.
 */
export async function holdoutExperiment(
  store: Store,
  options: HoldoutOptions = {},
): Promise<ExperimentReport> {
  const o = parseOptions(options);
  return withDatabase(store, async (db) => {
    const { window, currency } = await scopeOf(db, o);
    const arms = await armsOf(db, currency, window, 'assignment', [
      { id: 'holdout', segment: 'holdout', weight: o.holdoutShare },
      { id: 'treatment', segment: 'treatment', weight: 1 - o.holdoutShare },
    ]);
    if (arms.every((a) => a.n === 0))
      throw new LeversError('NO_DATA', {
        what: `sessions with an assignment (holdout or treatment) in ${window.from}..${window.to}`,
        hint: "load the server's event log (levers ingest api-events), whose sessions carry it",
      });
    return {
      experiment: 'holdout',
      description: 'personalised offers (treatment) against the global holdout (control), sessions as units',
      window,
      currency,
      analysis: analyseExperiment(arms, {
        control: 'holdout',
        primary: 'rps',
        guardrails: ['cvr', 'aov'],
        sequential: o.sequential ? { tuning: 5000 } : null,
        targetLift: o.targetLift,
      }),
    };
  });
}

/** Each arm's per-unit sums (sessions as units) over a window, from the store's aggregates by `by`. */
async function armsOf(
  db: Database,
  currency: string,
  window: Window,
  by: AggregateBy,
  arms: readonly { id: string; segment: string; weight: number }[],
): Promise<VariantSums[]> {
  const rows = await db.aggregates(
    currency,
    { by: 'window', current: window, previous: { from: '0001-01-01', to: '0001-01-01' } },
    by,
    NET_BASIS,
  );
  const cov = await db.covariates(currency, window, by);
  return arms.map(({ id, segment, weight }) => {
    const u = rows.find((r) => r.key === 'current' && r.segment === segment)?.aggregate.units;
    const c = cov.find((x) => x.segment === segment);
    return {
      id,
      weight,
      n: u?.n ?? 0,
      so: u?.so ?? 0,
      soo: u?.soo ?? 0,
      sr: u?.sr ?? 0,
      srr: u?.srr ?? 0,
      sor: u?.sor ?? 0,
      // CUPED's covariate: what each session's customer spent before the window.
      pre: { sx: c?.sx ?? 0, sxx: c?.sxx ?? 0, srx: c?.srx ?? 0, sox: c?.sox ?? 0 },
    };
  });
}

export type OfferExperimentOptions = Omit<HoldoutOptions, 'holdoutShare'> & {
  experiments: readonly Experiment[];
};

/**
 * An offer experiment from the configuration (E2): its variants' sessions, as levers serve stamped them on the
 * event log, over the experiment's days within the data (or the window asked), the first variant the control.
 */
export async function offerExperiment(
  store: Store,
  id: string,
  options: OfferExperimentOptions,
): Promise<ExperimentReport> {
  const { experiments, ...rest } = options;
  parseOptions(rest);
  const e = experiments.find((x) => x.id === id) ?? simulatedExperiment(store, id);
  if (!e)
    throw new LeversError('UNKNOWN_EXPERIMENT', {
      id,
      known: experiments.map((x) => x.id).join(', ') || 'none',
    });
  return withDatabase(store, (db) => offerExperimentOf(db, e, rest));
}

/** An offer experiment's analysis on an open database (the report reads each of its experiments this way). */
export async function offerExperimentOf(
  db: Database,
  e: Experiment,
  options: Omit<HoldoutOptions, 'holdoutShare'>,
): Promise<ExperimentReport> {
  const o = parseOptions(options);
  const { window, currency } = await scopeOf(db, o, { from: e.start, ...(e.end ? { to: e.end } : {}) });
  const { from, to } = window;
  const arms = await armsOf(
    db,
    currency,
    window,
    { experiment: e.id },
    e.variants.map((v) => ({ id: v.id, segment: v.id, weight: v.weight })),
  );
  if (arms.every((a) => a.n === 0))
    throw new LeversError('NO_DATA', {
      what: `sessions in experiment ${e.id} in ${from}..${to}`,
      hint: "its sessions come from levers serve's event log (levers ingest api-events) while it runs",
    });
  const guardrails = e.guardrails.filter((g): g is 'cvr' | 'aov' => g === 'cvr' || g === 'aov');
  return {
    experiment: e.id,
    description: `${e.hypothesis} (variants ${e.variants.map((v) => v.id).join(' vs ')}, sessions as units)`,
    window,
    currency,
    analysis: analyseExperiment(arms, {
      control: e.variants[0]!.id,
      primary: 'rps',
      guardrails,
      sequential: o.sequential ? { tuning: 5000 } : null,
      targetLift: o.targetLift,
    }),
  };
}

/**
 * A simulated store's own threshold experiment (levers simulate --experiment-thresholds), as the configuration
 * would declare it: the simulator assigns sessions with the same hash, so it reads like one levers serve ran.
 */
function simulatedExperiment(store: Store, id: string): Experiment | undefined {
  const truth = store.readTruth() as {
    options?: { startMs?: number; experiment?: SimExperiment };
  } | null;
  const e = truth?.options?.experiment;
  if (!e || e.id !== id) return undefined;
  return {
    id: e.id,
    hypothesis: `simulated free-shipping thresholds ${e.variants.map((v) => v.thresholdMinor / 100).join(' vs ')}`,
    unit: 'session',
    variants: e.variants.map((v) => ({
      id: v.id,
      weight: v.weight,
      overrides: { freeShipping: { thresholdMinor: v.thresholdMinor } },
    })),
    start: new Date(truth?.options?.startMs ?? 0).toISOString().slice(0, 10),
    primary: 'rps',
    guardrails: ['cvr', 'aov'],
  };
}
