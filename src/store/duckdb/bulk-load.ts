import { type DuckDBAppender, DuckDBTimestampValue } from '@duckdb/node-api';
import { currencyExponent, minorToDecimal } from '../../core/money.js';
import type { RowOf } from '../../core/model/rows.js';
import { keyColumns, TABLES, TABLE_NAMES, type ColumnSpec, type TableName } from '../../core/model/tables.js';
import { toSqlTimestamp } from '../../core/time.js';
import type { LoadBatch, SqlStaging, TableCounts } from '../port.js';
import { fillFromExistingSql, PARTIAL_DESCRIPTIONS } from '../sql/fill-existing.js';
import { recordingTouched, recordTouchedSql } from '../sql/touched.js';
import { ChunkWriter } from './chunk-writer.js';
import type { DuckDb } from './connection.js';
import { ident } from './schema.js';

/** Rows are replaced per these columns (an order's lines are replaced as a whole). */
const REPLACE_BY: Partial<Record<TableName, string[]>> = { order_lines: ['order_id'] };

/**
 * Stages rows through DuckDB appenders into temp tables, then merges them into the store keyed on ids, so
 * loading the same file twice changes nothing and a newer export updates what changed.
 */
export class BulkLoad implements LoadBatch {
  private readonly appenders = new Map<TableName, DuckDBAppender>();
  /** Rows buffered per table and appended a chunk at a time (absent: the table is appended value by value). */
  private readonly chunks = new Map<TableName, ChunkWriter>();
  private readonly staged = new Map<TableName, number>();
  /** The last position given to a staged row (above `staged` when a SQL stage left ordinals unused). */
  private readonly placed = new Map<TableName, number>();

  private constructor(private readonly store: DuckDb) {}

  static async begin(store: DuckDb): Promise<BulkLoad> {
    const load = new BulkLoad(store);
    for (const t of TABLE_NAMES) {
      await store.conn.run(`DROP TABLE IF EXISTS ${ident(`stage_${t}`)}`);
      await store.conn.run(
        `CREATE TEMP TABLE ${ident(`stage_${t}`)} AS SELECT *, 0::BIGINT AS _pos FROM ${ident(t)} LIMIT 0`,
      );
      const a = await store.conn.createAppender(`stage_${t}`, 'main', 'temp');
      load.appenders.set(t, a);
      const chunk = ChunkWriter.for(a, TABLES[t].columns);
      if (chunk) load.chunks.set(t, chunk);
    }
    return load;
  }

  /** Rows mapped in SQL (a format read by DuckDB itself) staged beside the appended ones, in order after them. */
  get sql(): SqlStaging {
    return {
      db: this.store,
      stage: async (table, columns, select, params = [], ordinals) => {
        this.chunks.get(table)?.flush();
        this.appenders.get(table)!.flushSync();
        const from = this.placed.get(table) ?? 0;
        const cols = [...columns, '_pos'].map(ident).join(', ');
        const pos = ordinals === undefined ? 'row_number() OVER ()' : '_ord';
        const rest = ordinals === undefined ? '*' : '* EXCLUDE (_ord)';
        const r = await this.store.conn.run(
          `INSERT INTO ${ident(`stage_${table}`)} (${cols})
           SELECT ${rest}, ${from}::BIGINT + ${pos} FROM (${select})`,
          params,
        );
        const n = Number(r.rowsChanged);
        this.staged.set(table, (this.staged.get(table) ?? 0) + n);
        this.placed.set(table, from + (ordinals ?? n));
        return n;
      },
    };
  }

  write<T extends TableName>(table: T, row: RowOf[T]): void {
    const rec = row as unknown as Record<string, unknown>;
    // Positions run on past ordinals a SQL stage left unused (placed); staged counts rows.
    const pos = (this.placed.get(table) ?? 0) + 1;
    this.placed.set(table, pos);
    this.staged.set(table, (this.staged.get(table) ?? 0) + 1);
    const chunk = this.chunks.get(table);
    if (chunk?.write(rec, pos)) return;
    // A value the chunk cannot hold exactly: the rows buffered before it go first, then this one by value, flushed
    // so that the chunks after it stay behind it.
    chunk?.flush();
    const a = this.appenders.get(table)!;
    const currency = typeof rec.currency === 'string' ? rec.currency : 'USD';
    for (const col of TABLES[table].columns) appendValue(a, col, rec[col.name], currency);
    a.appendBigInt(BigInt(pos));
    a.endRow();
    if (chunk) a.flushSync();
  }

  async commit(): Promise<Partial<Record<TableName, TableCounts>>> {
    for (const c of this.chunks.values()) c.flush();
    for (const a of this.appenders.values()) a.closeSync();
    const out: Partial<Record<TableName, TableCounts>> = {};
    const conn = this.store.conn;
    await conn.run('BEGIN TRANSACTION');
    try {
      for (const t of TABLE_NAMES) {
        const staged = this.staged.get(t) ?? 0;
        if (staged === 0) continue;
        out[t] = await mergeTable(this.store, t, staged);
      }
      await conn.run('COMMIT');
    } catch (e) {
      await conn.run('ROLLBACK');
      throw e;
    } finally {
      for (const t of TABLE_NAMES) await conn.run(`DROP TABLE IF EXISTS ${ident(`stage_${t}`)}`);
    }
    return out;
  }
}

/**
 * Below this many major units, minor / 10^exp as a double lands on the exact DECIMAL(18,3) value when DuckDB casts
 * it (the cast rounds; the double's error is far below half a thousandth), and is four times cheaper to append
 * than decimal text. Larger amounts go as text.
 */
const EXACT_AS_DOUBLE = 1e11;

function appendValue(a: DuckDBAppender, col: ColumnSpec, v: unknown, currency: string): void {
  if (v === null || v === undefined) a.appendNull();
  else if (col.kind === 'int') a.appendInteger(v as number);
  else if (col.kind === 'money') {
    const exp = currencyExponent(currency);
    const major = (v as number) / 10 ** exp;
    if (Math.abs(major) < EXACT_AS_DOUBLE) a.appendDouble(major);
    else a.appendVarchar(minorToDecimal(v as number, exp));
  } else if (col.kind === 'time') {
    const ms = v as number;
    if (Number.isSafeInteger(ms)) a.appendTimestamp(new DuckDBTimestampValue(BigInt(ms) * 1000n));
    else a.appendVarchar(toSqlTimestamp(ms));
  } else a.appendVarchar(String(v));
}

async function mergeTable(store: DuckDb, t: TableName, staged: number): Promise<TableCounts> {
  const keys = keyColumns(t).map(ident);
  const target = ident(t);
  const stage = ident(`stage_${t}`);
  const dedup = ident(`dedup_${t}`);
  const conn = store.conn;
  const keyTuple = keys.length === 1 ? keys[0] : `(${keys.join(', ')})`;
  // Most loads repeat no key: then the staged rows are merged as they are, without a copy sorted by position.
  const d = await store.one<{ n: number; held: number }>(
    `SELECT (count(*) - count(DISTINCT ${keyTuple}))::INTEGER AS n,
            (SELECT count(*) FROM (SELECT 1 FROM ${target} LIMIT 1))::INTEGER AS held FROM ${stage}`,
  );
  const partial = PARTIAL_DESCRIPTIONS.has(t);
  if (d.n === 0 && !partial) {
    await conn.run(`CREATE OR REPLACE TEMP VIEW ${dedup} AS SELECT * EXCLUDE (_pos) FROM ${stage}`);
  } else {
    // Last occurrence of a key within one load wins, as a later row in an export is the newer one.
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${dedup} AS
      SELECT * EXCLUDE (_pos) FROM ${stage}
      QUALIFY row_number() OVER (PARTITION BY ${keys.join(', ')} ORDER BY _pos DESC) = 1`);
  }
  const on = keys.map((k) => `s.${k} = t.${k}`).join(' AND ');
  const kept =
    d.n === 0 ? staged : (await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${dedup}`)).n;
  let c = { n: kept, ins: kept, upd: 0 };
  const recording = recordingTouched.has(store);
  if (d.held === 0) {
    // An empty table: nothing to update or replace.
    if (recording) for (const q of recordTouchedSql(t, dedup, on, null)) await conn.run(q);
  } else {
    // The stored keys this load brings again, found by one scan of the key columns: the statements that read
    // whole stored rows (the replaced rows recorded, the count of changed ones, the delete) then read those rows
    // only, and none at all when the load brings new rows only, so the merge does not scan a large table three
    // times over. Kept as the rows' ids in the table (rowid, stable within the transaction, which deletes them
    // last): the later statements find them without reading a key again (the delete reads no column at all), and
    // skip the row groups outside the ids' range, as a re-sent recent export's rows are the last ones stored.
    const replaceBy = (REPLACE_BY[t] ?? keyColumns(t)).map(ident);
    const cols = replaceBy.join(', ');
    const tuple = replaceBy.length === 1 ? cols : `(${cols})`;
    const hit = ident(`hit_${t}`);
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${hit} AS
      SELECT rowid AS _row FROM ${target} WHERE ${tuple} IN (SELECT ${cols} FROM ${dedup})`);
    const hits = (await store.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${hit}`)).n;
    const stored = hits === 0 ? null : `(SELECT * FROM ${target} WHERE rowid IN (SELECT _row FROM ${hit}))`;
    if (recording) for (const q of recordTouchedSql(t, dedup, on, stored)) await conn.run(q);
    // Customers and products keep what the store knows where the load leaves a value out (their tables are small).
    if (partial) await store.run(fillFromExistingSql(t, dedup, on));
    if (stored !== null) {
      c = await store.one<{ n: number; ins: number; upd: number }>(
        `SELECT count(*)::INTEGER AS n,
                count(*) FILTER (WHERE t.${keys[0]} IS NULL)::INTEGER AS ins,
                count(*) FILTER (WHERE t.${keys[0]} IS NOT NULL AND s IS DISTINCT FROM t)::INTEGER AS upd
         FROM ${dedup} s LEFT JOIN ${stored} t ON ${on}`,
      );
      await conn.run(`DELETE FROM ${target} WHERE rowid IN (SELECT _row FROM ${hit})`);
    }
    await conn.run(`DROP TABLE ${hit}`);
  }
  await conn.run(`INSERT INTO ${target} SELECT * FROM ${dedup}`);
  await conn.run(d.n === 0 && !partial ? `DROP VIEW ${dedup}` : `DROP TABLE ${dedup}`);
  return {
    staged,
    inserted: c.ins,
    updated: c.upd,
    unchanged: c.n - c.ins - c.upd,
    duplicateKeys: staged - c.n,
  };
}
