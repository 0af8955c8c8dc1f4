import { pct } from '../../../render/format.js';
import { esc } from '../../../render/html.js';
import { liveChart } from '../../../render/live-chart.js';
import { chartBox, type PageContext, type PageOut } from './context.js';

/** Live: what this server process has done since it started, per minute, from its in-memory counters. */
export async function livePage(c: PageContext): Promise<PageOut> {
  const s = await c.data.live();
  const chart = liveChart(s);
  const total = (k: keyof typeof s.totals, label: string) =>
    `<div class="kpi"><div class="label">${esc(label)}</div><div class="value" data-live-total="${k}">${s.totals[k].toLocaleString('en-US')}</div><div class="change">since ${esc(s.since.slice(0, 16).replace('T', ' '))} UTC</div></div>`;
  const hit = s.cache.hitRate;
  const who =
    s.workers != null
      ? `These are the counters of the ${s.workers} workers, summed by the primary (pid ${s.pid}); each worker sends its own once a second, so they may be a second behind, and a worker that was replaced takes its counts with it.`
      : `These are the counters of this server process (pid ${s.pid}); a restart starts them again.`;
  const body = `<div class="kpis" role="group" aria-label="Totals since start">
${total('decisions', 'Decisions')}${total('events', 'Events stored')}${total('clientErrors', 'Requests refused (4xx)')}${total('serverErrors', 'Server errors (5xx)')}
<div class="kpi"><div class="label">Decision cache hit rate</div><div class="value">${hit == null ? 'unknown' : pct(hit, 1)}</div><div class="change">${s.cache.hits.toLocaleString('en-US')} hits, ${s.cache.misses.toLocaleString('en-US')} misses (current model)</div></div>
</div>
<p class="muted">${who} The chart refreshes every 5 seconds.</p>
<section id="per-minute"><h2>Per minute</h2>${chartBox(chart)}</section>`;
  return { subtitle: `process ${s.pid} · since ${s.since}`, body, charts: [chart] };
}
