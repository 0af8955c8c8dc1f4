import type { Change } from '../../../core/stats/compare.js';
import type { Report } from '../../../app/report.js';
import { money, pct } from '../../../render/format.js';
import { esc } from '../../../render/html.js';
import { chartOptions } from '../../../render/report-charts.js';
import { changeCells, reportSections } from '../../../render/report-sections.js';
import { type PageContext, type PageOut, reportSubtitle, sections } from './context.js';

/** Overview: the four levers with their change and interval, the trend, the split of the change, what to do. */
export async function overviewPage(c: PageContext): Promise<PageOut> {
  const r = await c.data.report(c.options);
  const charts = chartOptions(r).filter((x) => x.id === 'trend' || x.id === 'waterfall');
  const body =
    kpis(r) +
    sections(reportSections(r), ['summary', 'levers', 'why', 'warnings', 'diagnosis', 'unknown'], charts);
  return { subtitle: reportSubtitle(r), body, charts };
}

function kpis(r: Report): string {
  const ch = r.changes;
  const cur = r.current;
  const card = (label: string, value: string, c: Change | null | undefined, points = false) => {
    const [delta, interval] = changeCells(c, points);
    const said = !r.previous
      ? 'nothing to compare with'
      : !c
        ? 'change unknown'
        : c.detectable
          ? `${delta} (95% CI ${interval})`
          : `no detectable change (${delta}, 95% CI ${interval.replace(' (noise)', '')})`;
    const cls = c?.detectable ? (c.absolute.value >= 0 ? ' up' : ' down') : '';
    return `<div class="kpi${cls}"><div class="label">${esc(label)}</div><div class="value">${esc(value)}</div><div class="change">${esc(said)}</div></div>`;
  };
  return `<div class="kpis" role="group" aria-label="The levers">
${card('Sessions (no bots)', cur.sessions == null ? 'unknown' : cur.sessions.toLocaleString('en-US'), r.windows.totalsComparable ? ch?.sessions : null)}
${card('Conversion (CVR)', pct(cur.cvr), ch?.cvr, true)}
${card('Order value (AOV, net)', money(cur.aovMinor, r.currency), ch?.aov)}
${card('Revenue per session (RPS)', money(cur.rpsMinor, r.currency), ch?.rps)}
</div>`;
}
