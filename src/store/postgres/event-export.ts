import { closeSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { PgConn } from './connection.js';
import { requireCurrentSchema } from './migrate.js';

const PAGE = 10_000;

/**
 * Writes the API events stored in PostgreSQL to a JSON-lines file, in the order they were stored, for the
 * api-events loader (the same lines the file log holds). Read a page at a time by sequence number, so memory
 * does not grow with the log; the file appears whole (written beside, then renamed).
 */
export async function exportApiEvents(url: string, file: string): Promise<number> {
  const db = await PgConn.connect(url);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const part = `${file}.part`;
  const fd = openSync(part, 'w', 0o600);
  let n = 0;
  try {
    await requireCurrentSchema(db);
    let after = '0';
    for (;;) {
      const rows = await db.all<{ next: string; line: string }>(
        // Ordered by the column (the number), not by the text it is read as.
        `SELECT e.seq::VARCHAR AS next, e.line FROM api_events e WHERE e.seq > $1::BIGINT ORDER BY e.seq
         LIMIT ${PAGE}`,
        [after],
      );
      if (rows.length === 0) break;
      writeSync(fd, `${rows.map((r) => r.line).join('\n')}\n`);
      n += rows.length;
      after = rows[rows.length - 1]!.next;
    }
  } finally {
    closeSync(fd);
    await db.close().catch(() => {});
  }
  renameSync(part, file);
  return n;
}
