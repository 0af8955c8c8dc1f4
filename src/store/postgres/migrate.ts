import { LeversError } from '../../core/errors.js';
import type { PgConn } from './connection.js';
import { LATEST_VERSION, MIGRATIONS } from './schema.js';

/** One number for every Levers process: two servers migrating at once take turns. */
const MIGRATION_LOCK = 7_415_001;

const SCHEMA_TABLE = `CREATE TABLE IF NOT EXISTS levers_schema (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL,
  applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`;

/** The schema version of the database: 0 for one Levers never migrated. */
export async function schemaVersion(db: PgConn): Promise<number> {
  const exists = await db.one<{ t: string | null }>(`SELECT to_regclass('levers_schema')::VARCHAR AS t`);
  if (exists.t == null) return 0;
  return (await db.one<{ v: number }>(`SELECT coalesce(max(version), 0)::INTEGER AS v FROM levers_schema`)).v;
}

export interface MigrateResult {
  from: number;
  to: number;
  applied: { version: number; name: string }[];
}

/**
 * Brings the schema to the latest version this Levers knows, each migration in its own transaction with its
 * version row, under an advisory lock: running it again changes nothing, and a database newer than this Levers is
 * refused untouched (an older binary must not write to a schema it does not know).
 */
export async function migrate(db: PgConn): Promise<MigrateResult> {
  await db.run(`SELECT pg_advisory_lock($1)`, [MIGRATION_LOCK]);
  try {
    const from = await schemaVersion(db);
    refuseNewer(from);
    const applied: MigrateResult['applied'] = [];
    for (const m of MIGRATIONS.filter((m) => m.version > from)) {
      await db.run('BEGIN');
      try {
        await db.run(SCHEMA_TABLE);
        for (const sql of m.statements) await db.run(sql);
        await db.run(`INSERT INTO levers_schema (version, name) VALUES ($1, $2)`, [m.version, m.name]);
        await db.run('COMMIT');
      } catch (e) {
        await db.run('ROLLBACK');
        throw e;
      }
      applied.push({ version: m.version, name: m.name });
    }
    return { from, to: Math.max(from, LATEST_VERSION), applied };
  } finally {
    await db.run(`SELECT pg_advisory_unlock($1)`, [MIGRATION_LOCK]);
  }
}

function refuseNewer(version: number): void {
  if (version > LATEST_VERSION) {
    throw new LeversError('DB_SCHEMA_NEWER', { version, known: LATEST_VERSION });
  }
}

/** Before a use case reads or writes: the schema must be exactly the one this Levers knows. */
export async function requireCurrentSchema(db: PgConn): Promise<void> {
  const v = await schemaVersion(db);
  refuseNewer(v);
  if (v < LATEST_VERSION) throw new LeversError('DB_NOT_MIGRATED', { version: v, latest: LATEST_VERSION });
}
