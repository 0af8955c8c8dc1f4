import { TABLE_NAMES } from '../../core/model/tables.js';
import { ident } from '../sql/conn.js';
import { PgConn } from './connection.js';
import { type MigrateResult, migrate, schemaVersion } from './migrate.js';
import { LATEST_VERSION, MIGRATIONS } from './schema.js';
import { redactUrl } from './url.js';

export interface DatabaseStatus {
  database: string;
  server: string;
  schemaVersion: number;
  knownVersion: number;
  state: 'current' | 'needs-migrate' | 'newer';
  migrations: { version: number; name: string; appliedAt: string | null }[];
  /** Rows per table, when the schema is there. */
  rows: Record<string, number> | null;
  /** The newest versions published for every server (null where the schema has no table for them yet). */
  published: { model: number | null; offers: number | null; weights: Record<string, number> };
}

/** The newest model, offer configuration and bandits' weights the database holds. */
async function newestPublished(c: PgConn, version: number): Promise<DatabaseStatus['published']> {
  const out: DatabaseStatus['published'] = { model: null, offers: null, weights: {} };
  if (version >= 4)
    out.model = (
      await c.one<{ v: number | null }>(`SELECT max(version) AS v FROM snapshots WHERE kind = 'recs'`)
    ).v;
  if (version >= 5) {
    out.offers = (await c.one<{ v: number | null }>('SELECT max(version) AS v FROM offer_configs')).v;
    const rows = await c.all<{ experiment: string; v: number }>(
      'SELECT experiment, max(version) AS v FROM bandit_weights GROUP BY 1 ORDER BY 1',
    );
    for (const r of rows) out.weights[r.experiment] = r.v;
  }
  return out;
}

async function withConn<T>(url: string, fn: (c: PgConn) => Promise<T>): Promise<T> {
  const c = await PgConn.connect(url);
  try {
    return await fn(c);
  } finally {
    await c.close().catch(() => {});
  }
}

export function migrateDatabase(url: string): Promise<MigrateResult & { database: string }> {
  return withConn(url, async (c) => ({ database: redactUrl(url), ...(await migrate(c)) }));
}

export function databaseStatus(url: string): Promise<DatabaseStatus> {
  return withConn(url, async (c) => {
    const version = await schemaVersion(c);
    const server = (await c.one<{ v: string }>(`SELECT current_setting('server_version') AS v`)).v;
    const applied = new Map<number, string>();
    if (version > 0) {
      const rows = await c.all<{ version: number; at: string }>(
        `SELECT version, to_char(applied_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at FROM levers_schema`,
      );
      for (const r of rows) applied.set(r.version, r.at);
    }
    let rows: Record<string, number> | null = null;
    if (version > 0) {
      rows = {};
      for (const t of TABLE_NAMES)
        rows[t] = (await c.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${ident(t)}`)).n;
    }
    return {
      database: redactUrl(url),
      server,
      schemaVersion: version,
      knownVersion: LATEST_VERSION,
      state: version > LATEST_VERSION ? 'newer' : version < LATEST_VERSION ? 'needs-migrate' : 'current',
      migrations: MIGRATIONS.map((m) => ({
        version: m.version,
        name: m.name,
        appliedAt: applied.get(m.version) ?? null,
      })),
      rows,
      published: await newestPublished(c, version),
    };
  });
}
