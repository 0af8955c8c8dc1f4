import type { ClvRun } from '../../../app/clv.js';
import type { EvalRun } from '../../../app/eval-recs.js';
import type { ExperimentReport, ShowOptions } from '../../../app/experiment.js';
import type { ExperimentList } from '../../../app/experiment-list.js';
import type { Report } from '../../../app/report.js';
import type { ReportOptions } from '../../../app/report-options.js';
import type { RecsModel } from '../../../core/recs/model.js';
import { sectionHtml } from '../../../render/html-page.js';
import type { ChartSpec } from '../../../render/report-charts.js';
import type { Section } from '../../../render/report-sections.js';
import { esc } from '../../../render/html.js';
import type { LiveSnapshot } from '../live-stats.js';

/** What the pages read, through the same use cases the CLI and the JSON API call (read-only: GETs never write). */
export interface DashboardData {
  report(o: ReportOptions): Promise<Report>;
  experiments(): ExperimentList;
  experiment(id: string, o: ShowOptions): Promise<ExperimentReport>;
  clv(): Promise<ClvRun>;
  evalRecs(): Promise<EvalRun>;
  model(): RecsModel;
  live(): Promise<LiveSnapshot>;
}

export interface PageContext {
  options: ReportOptions;
  /** The page's own parameters (e.g. experiment), beside the report options. */
  params: Record<string, string>;
  csrf: string;
  /** The report options as a query string, for links that keep them. */
  query: string;
  data: DashboardData;
  now: number;
}

export interface PageOut {
  subtitle: string;
  body: string;
  charts: ChartSpec[];
}

export const reportSubtitle = (r: Report): string => {
  const w = r.windows;
  return (
    `${w.current.from} .. ${w.current.to}` +
    (w.previous ? ` compared with ${w.previous.from} .. ${w.previous.to}` : ' (nothing to compare with)') +
    ` · ${r.currency} · net of discounts, refunds and returns`
  );
};

/** The report's sections of these ids, in this order, with their charts. */
export function sections(
  all: readonly Section[],
  ids: readonly string[],
  charts: readonly ChartSpec[],
): string {
  return ids
    .flatMap((id) => all.filter((s) => s.id === id || (id.endsWith('*') && s.id.startsWith(id.slice(0, -1)))))
    .map((s) => sectionHtml(s, charts))
    .join('\n');
}

/** A chart on its own (not under a report section), or the sentence saying why there is none. */
export function chartBox(c: ChartSpec): string {
  return c.option
    ? `<div class="chart" id="chart-${esc(c.id)}" data-chart="${esc(c.id)}" role="img" aria-label="${esc(c.title)}"></div>`
    : `<p class="muted">No chart of ${esc(c.title.toLowerCase())}: ${esc(c.empty ?? 'no data')}.</p>`;
}

/** What a use case could not do, said on the page (a catalogue code's message, never a stack). */
export function unknownOf(e: unknown): string {
  return e instanceof Error && 'code' in e ? e.message : 'the server could not compute it; its log says why';
}
