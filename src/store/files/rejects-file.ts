import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Reject } from '../../core/model/rows.js';

const HEADER = ['file', 'line', 'field', 'reason', 'value', 'record'];

function csvCell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Rejected rows, with the whole original record so it can be fixed and loaded again. */
export function writeRejectsFile(path: string, rejects: readonly Reject[]): void {
  mkdirSync(dirname(path), { recursive: true });
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
  writeFileSync(path, `${lines.join('\n')}\n`);
}
