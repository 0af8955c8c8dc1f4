import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Report } from '../app/report.js';
import { chartOptions } from './report-charts.js';

const require = createRequire(import.meta.url);
let echartsSource: string | null = null;

/** ECharts (Apache-2.0) is inlined so the file opens anywhere, offline, with nothing else beside it. */
function echarts(): string {
  echartsSource ??= readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echartsSource;
}

const esc = (s: string) =>
  s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);

/** One self-contained HTML file: the summary, the diagnosis and every chart of the report. */
export function renderHtml(r: Report): string {
  const charts = chartOptions(r);
  const data = JSON.stringify(charts).replace(/</g, '\\u003c');
  const d = r.diagnosis;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Levers report ${esc(r.windows.current.from)} .. ${esc(r.windows.current.to)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1d2330; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
  .muted { color: #667; } .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; }
  .chart { height: 340px; border: 1px solid #e3e6ee; border-radius: 8px; padding: 8px; }
  .warn { background: #fff6e0; border-left: 4px solid #e0a000; padding: 6px 10px; margin: 6px 0; }
  table.kpi { border-collapse: collapse; } table.kpi td, table.kpi th { padding: 4px 12px; text-align: right; border-bottom: 1px solid #eee; }
  table.kpi td:first-child, table.kpi th:first-child { text-align: left; }
</style></head><body>
<h1>Levers report</h1>
<div class="muted">${esc(r.windows.current.from)} .. ${esc(r.windows.current.to)} compared with ${esc(r.windows.previous.from)} .. ${esc(r.windows.previous.to)} · ${esc(r.currency)} · net of discounts, refunds and returns</div>
<h2>Summary</h2><ul>${r.summary.map((s) => `<li>${esc(s)}</li>`).join('')}</ul>
${r.warnings.map((w) => `<div class="warn">${esc(w)}</div>`).join('')}
<h2>Diagnosis</h2>
<p><b>Phase:</b> ${esc(d.phase)} (${esc(d.phaseEvidence)}). <b>Weakest lever:</b> ${esc(d.weakestLever ?? 'unknown')} (${esc(d.weakestEvidence)}).</p>
<ol>${d.tactics.map((t) => `<li>${esc(t.tactic)} <span class="muted">— ${esc(t.why)}</span></li>`).join('')}</ol>
${r.unknown.length ? `<h2>Unknown</h2><ul>${r.unknown.map((u) => `<li>${esc(u)}</li>`).join('')}</ul>` : ''}
<h2>Charts</h2>
<div class="grid">${charts.map((c) => `<div class="chart" id="${c.id}" data-chart="${c.id}"></div>`).join('')}</div>
<script>${echarts()}</script>
<script>
  window.__charts = { expected: 0, rendered: 0 };
  const specs = ${data};
  window.__charts.expected = specs.length;
  for (const spec of specs) {
    const chart = echarts.init(document.getElementById(spec.id), null, { renderer: 'canvas' });
    chart.on('finished', () => { if (!chart.__counted) { chart.__counted = true; window.__charts.rendered++; } });
    chart.setOption(spec.option);
  }
</script>
</body></html>
`;
}
