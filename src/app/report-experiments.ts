import type { VerdictCode } from '../core/experiments/analysis.js';
import { type Experiment, overlaps } from '../core/experiments/config.js';
import { isLeversError } from '../core/errors.js';
import type { Database, ProfitBasis, Window } from '../store/port.js';
import { offerExperimentOf } from './experiment.js';

/** One treatment of an offer experiment against its control, over the report window: one line of the report. */
export interface ReportExperimentRow {
  experiment: string;
  hypothesis: string;
  control: string;
  /** The treatment; null when the experiment has no data in the window. */
  variant: string | null;
  /** The experiment's days within the report window. */
  window: Window;
  verdict: { code: VerdictCode; text: string };
  /** The metric the verdict reads: profit per session when declared and the economics were given, else RPS. */
  primary: 'rps' | 'profit';
  /** The relative RPS lift with its interval (Bonferroni-corrected over the treatments); null when unknown. */
  rpsLift: { value: number; low: number; high: number } | null;
  /** The relative profit-per-session lift with its interval, for a profit-primary experiment; else null. */
  profitLift: { value: number; low: number; high: number } | null;
  srm: { p: number; flagged: boolean } | null;
}

export interface ReportExperiments {
  rows: ReportExperimentRow[];
  /** Why there is no row, in one line: no offer configuration, or no experiment in the window. */
  note: string | null;
}

/**
 * The report's Experiments section: each offer experiment of the configuration whose days overlap the report
 * window, analysed over those days as `levers experiment show` does (the global holdout is in the Offers section).
 * An experiment without data in the window is a NO_DATA line, never a failed report.
 */
export async function reportExperiments(
  db: Database,
  currency: string,
  window: Window,
  experiments: readonly Experiment[] | null,
  profit?: ProfitBasis,
): Promise<ReportExperiments> {
  if (!experiments)
    return {
      rows: [],
      note: 'no offer configuration was given, so no offer experiment is reported (levers report --config FILE)',
    };
  const running = experiments.filter((e) => overlaps(e, window));
  if (!running.length)
    return {
      rows: [],
      note: experiments.length
        ? `none of the ${experiments.length} configured offer experiments ran in ${window.from}..${window.to}`
        : 'the offer configuration declares no experiment',
    };
  const rows: ReportExperimentRow[] = [];
  for (const e of running) {
    const days = {
      from: e.start > window.from ? e.start : window.from,
      to: e.end && e.end < window.to ? e.end : window.to,
    };
    const control = e.variants[0]!.id;
    try {
      const r = await offerExperimentOf(db, e, { ...days, currency, ...(profit ? { profit } : {}) });
      const a = r.analysis;
      const primary = a.primary === 'profit' ? 'profit' : 'rps';
      for (const c of a.comparisons)
        rows.push({
          experiment: e.id,
          hypothesis: e.hypothesis,
          control,
          variant: c.variant,
          window: days,
          verdict: { code: c.verdict.code, text: c.verdict.text },
          primary,
          rpsLift: c.changes.rps?.relative ?? null,
          profitLift: primary === 'profit' ? (c.changes.profit?.relative ?? null) : null,
          srm: { p: a.srm.p, flagged: a.srm.flagged },
        });
    } catch (err) {
      if (!isLeversError(err) || (err.code !== 'NO_DATA' && err.code !== 'INVALID_OPTION')) throw err;
      rows.push({
        experiment: e.id,
        hypothesis: e.hypothesis,
        control,
        variant: null,
        window: days,
        verdict: { code: 'NO_DATA', text: `no data: ${err.message}` },
        primary: e.primary === 'profit' && profit ? 'profit' : 'rps',
        rpsLift: null,
        profitLift: null,
        srm: null,
      });
    }
  }
  return { rows, note: null };
}
