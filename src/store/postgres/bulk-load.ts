import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { currencyExponent, minorToDecimal } from '../../core/money.js';
import type { RowOf } from '../../core/model/rows.js';
import { TABLES, TABLE_NAMES, type ColumnSpec, type TableName } from '../../core/model/tables.js';
import { toSqlTimestamp } from '../../core/time.js';
import type { LoadBatch, TableCounts } from '../port.js';
import { ident } from '../sql/conn.js';
import type { PgConn } from './connection.js';
import { copyLine } from './copy-text.js';
import { mergeStaged } from './merge.js';
import { pgType } from './schema.js';

/** Rows per COPY chunk: one string per chunk keeps a million rows from being a million small strings. */
const CHUNK_ROWS = 2000;

/**
 * Stages a load's rows as COPY text per table, then in one transaction copies each table into a temp table
 * (COPY FROM STDIN, not row-by-row inserts) and merges it into the store keyed on ids, as the DuckDB load does:
 * loading the same file twice changes nothing, a newer export updates what changed. The rows wait in memory
 * until commit (one COPY at a time per connection, and loaders write tables interleaved).
 */
export class PgBulkLoad implements LoadBatch {
  private readonly chunks = new Map<TableName, string[]>();
  private readonly pending = new Map<TableName, string[]>();
  private readonly staged = new Map<TableName, number>();

  constructor(private readonly db: PgConn) {}

  write<T extends TableName>(table: T, row: RowOf[T]): void {
    const rec = row as unknown as Record<string, unknown>;
    const currency = typeof rec.currency === 'string' ? rec.currency : 'USD';
    const pos = (this.staged.get(table) ?? 0) + 1;
    const values = TABLES[table].columns.map((c) => textOf(c, rec[c.name], currency));
    values.push(String(pos));
    this.staged.set(table, pos);
    const lines = this.pending.get(table) ?? [];
    lines.push(copyLine(values));
    if (lines.length >= CHUNK_ROWS) {
      this.chunk(table).push(lines.join(''));
      lines.length = 0;
    }
    this.pending.set(table, lines);
  }

  private chunk(t: TableName): string[] {
    let c = this.chunks.get(t);
    if (!c) this.chunks.set(t, (c = []));
    return c;
  }

  async commit(): Promise<Partial<Record<TableName, TableCounts>>> {
    for (const [t, lines] of this.pending) if (lines.length) this.chunk(t).push(lines.join(''));
    this.pending.clear();
    const out: Partial<Record<TableName, TableCounts>> = {};
    await this.db.run('BEGIN');
    try {
      for (const t of TABLE_NAMES) {
        const staged = this.staged.get(t) ?? 0;
        if (staged === 0) continue;
        await this.copyIn(t);
        out[t] = await mergeStaged(this.db, t, staged);
      }
      await this.db.run('COMMIT');
    } catch (e) {
      await this.db.run('ROLLBACK').catch(() => {});
      throw e;
    }
    this.chunks.clear();
    // Fresh statistics now, not when autovacuum gets to it: a report right after a large load would otherwise
    // be planned for empty tables (measured: 47 s instead of 9 s for 140,000 sessions).
    for (const t of Object.keys(out)) await this.db.run(`ANALYZE ${ident(t)}`);
    return out;
  }

  private async copyIn(t: TableName): Promise<void> {
    const stage = ident(`stage_${t}`);
    const cols = TABLES[t].columns.map((c) => `${ident(c.name)} ${pgType(c)}`).join(', ');
    await this.db.run(`CREATE TEMP TABLE ${stage} (${cols}, _pos BIGINT) ON COMMIT DROP`);
    const chunks = this.chunks.get(t) ?? [];
    await this.db.exclusive((c) =>
      pipeline(Readable.from(chunks), c.query(copyFrom(`COPY ${stage} FROM STDIN`))),
    );
  }
}

/** A value as COPY reads it: money as exact decimal text, times as UTC instants. */
function textOf(col: ColumnSpec, v: unknown, currency: string): string | null {
  if (v === null || v === undefined) return null;
  if (col.kind === 'money') return minorToDecimal(v as number, currencyExponent(currency));
  if (col.kind === 'time') return `${toSqlTimestamp(v as number)}+00`;
  return String(v);
}
