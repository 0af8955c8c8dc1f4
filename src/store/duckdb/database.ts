import type { LoadBatch } from '../port.js';
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

  close(): void {
    this.duck.close();
  }
}
