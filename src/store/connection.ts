import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { LeversError } from '../core/errors.js';
import { migrationSql, SCHEMA_VERSION } from './schema.js';

export const DB_FILE = 'levers.duckdb';

/** A store is a folder: the DuckDB database plus rejects files and simulator truth. */
export class Store {
  private constructor(
    readonly dir: string,
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(dir: string): Promise<Store> {
    const abs = resolve(dir);
    try {
      mkdirSync(abs, { recursive: true });
      const instance = await DuckDBInstance.create(join(abs, DB_FILE));
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      for (const sql of migrationSql()) await conn.run(sql);
      await conn.run(`INSERT OR REPLACE INTO levers_meta VALUES ('schema_version', $1)`, [String(SCHEMA_VERSION)]);
      return new Store(abs, instance, conn);
    } catch (e) {
      throw new LeversError('STORE_ERROR', { detail: `cannot open store ${abs}: ${(e as Error).message}` }, { cause: e });
    }
  }

  path(...parts: string[]): string {
    return join(this.dir, ...parts);
  }

  async all<T = Record<string, unknown>>(sql: string, params: DuckDBValue[] = []): Promise<T[]> {
    const reader = await this.conn.runAndReadAll(sql, params);
    return reader.getRowObjectsJS() as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params: DuckDBValue[] = []): Promise<T> {
    const rows = await this.all<T>(sql, params);
    if (rows.length === 0) throw new LeversError('STORE_ERROR', { detail: 'query returned no row' });
    return rows[0] as T;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
