import type { Report } from '../app/report.js';
import { reportSections, type Block } from './report-sections.js';

const W = 100;
const rule = (t: string) => `${t} ${'─'.repeat(Math.max(0, W - t.length - 1))}`;

/** Word-wraps prose to the 100-column page, continuing lines under the first character of the text. */
export function wrap(text: string, indent: string, hang = indent): string[] {
  const out: string[] = [];
  let cur = indent;
  for (const word of text.split(' ')) {
    if (cur.trim() && cur.length + 1 + word.length > W) {
      out.push(cur);
      cur = hang + word;
    } else cur += (cur.trim() ? ' ' : '') + word;
  }
  out.push(cur);
  return out;
}

function block(b: Block): string[] {
  if (b.kind === 'text') return wrap(b.text, '  ', '    ');
  if (b.kind === 'warn') return wrap(`! ${b.text}`, '  ', '    ');
  if (b.kind === 'list')
    return b.items.flatMap((t, i) => wrap(`${b.numbered ? `${i + 1}.` : '-'} ${t}`, '  ', '    '));
  const widths = b.head.map((h, c) => Math.max(h.length, ...b.rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    `  ${cells.map((v, c) => (b.align[c] === 'r' ? v.padStart(widths[c]!) : v.padEnd(widths[c]!))).join('  ')}`.trimEnd();
  return [line(b.head), ...b.rows.map(line)];
}

/** The report for a terminal, aligned and readable at 100 columns. */
export function renderReport(r: Report): string {
  const w = r.windows;
  const out = [
    `Levers report ${w.current.from}..${w.current.to}${w.previous ? ` vs ${w.previous.from}..${w.previous.to}` : ' (nothing to compare with)'}`,
    `${r.currency}, net of discounts, refunds and returns${r.basis.includeShipping ? ', with shipping' : ''}${r.basis.includeTax ? ', with tax' : ''}`,
  ];
  for (const s of reportSections(r)) out.push('', rule(s.title), ...s.blocks.flatMap(block));
  return out.join('\n');
}
