import type { Report } from '../app/report.js';
import { htmlPage } from './html-page.js';
import { chartOptions } from './report-charts.js';
import { reportSections } from './report-sections.js';

/**
 * The report as one self-contained HTML file with every section the terminal prints (the same document, drawn as
 * HTML) and the charts beside the section they belong to.
 */
export function renderHtml(r: Report): string {
  const w = r.windows;
  return htmlPage({
    title: `Levers report ${w.current.from} .. ${w.current.to}`,
    heading: 'Levers report',
    subtitle:
      `${w.current.from} .. ${w.current.to}` +
      `${w.previous ? ` compared with ${w.previous.from} .. ${w.previous.to}` : ' (nothing to compare with)'} · ` +
      `${r.currency} · net of discounts, refunds and returns`,
    sections: reportSections(r),
    charts: chartOptions(r),
  });
}
