import { ident } from '../sql/conn.js';
import { STATE_TABLE_SQL } from '../sql/rollups.js';
import { TABLES, TABLE_NAMES, type ColumnSpec, type TableName } from '../../core/model/tables.js';

export const SCHEMA_VERSION = 1;

export function sqlType(col: ColumnSpec): string {
  switch (col.kind) {
    case 'int':
      return 'INTEGER';
    case 'money':
      // Three decimals hold every ISO 4217 currency exactly (KWD, BHD have three).
      return 'DECIMAL(18,3)';
    case 'time':
      return 'TIMESTAMP';
    default:
      return 'VARCHAR';
  }
}

export { ident } from '../sql/conn.js';

export function createTableSql(table: TableName, as = table, temp = false): string {
  const cols = TABLES[table].columns.map((c) => `${ident(c.name)} ${sqlType(c)}`).join(', ');
  return `CREATE ${temp ? 'TEMP ' : ''}TABLE IF NOT EXISTS ${ident(as)} (${cols})`;
}

export function migrationSql(): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS levers_meta (key VARCHAR PRIMARY KEY, value VARCHAR)`,
    ...TABLE_NAMES.map((t) => createTableSql(t)),
    // Stores made by an earlier version gain the columns added since.
    ...TABLE_NAMES.flatMap((t) =>
      TABLES[t].columns.map(
        (c) => `ALTER TABLE ${ident(t)} ADD COLUMN IF NOT EXISTS ${ident(c.name)} ${sqlType(c)}`,
      ),
    ),
    // Whether the stored facts and rollups are current (src/store/sql/rollups.ts); none yet: built on first use.
    STATE_TABLE_SQL,
    `CREATE TABLE IF NOT EXISTS ingest_runs (run_id VARCHAR, started_at TIMESTAMP, format VARCHAR,
       files VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_skipped BIGINT,
       rejects_file VARCHAR)`,
  ];
}
