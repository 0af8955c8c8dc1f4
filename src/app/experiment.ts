import { z } from 'zod';
import {
  analyseExperiment,
  type ExperimentAnalysis,
  type VariantSums,
} from '../core/experiments/analysis.js';
import { LeversError, zodProblem } from '../core/errors.js';
import { NET_BASIS } from '../core/metrics/summary.js';
import { type Database, type Store, withDatabase } from '../store/port.js';

export const HoldoutOptionsSchema = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/)
    .optional(),
  /** The share the server was configured with (offers.holdoutShare): SRM checks the split against it. */
  holdoutShare: z.coerce.number().gt(0).lt(1).default(0.05),
  /** Always-valid intervals, safe when the result is read every day. */
  sequential: z.boolean().default(false),
  targetLift: z.coerce.number().gt(0).lt(10).default(0.05),
});
export type HoldoutOptions = z.input<typeof HoldoutOptionsSchema>;

export interface HoldoutExperiment {
  experiment: 'holdout';
  description: string;
  window: { from: string; to: string };
  currency: string;
  analysis: ExperimentAnalysis;
}

/**
 * E1 read as an experiment: sessions that got personalised offers (treatment) against the global holdout
 * (control), with sessions as units, over a window (default: all the data). The per-unit sums come from the
 * store (the same aggregates the report uses), so no session row is read here.
 */
export async function holdoutExperiment(
  store: Store,
  options: HoldoutOptions = {},
): Promise<HoldoutExperiment> {
  const r = HoldoutOptionsSchema.safeParse(options);
  if (!r.success) {
    const { path, problem } = zodProblem(r.error, 'option');
    throw new LeversError('INVALID_OPTION', { option: path, detail: problem });
  }
  const o = r.data;
  return withDatabase(store, (db) => holdoutOf(db, o));
}

async function holdoutOf(db: Database, o: z.output<typeof HoldoutOptionsSchema>): Promise<HoldoutExperiment> {
  const range = await db.dataRange();
  const from = o.from ?? range.first;
  const to = o.to ?? range.last;
  if (!from || !to)
    throw new LeversError('NO_DATA', {
      what: 'sessions or orders',
      hint: 'load data first (levers ingest …)',
    });
  const currency = o.currency ?? (await db.currencies())[0]?.currency ?? 'USD';
  const window = { from, to };
  const rows = await db.aggregates(
    currency,
    { by: 'window', current: window, previous: { from: '0001-01-01', to: '0001-01-01' } },
    'assignment',
    NET_BASIS,
  );
  const arm = (segment: string, id: string, weight: number): VariantSums => {
    const u = rows.find((r) => r.key === 'current' && r.segment === segment)?.aggregate.units;
    return {
      id,
      weight,
      n: u?.n ?? 0,
      so: u?.so ?? 0,
      soo: u?.soo ?? 0,
      sr: u?.sr ?? 0,
      srr: u?.srr ?? 0,
      sor: u?.sor ?? 0,
    };
  };
  const arms = [arm('holdout', 'holdout', o.holdoutShare), arm('treatment', 'treatment', 1 - o.holdoutShare)];
  if (arms.every((a) => a.n === 0))
    throw new LeversError('NO_DATA', {
      what: `sessions with an assignment (holdout or treatment) in ${from}..${to}`,
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
}
