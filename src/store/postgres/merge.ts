import { keyColumns, TABLES, type TableName } from '../../core/model/tables.js';
import type { TableCounts } from '../port.js';
import { fillFromExistingSql, PARTIAL_DESCRIPTIONS } from '../sql/fill-existing.js';
import { ident } from '../sql/conn.js';
import { recordingTouched, recordTouchedSql } from '../sql/touched.js';
import type { PgConn } from './connection.js';

/** Rows are replaced per these columns (an order's lines are replaced as a whole). */
const REPLACE_BY: Partial<Record<TableName, string[]>> = { order_lines: ['order_id'] };

/**
 * Merges stage_<t> into t inside the load's transaction, with the DuckDB load's rules and counts: the last row
 * of a key within one load wins, partial descriptions keep known values, the rows replaced are deleted and the new
 * ones inserted.
 */
export async function mergeStaged(db: PgConn, t: TableName, staged: number): Promise<TableCounts> {
  const cols = TABLES[t].columns.map((c) => ident(c.name));
  const keys = keyColumns(t).map(ident);
  const target = ident(t);
  const dedup = ident(`dedup_${t}`);
  await db.run(`CREATE TEMP TABLE ${dedup} ON COMMIT DROP AS
    SELECT DISTINCT ON (${keys.join(', ')}) ${cols.join(', ')} FROM ${ident(`stage_${t}`)}
    ORDER BY ${keys.join(', ')}, _pos DESC`);
  const on = keys.map((k) => `s.${k} = t.${k}`).join(' AND ');
  if (PARTIAL_DESCRIPTIONS.has(t)) await db.run(fillFromExistingSql(t, dedup, on));
  const row = (a: string) => `(${cols.map((c) => `${a}.${c}`).join(', ')})`;
  const c = await db.one<{ n: number; ins: number; upd: number }>(
    `SELECT count(*)::INTEGER AS n,
            count(*) FILTER (WHERE t.${keys[0]} IS NULL)::INTEGER AS ins,
            count(*) FILTER (WHERE t.${keys[0]} IS NOT NULL AND ${row('s')} IS DISTINCT FROM ${row('t')})::INTEGER AS upd
     FROM ${dedup} s LEFT JOIN ${target} t ON ${on}`,
  );
  if (recordingTouched.has(db)) for (const q of recordTouchedSql(t, dedup, on)) await db.run(q);
  const replaceBy = (REPLACE_BY[t] ?? keyColumns(t)).map(ident);
  const tuple = replaceBy.length === 1 ? replaceBy[0] : `(${replaceBy.join(', ')})`;
  await db.run(
    `DELETE FROM ${target} WHERE ${tuple} IN (SELECT DISTINCT ${replaceBy.join(', ')} FROM ${dedup})`,
  );
  await db.run(`INSERT INTO ${target} (${cols.join(', ')}) SELECT ${cols.join(', ')} FROM ${dedup}`);
  return {
    staged,
    inserted: c.ins,
    updated: c.upd,
    unchanged: c.n - c.ins - c.upd,
    duplicateKeys: staged - c.n,
  };
}
