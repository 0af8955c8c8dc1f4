import { LeversError } from '../../core/errors.js';
import { DuckDb } from './connection.js';

/**
 * Reads a Parquet file through an in-memory DuckDB, every value as text (as a CSV would give it), so loaders
 * see one shape whatever the file type. `onHeader` comes first, also for a file without rows.
 */
export async function readParquetRows(
  file: string,
  onHeader: (columns: string[]) => void,
  onRow: (values: (string | null)[]) => void,
): Promise<void> {
  const db = await DuckDb.memory();
  try {
    let result: Awaited<ReturnType<typeof db.conn.stream>>;
    try {
      result = await db.conn.stream(`SELECT COLUMNS(*)::VARCHAR FROM read_parquet($1)`, [file]);
    } catch (e) {
      // DuckDB's message continues with the query it ran: the first line is the one that speaks of the file.
      const detail = (e as Error).message.split('\n')[0]!.replace(/^Invalid Input Error: /, '');
      throw new LeversError('FILE_UNREADABLE', { file, detail }, { cause: e });
    }
    onHeader(result.columnNames());
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      for (const values of chunk.getRows()) onRow(values as (string | null)[]);
    }
  } finally {
    db.close();
  }
}
