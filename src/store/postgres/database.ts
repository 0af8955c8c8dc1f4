import type { LastLoad, LoadBatch } from '../port.js';
import { SqlDatabase } from '../sql/database.js';
import { PgBulkLoad } from './bulk-load.js';
import { PgConn } from './connection.js';
import { requireCurrentSchema } from './migrate.js';

/**
 * The store's analytic tables in PostgreSQL: the same metric SQL as DuckDB's (src/store/sql), loaded with COPY.
 * The schema is migrated by `levers db migrate`, never implicitly: many servers share one database, and its
 * operator decides when its schema changes.
 */
export class PgDatabase extends SqlDatabase {
  private constructor(readonly pg: PgConn) {
    super(pg);
  }

  static async open(url: string): Promise<PgDatabase> {
    const conn = await PgConn.connect(url);
    try {
      await requireCurrentSchema(conn);
      // The fact tables are temp tables, read a dozen times by a report: held in this session's memory (taken
      // as they grow, up to this) rather than 8 MB of it and the rest re-read from temp files. Scans of the
      // sessions' facts at a million sessions took 7–39% less in four paired timings. Settable only before the
      // session's first temp table.
      await conn.run(`SET temp_buffers = '256MB'`);
    } catch (e) {
      await conn.close();
      throw e;
    }
    return new PgDatabase(conn);
  }

  /** Loads begun and not yet committed or discarded: closing the database discards them. */
  private readonly loads = new Set<PgBulkLoad>();

  protected async startLoad(): Promise<LoadBatch> {
    const load = new PgBulkLoad(this.pg, (l) => this.loads.delete(l));
    this.loads.add(load);
    return load;
  }

  /** The fingerprint lives in levers_meta and is dropped before any change to the data (see dataChanging). */
  async lastLoad(): Promise<LastLoad | null> {
    const rows = await this.pg.all<{ value: string }>(
      `SELECT value FROM levers_meta WHERE key = 'last_load'`,
    );
    return rows[0] ? (JSON.parse(rows[0].value) as LastLoad) : null;
  }

  async noteLoad(load: LastLoad): Promise<void> {
    await this.pg.run(
      `INSERT INTO levers_meta VALUES ('last_load', $1) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
      [JSON.stringify(load)],
    );
  }

  protected override async dataChanging(): Promise<void> {
    await this.pg.run(`DELETE FROM levers_meta WHERE key = 'last_load'`);
  }

  close(): void {
    // A load its use case abandoned (it failed before committing) leaves no spool folder behind.
    for (const load of [...this.loads]) load.discard();
    // The port's close is synchronous; the connection ends in the background (a failure to say goodbye to a
    // server that is gone changes nothing).
    this.pg.close().catch(() => {});
  }
}
