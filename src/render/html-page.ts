import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { ChartSpec } from './report-charts.js';
import type { Block, Section } from './report-sections.js';
import { esc } from './html.js';

const require = createRequire(import.meta.url);
let echartsSource: string | null = null;

/** ECharts (Apache-2.0) is inlined so the file opens anywhere, offline, with nothing else beside it. */
function echarts(): string {
  echartsSource ??= readFileSync(require.resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echartsSource;
}

export { esc };

/** One block of the document model as HTML (the report, the experiment page and the dashboard draw alike). */
export function blockHtml(b: Block): string {
  if (b.kind === 'text') return `<p>${esc(b.text)}</p>`;
  if (b.kind === 'warn') return `<div class="warn">${esc(b.text)}</div>`;
  if (b.kind === 'list') {
    const tag = b.numbered ? 'ol' : 'ul';
    return `<${tag}>${b.items.map((i) => `<li>${esc(i)}</li>`).join('')}</${tag}>`;
  }
  const cell = (v: string, c: number, tag: 'th' | 'td') =>
    `<${tag} class="${b.align[c] === 'r' ? 'r' : ''}">${esc(v)}</${tag}>`;
  return `<table><thead><tr>${b.head.map((h, c) => cell(h, c, 'th')).join('')}</tr></thead><tbody>${b.rows
    .map((r) => `<tr>${r.map((v, c) => cell(v, c, 'td')).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

/**
 * A section with its charts' boxes (drawn by a script from `data-chart`), and a line for each chart that has
 * nothing to draw saying why.
 */
export function sectionHtml(s: Section, charts: readonly ChartSpec[]): string {
  const drawn = new Set(charts.filter((c) => c.option).map((c) => c.id));
  const ids = s.charts ?? [];
  const here = ids.filter((id) => drawn.has(id));
  const missing = ids.map((id) => charts.find((c) => c.id === id)).filter((c) => c && !c.option && c.empty);
  return (
    `<section id="${esc(s.id)}"><h2>${esc(s.title)}</h2>${s.blocks.map(blockHtml).join('')}` +
    (here.length
      ? `<div class="grid">${here.map((id) => `<div class="chart" id="chart-${id}" data-chart="${id}" role="img" aria-label="${esc(charts.find((c) => c.id === id)!.title)}"></div>`).join('')}</div>`
      : '') +
    missing
      .map((c) => `<p class="muted">No chart of ${esc(c!.title.toLowerCase())}: ${esc(c!.empty!)}.</p>`)
      .join('') +
    '</section>'
  );
}

export interface Page {
  /** The browser tab's title. */
  title: string;
  heading: string;
  /** The line under the heading (window, currency, basis). */
  subtitle: string;
  sections: Section[];
  charts: ChartSpec[];
}

/**
 * One self-contained HTML file: the sections (the same document the terminal prints, drawn as HTML) and the
 * charts beside the section they belong to, ECharts inlined. A chart with no data is left out and the page says
 * so. The report and the experiment page both are one of these, in one style.
 */
export function htmlPage(p: Page): string {
  const charts = p.charts;
  const data = JSON.stringify(charts.filter((c) => c.option)).replace(/</g, '\\u003c');
  const sections = p.sections.map((s) => sectionHtml(s, charts));
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(p.title)}</title>
<style>
  body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 1100px; padding: 24px; color: #1d2330; }
  h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; }
  .muted { color: #667; } .grid { display: grid; grid-template-columns: 1fr 1fr; gap: 16px; margin-top: 8px; }
  .chart { height: 340px; border: 1px solid #e3e6ee; border-radius: 8px; padding: 8px; }
  .warn { background: #fff6e0; border-left: 4px solid #e0a000; padding: 6px 10px; margin: 6px 0; }
  table { border-collapse: collapse; margin: 6px 0 12px; } td, th { padding: 4px 12px; text-align: left; border-bottom: 1px solid #eee; }
  td.r, th.r { text-align: right; font-variant-numeric: tabular-nums; }
</style></head><body>
<h1>${esc(p.heading)}</h1>
<div class="muted">${esc(p.subtitle)}</div>
${sections.join('\n')}
<script>${echarts()}</script>
<script>
  window.__charts = { expected: 0, rendered: 0 };
  const specs = ${data};
  window.__charts.expected = specs.length;
  for (const spec of specs) {
    const chart = echarts.init(document.getElementById('chart-' + spec.id), null, { renderer: 'canvas' });
    chart.on('finished', () => { if (!chart.__counted) { chart.__counted = true; window.__charts.rendered++; } });
    chart.setOption(spec.option);
  }
</script>
</body></html>
`;
}
