import type { LastLoad, LoadBatch } from '../port.js';
import { SqlDatabase } from '../sql/database.js';
import { BulkLoad } from './bulk-load.js';
import { DuckDb } from './connection.js';

/** The store's analytic tables in one DuckDB file (the embedded default), loaded through DuckDB appenders. */
export class DuckDbDatabase extends SqlDatabase {
  private constructor(readonly duck: DuckDb) {
    super(duck);
  }

  static async open(file: string): Promise<DuckDbDatabase> {
    return new DuckDbDatabase(await DuckDb.open(file));
  }

  protected startLoad(): Promise<LoadBatch> {
    return BulkLoad.begin(this.duck);
  }

  /** The fingerprint lives in levers_meta and is dropped before any change to the data (see dataChanging). */
  async lastLoad(): Promise<LastLoad | null> {
    const rows = await this.duck.all<{ value: string }>(
      `SELECT value FROM levers_meta WHERE key = 'last_load'`,
    );
    return rows[0] ? (JSON.parse(rows[0].value) as LastLoad) : null;
  }

  async noteLoad(load: LastLoad): Promise<void> {
    await this.duck.run(`INSERT OR REPLACE INTO levers_meta VALUES ('last_load', $1)`, [
      JSON.stringify(load),
    ]);
  }

  protected override async dataChanging(): Promise<void> {
    await this.duck.run(`DELETE FROM levers_meta WHERE key = 'last_load'`);
  }

  close(): void {
    this.duck.close();
  }
}
