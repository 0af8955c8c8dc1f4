import type { ClvRun } from '../../../app/clv.js';
import { proportion } from '../../../core/stats/proportion.js';
import { clvDistributionChart } from '../../../render/dashboard-charts.js';
import { money, pct } from '../../../render/format.js';
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
  // The repeat rate is a share of customers: with its interval, so a move against the norms is read as one.
  const cu = r.customers;
  const rr =
    cu.repeatRate == null ? null : proportion(Math.round(cu.repeatRate * cu.customers), cu.customers);
  const repeat = `<p class="verdict">Repeat rate ${rr ? `${pct(rr.value, 1)} (95% CI ${pct(rr.low, 1)} to ${pct(rr.high, 1)}) of ${cu.customers.toLocaleString('en-US')} customers` : 'unknown (no customer ids)'}${cu.norm ? `: ${esc(cu.norm.position)} the ${esc(cu.norm.category)} norm of ${pct(cu.norm.low, 0)} to ${pct(cu.norm.high, 0)}` : ''}.</p>`;
  const body =
    repeat +
    sections(customers, ['customers'], cohorts) +
    `<section id="clv"><h2>What are customers worth?</h2>${chartBox(dist)}${table}</section>`;
  return { subtitle: reportSubtitle(r), body, charts: [...cohorts, dist] };
}
