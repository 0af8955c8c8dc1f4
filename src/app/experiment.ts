import { z } from 'zod';
import {
  analyseExperiment,
  type ExperimentAnalysis,
  type VariantSums,
} from '../core/experiments/analysis.js';
import { Day, type Experiment } from '../core/experiments/config.js';
import { LeversError, zodProblem } from '../core/errors.js';
import { formatMoney } from '../core/money.js';
import type { OfferConfig } from '../core/offers/config.js';
import type { LeverSums } from '../core/metrics/identity.js';
import type { SimExperiment } from '../sim/params.js';
import {
  type AggregateBy,
  type Database,
  type ExperimentUnit,
  type ProfitBasis,
  type Store,
  type Window,
  withDatabase,
} from '../store/port.js';
import { currencyOf } from './currency.js';
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
  /** What the figures rest on that the operator should know. */
  notes?: string[];
  currency: string;
  /** With the experiment's capping: where revenue per unit was cut (minor units) and how many units it cut. */
  capping?: { percentile: number; revenueAt: number | null; units: number };
  analysis: ExperimentAnalysis;
}

/** The analysis options of `levers experiment show` and `GET /v1/experiments/:id` (one schema for both). */
export const ShowOptionsSchema = HoldoutOptionsSchema.omit({ holdoutShare: true });
export type ShowOptions = z.input<typeof ShowOptionsSchema>;

/** Where an experiment is declared: the configuration's offer experiments and its global holdout share. */
export interface ExperimentContext {
  experiments: readonly Experiment[];
  holdoutShare?: number;
  /** The store's economics (profitBasisOf), for an experiment whose primary metric is profit per session. */
  profit?: ProfitBasis;
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
    : offerExperiment(store, id, {
        ...options,
        experiments: ctx.experiments,
        ...(ctx.profit ? { profit: ctx.profit } : {}),
      });
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
export async function scopeOf(
  db: Database,
  o: Pick<Options, 'from' | 'to' | 'currency'>,
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
  return { window: { from, to }, currency: (await currencyOf(db, o.currency)).currency };
}

/**
 * E1 read as an experiment: visitors that got personalised offers (treatment) against the global holdout
 * (control), over a window (default: all the data). Visitors are the units because levers serve assigns the
 * holdout by visitor (the customer when known, else the session): a customer's sessions share their group and are
 * not independent draws. The per-unit sums come from the store's SQL, so no session row is read here.
 */
export async function holdoutExperiment(
  store: Store,
  options: HoldoutOptions = {},
): Promise<ExperimentReport> {
  const o = parseOptions(options);
  return withDatabase(store, async (db) => {
    const { window, currency } = await scopeOf(db, o);
    const { arms } = await unitArms(
      db,
      currency,
      window,
      'assignment',
      'visitor',
      [
        { id: 'holdout', segment: 'holdout', weight: o.holdoutShare },
        { id: 'treatment', segment: 'treatment', weight: 1 - o.holdoutShare },
      ],
      undefined,
    );
    if (arms.every((a) => a.n === 0))
      throw new LeversError('NO_DATA', {
        what: `sessions with an assignment (holdout or treatment) in ${window.from}..${window.to}`,
        hint: "load the server's event log (levers ingest api-events), whose sessions carry it",
      });
    return {
      experiment: 'holdout',
      description: 'personalised offers (treatment) against the global holdout (control), visitors as units',
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

/**
 * One arm's per-unit sums from the store's lever sums and, for CUPED, the covariate sums (what each session's
 * customer spent before the window); a missing group is an arm with no units.
 */
export function variantSums(
  id: string,
  weight: number,
  u: LeverSums | undefined,
  pre: { sx: number; sxx: number; srx: number; sox: number } | undefined,
): VariantSums {
  return {
    id,
    weight,
    n: u?.n ?? 0,
    so: u?.so ?? 0,
    soo: u?.soo ?? 0,
    sr: u?.sr ?? 0,
    srr: u?.srr ?? 0,
    sor: u?.sor ?? 0,
    pre: { sx: pre?.sx ?? 0, sxx: pre?.sxx ?? 0, srx: pre?.srx ?? 0, sox: pre?.sox ?? 0 },
  };
}

/** The store's economics from its offer configuration: what profit per session is computed with. */
export function profitBasisOf(offers: OfferConfig): ProfitBasis {
  return {
    assumedMargin: offers.economics.defaultMarginPercent / 100,
    shippingCostMinor: offers.freeShipping
      ? (offers.freeShipping.shippingCostMinor ?? offers.freeShipping.shippingFeeMinor)
      : null,
  };
}

/** What capping did, in words: the figures are the capped metric's. */
function cappingNote(e: Experiment, c: { at: number | null; units: number }, currency: string): string {
  const p = `${Number((e.capping!.percentile * 100).toPrecision(4))}th percentile`;
  const unit = UNIT_NAMES[e.unit].slice(0, -1);
  return c.at == null
    ? `capping at the ${p}: no ${unit} bought, nothing to cap`
    : `revenue per ${unit} capped at ${formatMoney(c.at, currency)} (the ${p} of the ${UNIT_NAMES[e.unit]} that bought, ` +
        `all variants pooled): ${c.units.toLocaleString('en-US')} ${c.units === 1 ? unit : UNIT_NAMES[e.unit]} cut; AOV, RPS and profit are those of the capped revenue`;
}

/** What an offer experiment's figures rest on that its operator should know. */
function notesOf(e: Experiment, profit: ProfitBasis | undefined): string[] {
  const notes: string[] = [];
  if (e.primary === 'profit' && profit)
    notes.push(
      `profit per session: net revenue less product costs (where a product has none, an assumed margin of ` +
        `${Math.round(profit.assumedMargin * 100)}%)` +
        (profit.shippingCostMinor != null ? ', plus shipping charged less what shipping costs' : ''),
    );
  if (e.primary === 'profit' && !profit)
    notes.push(
      'the primary metric is profit per session, but no offer configuration with economics was given: the ' +
        'verdict reads revenue per session',
    );
  if (e.bandit)
    notes.push(
      "a bandit's split follows its published weights, so SRM is not checked, and a lift pooled over weights " +
        'that changed with time can mix in a trend: read it as indicative, not as proof',
    );
  return notes;
}

const UNIT_NAMES = { session: 'sessions', visitor: 'visitors', customer: 'customers' } as const;

/**
 * Each arm's sums over its units, as levers serve assigned them (an experiment's variants, or the global
 * holdout's groups by 'assignment'): with sessions as units the means per session; with visitors or customers,
 * whose sessions are not independent, each unit's sessions too, so that CVR and RPS are ratios per session over
 * units. The covariate for CUPED (what the unit's customer spent before the window) comes with the sums.
 */
async function unitArms(
  db: Database,
  currency: string,
  window: Window,
  by: AggregateBy,
  unit: ExperimentUnit,
  arms: readonly { id: string; segment: string; weight: number }[],
  profit: ProfitBasis | undefined,
  cap?: number,
): Promise<{ arms: VariantSums[]; capped: { at: number | null; units: number } | null }> {
  const [units, guard] = await Promise.all([
    db.experimentUnits(currency, window, by, unit, { basis: profit, cap }),
    db.guardrailSums(currency, window, by, unit),
  ]);
  // Every group is cut at the same value; units outside the arms (bots, the holdout) were not counted into it.
  const inArms = units.filter((u) => arms.some((a) => a.segment === u.segment));
  const capped =
    cap == null
      ? null
      : {
          at: inArms.find((u) => u.capped?.at != null)?.capped?.at ?? null,
          units: inArms.reduce((s, u) => s + (u.capped?.units ?? 0), 0),
        };
  const sums = arms.map(({ id, segment, weight }) => {
    const u = units.find((x) => x.segment === segment);
    const g = guard.find((x) => x.segment === segment);
    return {
      ...variantSums(id, weight, u && { ...u, extra: 0 }, u?.pre),
      ...(unit === 'session'
        ? {}
        : {
            pre: { ...(u?.pre ?? { sx: 0, sxx: 0, srx: 0, sox: 0 }), ssx: u?.pre.ssx ?? 0 },
            sessions: { ss: u?.ss ?? 0, sss: u?.sss ?? 0, sos: u?.sos ?? 0, srs: u?.srs ?? 0 },
          }),
      ...(g ? { guard: { refunds: g.refunds, acceptance: g.acceptance } } : {}),
      ...(u?.profit ? { profit: u.profit } : {}),
    };
  });
  return { arms: sums, capped };
}

/** An offer experiment's variants over its units (CUPED's covariate with them). */
function variantsOf(
  db: Database,
  currency: string,
  window: Window,
  e: Experiment,
  profit: ProfitBasis | undefined,
): ReturnType<typeof unitArms> {
  const arms = e.variants.map((v) => ({ id: v.id, segment: v.id, weight: v.weight }));
  return unitArms(
    db,
    currency,
    window,
    { experiment: e.id },
    e.unit,
    arms,
    e.primary === 'profit' ? profit : undefined,
    e.capping?.percentile,
  );
}

export type OfferExperimentOptions = Omit<HoldoutOptions, 'holdoutShare'> & {
  experiments: readonly Experiment[];
  /** The store's economics, for an experiment whose primary metric is profit per session. */
  profit?: ProfitBasis;
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
  const { experiments, profit, ...rest } = options;
  parseOptions(rest);
  const e = experiments.find((x) => x.id === id) ?? simulatedExperiment(store, id);
  if (!e)
    throw new LeversError('UNKNOWN_EXPERIMENT', {
      id,
      known: experiments.map((x) => x.id).join(', ') || 'none',
    });
  const r = await withDatabase(store, (db) =>
    offerExperimentOf(db, e, { ...rest, ...(profit ? { profit } : {}) }),
  );
  return e.bandit ? { ...r, notes: [...(r.notes ?? []), weightsNote(store, e)] } : r;
}

/** Which split a bandit is served by now: its published weights in force, or the configured ones. */
function weightsNote(store: Store, e: Experiment): string {
  const w = store.snapshots.loadBanditWeights().find((x) => x.experiment === e.id);
  return w
    ? `served now by weights v${w.version} (published ${w.createdAt.slice(0, 16).replace('T', ' ')} UTC): ` +
        w.arms.map((a) => `${a.id} ${a.weight.toFixed(3)}`).join(', ')
    : `no weights published yet: served by the configured split (${e.variants.map((v) => `${v.id} ${v.weight}`).join(', ')})`;
}

/** An offer experiment's analysis on an open database (the report reads each of its experiments this way). */
export async function offerExperimentOf(
  db: Database,
  e: Experiment,
  options: Omit<HoldoutOptions, 'holdoutShare'> & { profit?: ProfitBasis },
): Promise<ExperimentReport> {
  const { profit, ...rest } = options;
  const o = parseOptions(rest);
  const { window, currency } = await scopeOf(db, o, { from: e.start, ...(e.end ? { to: e.end } : {}) });
  const { from, to } = window;
  const { arms, capped } = await variantsOf(db, currency, window, e, profit);
  if (arms.every((a) => a.n === 0))
    throw new LeversError('NO_DATA', {
      what: `sessions in experiment ${e.id} in ${from}..${to}`,
      hint: "its sessions come from levers serve's event log (levers ingest api-events) while it runs",
    });
  return {
    experiment: e.id,
    description: `${e.hypothesis} (variants ${e.variants.map((v) => v.id).join(' vs ')}, ${UNIT_NAMES[e.unit]} as units)`,
    window,
    currency,
    ...(capped && e.capping
      ? { capping: { percentile: e.capping.percentile, revenueAt: capped.at, units: capped.units } }
      : {}),
    analysis: analyseExperiment(arms, {
      control: e.variants[0]!.id,
      primary: e.primary === 'profit' && profit ? 'profit' : 'rps',
      guardrails: e.guardrails,
      sequential: o.sequential ? { tuning: 5000 } : null,
      targetLift: o.targetLift,
      fixedSplit: !e.bandit,
    }),
    notes: [...notesOf(e, profit), ...(capped && e.capping ? [cappingNote(e, capped, currency)] : [])],
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
