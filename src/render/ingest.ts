import type { IngestReport } from '../app/ingest.js';
import { int, table } from './format.js';

export function renderIngest(r: IngestReport, seconds: number): string {
  const out: string[] = [`${r.format}: ${r.files.join(', ')}  (${seconds.toFixed(1)} s)`];
  if (r.unchangedSince)
    out.push(`unchanged since run ${r.unchangedSince}: 0 rows added (the same files; nothing read again)`);
  out.push(
    table([
      ['rows read', int(r.rows.read)],
      ['loaded', int(r.rows.loaded)],
      ['rejected', int(r.rows.rejected)],
      ['skipped', int(r.rows.skipped)],
    ]),
  );
  const list = (title: string, m: Record<string, number>, counts = true) => {
    const entries = Object.entries(m);
    if (!entries.length) return;
    out.push(title);
    for (const [k, v] of entries)
      out.push(counts && v > 0 ? `  ${int(v).padStart(9)}  ${k}` : `             ${k}`);
  };
  list('rejected, by reason:', r.rejectedByReason);
  list('skipped, by reason:', r.skippedByReason);
  list('notes:', r.notes);
  const tableRows = Object.entries(r.tables).map(
    ([t, c]) =>
      [
        t,
        `${int(c.staged)} rows: ${int(c.inserted)} new, ${int(c.updated)} updated, ${int(c.unchanged)} ` +
          `unchanged` +
          (c.duplicateKeys ? `, ${int(c.duplicateKeys)} repeated keys (last kept)` : ''),
      ] as [string, string],
  );
  if (tableRows.length) out.push('store:', table(tableRows));
  if (r.rejectsFile) out.push(`rejected rows with line, field and reason: ${r.rejectsFile}`);
  return out.join('\n');
}
