import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reject } from '../../core/model/rows.js';

const HEADER = ['file', 'line', 'field', 'reason', 'value', 'record'];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rejected rows, with the original record (as the loader passes it) so it can be fixed and loaded again. */
export function writeRejectsFile(path: string, rejects: readonly Reject[]): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const lines = [HEADER.join(',')];
  for (const r of rejects) {
    const cells = [
      r.file,
      String(r.line),
      r.field,
      r.reason,
      r.value ?? '',
      r.record ? JSON.stringify(r.record) : '',
    ];
    lines.push(cells.map(csvCell).join(','));
  }
  // Rejected rows are customers' orders: readable by their owner only.
  writeFileSync(path, `${lines.join('\n')}\n`, { mode: 0o600 });
}
