import type { TableName } from '../../core/model/tables.js';
import { ident, type SqlConn } from './conn.js';

/**
 * What a load's merge touched, kept for the incremental update of the facts and rollups (rollups.ts): for each fact
 * source, the columns the facts' dependencies follow, of the rows the load brings (old = false) and of the rows
 * they replace (old = true). Written by the merge (DuckDB's and PostgreSQL's) before it deletes the replaced rows,
 * inside the load's transaction; temp tables of the connection, emptied when a load begins.
 */
const TOUCHED: Partial<Record<TableName, string>> = {
  sessions: `session_id, user_agent, started_at, duration_s`,
  orders: `order_id, session_id, customer_id, placed_at, kind, status`,
  order_lines: `order_id`,
  events: `event_id, session_id, occurred_at, offer_id, type, channel`,
};

/**
 * The rows recorded of a source whose facts read only some (a the table's alias): of the events, the offer events
 * and checkouts, the only ones the event rollups read (rollups.ts EVENT_ROWS); a session whose other events change
 * keeps its rollup rows, and a load of new sessions records a few percent of its events instead of all of them.
 */
const RECORDED: Partial<Record<TableName, (a: string) => string>> = {
  events: (a) => rollupEvents(`${a}.`),
};

/** The events any rollup reads, offer events and checkouts (`a` prefixes the columns: an alias and a dot). */
export const rollupEvents = (a = ''): string => `(${a}offer_id IS NOT NULL OR ${a}type = 'begin_checkout')`;

/** The connections whose current load is to record what it touches (an incremental update follows it). */
export const recordingTouched = new WeakSet<SqlConn>();

export const touchedTable = (t: TableName): string => `rf_touched_${t}`;

/** Empty tables for those a load staged nothing into (an update reads them all). */
export async function ensureTouched(db: SqlConn): Promise<void> {
  for (const [t, cols] of Object.entries(TOUCHED) as [TableName, string][]) {
    await db.run(
      `CREATE TEMP TABLE IF NOT EXISTS ${touchedTable(t)} AS SELECT ${cols}, false AS old FROM ${ident(t)} LIMIT 0`,
    );
  }
}

/** Drops what an earlier load recorded: called before a load merges. */
export async function forgetTouched(db: SqlConn): Promise<void> {
  for (const t of Object.keys(TOUCHED) as TableName[])
    await db.run(`DROP TABLE IF EXISTS ${touchedTable(t)}`);
}

/**
 * The statements recording the staged rows of t (in `dedup`, joined to the stored ones by `on`, s the staged and t
 * the stored alias) and the stored rows they replace; none for a table the facts do not read. `stored` is where
 * the replaced rows are looked for: the table, a subquery narrowed to the keys the load brings, or null when the
 * caller knows none is stored (then no stored row is read).
 */
export function recordTouchedSql(
  t: TableName,
  dedup: string,
  on: string,
  stored: string | null = ident(t),
): string[] {
  const cols = TOUCHED[t];
  if (!cols) return [];
  const name = touchedTable(t);
  const list = cols.split(', ');
  const of = (a: string) => list.map((c) => `${a}.${ident(c)}`).join(', ');
  const rows = RECORDED[t];
  return [
    `CREATE TEMP TABLE IF NOT EXISTS ${name} AS SELECT ${cols}, false AS old FROM ${ident(t)} LIMIT 0`,
    `INSERT INTO ${name} SELECT ${of('s')}, false FROM ${dedup} s${rows ? ` WHERE ${rows('s')}` : ''}`,
    ...(stored === null
      ? []
      : [
          `INSERT INTO ${name} SELECT ${of('t')}, true FROM ${stored} t WHERE ${rows ? `${rows('t')} AND ` : ''}EXISTS (SELECT 1 FROM ${dedup} s WHERE ${on})`,
        ]),
  ];
}
