import type { ClvRun } from '../../../app/clv.js';
import { clvDistributionChart } from '../../../render/dashboard-charts.js';
import { money } from '../../../render/format.js';
import { esc } from '../../../render/html.js';
import { chartOptions } from '../../../render/report-charts.js';
import { reportSections } from '../../../render/report-sections.js';
import { chartBox, type PageContext, type PageOut, reportSubtitle, sections, unknownOf } from './context.js';

/**
 * Customers: repeat rate against the category norms, first-order cohorts' retention, predicted lifetime value
 * (BG/NBD and Gamma-Gamma over every customer) and the customers worth most.
 */
export async function customersPage(c: PageContext): Promise<PageOut> {
  const r = await c.data.report(c.options);
  let run: ClvRun | null = null;
  let why = '';
  try {
    run = await c.data.clv();
  } catch (e) {
    why = unknownOf(e);
  }
  const cohorts = chartOptions(r).filter((x) => x.id === 'cohorts');
  const dist = clvDistributionChart(run, why || 'no customer could be valued');
  const customers = reportSections(r).map((s) => (s.id === 'customers' ? { ...s, charts: ['cohorts'] } : s));
  const top = run ? [...run.values].sort((a, b) => b.clvMinor - a.clvMinor).slice(0, 10) : [];
  const basis =
    run?.margin == null ? 'revenue (no margin known)' : `gross margin ${(run.margin * 100).toFixed(0)}%`;
  const table = top.length
    ? `<table><caption>Top customers by predicted value over 12 months (${esc(basis)}; fitted on orders to ${esc(run!.calibrationEnd)})</caption><thead><tr><th>customer</th><th class="r">orders</th><th class="r">P(alive)</th><th class="r">expected orders</th><th class="r">expected order value</th><th class="r">CLV</th></tr></thead><tbody>${top
        .map(
          (v) =>
            `<tr><td>${esc(v.customerId)}</td><td class="r">${v.x + 1}</td><td class="r">${(v.probabilityAlive * 100).toFixed(0)}%</td><td class="r">${v.expectedPurchases.toFixed(2)}</td><td class="r">${money(v.expectedSpendMinor, run!.currency)}</td><td class="r">${money(v.clvMinor, run!.currency)}</td></tr>`,
        )
        .join('')}</tbody></table>
<p class="muted">Point predictions of a fitted model (BG/NBD, Gamma-Gamma): the Customers section above shows how its predicted repeat purchases compare with what happened after the fitting window.</p>`
    : `<p class="muted">No predicted values: ${esc(why || 'no customer could be valued')}.</p>`;
  const body =
    sections(customers, ['customers'], cohorts) +
    `<section id="clv"><h2>What are customers worth?</h2>${chartBox(dist)}${table}</section>`;
  return { subtitle: reportSubtitle(r), body, charts: [...cohorts, dist] };
}
