import { rateMixChart } from '../../../render/dashboard-charts.js';
import { reportSections } from '../../../render/report-sections.js';
import { chartBox, type PageContext, type PageOut, reportSubtitle, sections } from './context.js';

/**
 * Segments: per dimension (device, channel, landing page, country, customer type), the change split into rate
 * (segments' own CVR, AOV, RPS) and mix (their shares of traffic), with each segment's change and interval.
 */
export async function segmentsPage(c: PageContext): Promise<PageOut> {
  const r = await c.data.report(c.options);
  const chart = rateMixChart(r);
  const secs = reportSections(r);
  const any = secs.some((s) => s.id.startsWith('segments-'));
  // The report's per-dimension AOV charts are left out: one chart per question, the rate/mix split.
  const body =
    `<section id="rate-mix"><h2>Rate or mix?</h2>${chartBox(chart)}</section>\n` +
    sections(
      secs.map((s) => ({ ...s, charts: [] })),
      ['warnings', 'segments-*'],
      [],
    ) +
    (any
      ? ''
      : '<p class="muted">No segment split: there is no previous window with data in the same segments ' +
        '(pick a window with a comparison, e.g. from and to inside the data and compare with previous).</p>');
  return { subtitle: reportSubtitle(r), body, charts: [chart] };
}
