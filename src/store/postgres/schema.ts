import { keyColumns, TABLES, TABLE_NAMES, type ColumnSpec, type TableName } from '../../core/model/tables.js';
import { STATE_TABLE_SQL } from '../sql/rollups.js';
import { ident } from '../sql/conn.js';

/** PostgreSQL types of the data model: money exact (NUMERIC), times UTC instants (timestamptz). */
export function pgType(col: ColumnSpec): string {
  switch (col.kind) {
    case 'int':
      return 'INTEGER';
    case 'money':
      // Three decimals hold every ISO 4217 currency exactly (KWD, BHD have three), as in DuckDB.
      return 'NUMERIC(18,3)';
    case 'time':
      return 'TIMESTAMPTZ';
    default:
      // Byte order, as DuckDB sorts: ids, segments and product orders must not depend on the server's locale
      // (recommendation indexes and report rows are ordered by them).
      return 'VARCHAR COLLATE "C"';
  }
}

function createTable(t: TableName): string {
  const cols = TABLES[t].columns.map((c) => `${ident(c.name)} ${pgType(c)}`);
  // The key is the primary key: its index serves the merge of each load, and a key is never stored twice.
  cols.push(`PRIMARY KEY (${keyColumns(t).map(ident).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${ident(t)} (${cols.join(', ')})`;
}

export interface Migration {
  version: number;
  name: string;
  statements: string[];
}

/**
 * The schema's versions, oldest first; a database at version v has run 1..v. A migration is never edited once
 * released: a change is a new one (ALTER TABLE … ADD COLUMN IF NOT EXISTS for a new column of the specs).
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'the data model (products, customers, sessions, events, orders, order_lines) and ingest runs',
    statements: [
      ...TABLE_NAMES.map(createTable),
      `CREATE INDEX IF NOT EXISTS orders_session ON orders (session_id)`,
      `CREATE INDEX IF NOT EXISTS events_session ON events (session_id)`,
      `CREATE TABLE IF NOT EXISTS ingest_runs (run_id VARCHAR, started_at TIMESTAMPTZ, format VARCHAR,
         files VARCHAR, rows_read BIGINT, rows_loaded BIGINT, rows_rejected BIGINT, rows_skipped BIGINT,
         rejects_file VARCHAR)`,
    ],
  },
  {
    version: 2,
    name: 'api_events: the events levers serve acknowledged, each idempotency key once',
    statements: [
      // seq orders the log for `ingest api-events`; the key is unique across every server of the store.
      `CREATE TABLE IF NOT EXISTS api_events (seq BIGSERIAL NOT NULL, idempotency_key VARCHAR COLLATE "C"
         PRIMARY KEY, received_at TIMESTAMPTZ NOT NULL DEFAULT now(), line TEXT NOT NULL)`,
      `CREATE INDEX IF NOT EXISTS api_events_seq ON api_events (seq)`,
    ],
  },
  {
    version: 3,
    name: 'rate_counts: requests per API key and minute, summed over every server',
    statements: [
      // Keys are stored hashed: a secret key never rests in the database.
      `CREATE TABLE IF NOT EXISTS rate_counts (window_start BIGINT NOT NULL, key_hash VARCHAR COLLATE "C" NOT NULL,
         n BIGINT NOT NULL, PRIMARY KEY (window_start, key_hash))`,
    ],
  },
  {
    version: 4,
    name: 'snapshots: the recommendation model and customer histories by version, for every server',
    statements: [
      `CREATE TABLE IF NOT EXISTS snapshots (kind VARCHAR COLLATE "C" NOT NULL, version INTEGER NOT NULL,
         body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (kind, version))`,
    ],
  },
  {
    version: 5,
    name: 'offer_configs, bandit_weights: the offer configuration and bandit weights by version, for every server',
    statements: [
      // The offers section of the server configuration as published (levers config publish), numbered 1, 2, …
      `CREATE TABLE IF NOT EXISTS offer_configs (version INTEGER PRIMARY KEY, body TEXT NOT NULL,
         created_at TIMESTAMPTZ NOT NULL DEFAULT now())`,
      // Each bandit's weights as levers experiment weights wrote them, numbered per experiment.
      `CREATE TABLE IF NOT EXISTS bandit_weights (experiment VARCHAR COLLATE "C" NOT NULL, version INTEGER NOT NULL,
         body TEXT NOT NULL, created_at TIMESTAMPTZ NOT NULL DEFAULT now(), PRIMARY KEY (experiment, version))`,
    ],
  },
  {
    version: 6,
    name: 'events.channel: where an offer event happened (web, chat, email)',
    statements: [`ALTER TABLE events ADD COLUMN IF NOT EXISTS channel VARCHAR COLLATE "C"`],
  },
  {
    version: 7,
    name: 'levers_rollups: whether the stored report facts and daily rollups are current (built on first use)',
    statements: [STATE_TABLE_SQL],
  },
  {
    version: 8,
    name: "levers_meta: the last load's fingerprint, so an unchanged re-load is recognised as on DuckDB",
    statements: [
      `CREATE TABLE IF NOT EXISTS levers_meta (key VARCHAR COLLATE "C" PRIMARY KEY, value TEXT NOT NULL)`,
    ],
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
