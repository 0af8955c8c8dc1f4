import { proportion } from '../../../core/stats/proportion.js';
import { acceptanceChart, holdoutChart } from '../../../render/dashboard-charts.js';
import { pct } from '../../../render/format.js';
import { blockHtml } from '../../../render/html-page.js';
import { esc } from '../../../render/html.js';
import { reportSections } from '../../../render/report-sections.js';
import { chartBox, type PageContext, type PageOut, reportSubtitle } from './context.js';

const num = (n: number) => n.toLocaleString('en-US');

/**
 * Offers: acceptance by kind (with its interval), treated against held-out sessions (RPS lift and interval, the
 * verdict), and the offers the engine refused since this server started, by code.
 */
export async function offersPage(c: PageContext): Promise<PageOut> {
  const r = await c.data.report(c.options);
  const charts = [acceptanceChart(r), holdoutChart(r)];
  const o = r.offers;
  const rows = (o?.byType ?? []).map((t) => {
    const answered = t.accepted + t.declined > 0;
    const p = answered ? proportion(t.accepted, t.shown) : null;
    return `<tr><td>${esc(t.type)}</td><td class="r">${num(t.shown)}</td><td class="r">${answered ? num(t.accepted) : '(shown only)'}</td><td class="r">${p ? pct(p.value, 1) : 'unknown'}</td><td class="r">${p ? `${pct(p.low, 1)} to ${pct(p.high, 1)}` : ''}</td></tr>`;
  });
  // O8: where the offer was said (web, chat, email), with the same interval.
  const channels = (o?.byChannel ?? []).map((t) => {
    const p = t.shown ? proportion(t.accepted, t.shown) : null;
    return `<tr><td>${esc(t.channel)}</td><td class="r">${num(t.shown)}</td><td class="r">${num(t.accepted)}</td><td class="r">${num(t.declined)}</td><td class="r">${t.channel === 'chat' ? num(t.replied) : ''}</td><td class="r">${p ? pct(p.value, 1) : 'unknown'}</td><td class="r">${p ? `${pct(p.low, 1)} to ${pct(p.high, 1)}` : ''}</td></tr>`;
  });
  const byChannel = channels.length
    ? `<table id="by-channel"><caption>Acceptance by channel (95% Wilson interval)</caption><thead><tr><th>channel</th><th class="r">shown</th><th class="r">accepted</th><th class="r">declined</th><th class="r">tell me more</th><th class="r">acceptance</th><th class="r">95% interval</th></tr></thead><tbody>${channels.join('')}</tbody></table>`
    : '';
  const acceptance = o
    ? `<p>${num(o.shown)} offers shown, ${num(o.accepted)} accepted.</p>
<table><caption>Acceptance by offer kind (95% Wilson interval)</caption><thead><tr><th>offer kind</th><th class="r">shown</th><th class="r">accepted</th><th class="r">acceptance</th><th class="r">95% interval</th></tr></thead><tbody>${rows.join('')}</tbody></table>${byChannel}`
    : '<p class="muted">No offer events in the window: load the server\'s events (levers ingest api-events) or pick another window.</p>';
  // The report's treated vs holdout table and verdict (its first two blocks are the totals above).
  const section = reportSections(r).find((s) => s.id === 'offers');
  const holdout = section?.blocks.filter((b) => b.kind === 'table' && b.head[1] === 'treated') ?? [];
  const verdict = o?.verdict ? `<p class="verdict">${esc(o.verdict)}</p>` : '';
  const live = await c.data.live();
  const refused = live.refusedByCode.length
    ? `<table><caption>Offers refused in decisions since ${esc(live.since)}${live.workers != null ? ` (${live.workers} workers)` : ''}</caption><thead><tr><th>refusal code</th><th class="r">offers refused</th></tr></thead><tbody>${live.refusedByCode.map((x) => `<tr><td><code>${esc(x.code)}</code></td><td class="r">${num(x.count)}</td></tr>`).join('')}</tbody></table>`
    : `<p class="muted">No offer refused by this server since ${esc(live.since)} (${num(live.totals.decisions)} decisions).</p>`;
  const body = `<section id="acceptance"><h2>Accepted?</h2>${acceptance}${chartBox(charts[0]!)}</section>
<section id="holdout"><h2>Worth more than no offer?</h2>${holdout.map(blockHtml).join('')}${verdict}${chartBox(charts[1]!)}</section>
<section id="refused"><h2>Refused, and why</h2><p>Each decision refuses the offers that would lose money or break a rule, with a code (see the HTTP API's refusal codes).</p>${refused}</section>`;
  return { subtitle: reportSubtitle(r), body, charts };
}
