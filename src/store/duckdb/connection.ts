import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance, type DuckDBConnection, type DuckDBValue } from '@duckdb/node-api';
import { LeversError } from '../../core/errors.js';
import { ident, type SqlConn, type SqlValue } from '../sql/conn.js';
import { DUCKDB } from '../sql/dialect.js';
import { migrationSql, SCHEMA_VERSION } from './schema.js';

/** One DuckDB database file and its connection; SQL values are always bound ($1), never spliced. */
export class DuckDb implements SqlConn {
  readonly dialect = DUCKDB;

  private constructor(
    private readonly instance: DuckDBInstance,
    readonly conn: DuckDBConnection,
  ) {}

  static async open(file: string): Promise<DuckDb> {
    try {
      mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
      const instance = await DuckDBInstance.create(file);
      // The database holds customers and orders: readable by its owner only (DuckDB creates it with the
      // umask).
      if (existsSync(file)) chmodSync(file, 0o600);
      const conn = await instance.connect();
      await conn.run(`SET TimeZone = 'UTC'`);
      for (const sql of migrationSql()) await conn.run(sql);
      await conn.run(`INSERT OR REPLACE INTO levers_meta VALUES ('schema_version', $1)`, [
        String(SCHEMA_VERSION),
      ]);
      return new DuckDb(instance, conn);
    } catch (e) {
      // A lock held by another process is said without its path or process id (this message may reach HTTP
      // clients).
      if (/lock/i.test((e as Error).message)) {
        throw new LeversError(
          'STORE_BUSY',
          {
            detail:
              'another Levers process has the store open (an ingest, a report); try again when it is done',
          },
          { cause: e },
        );
      }
      throw new LeversError(
        'STORE_ERROR',
        { detail: `cannot open the store database: ${(e as Error).message}` },
        { cause: e },
      );
    }
  }

  /** An in-memory database, for reading files (Parquet) without a store. */
  static async memory(): Promise<DuckDb> {
    const instance = await DuckDBInstance.create(':memory:');
    return new DuckDb(instance, await instance.connect());
  }

  async tempTable(name: string, select: string, params: SqlValue[] = []): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(name)} AS ${select}`, params);
  }

  async tempStrings(name: string, column: string, values: readonly string[]): Promise<void> {
    await this.conn.run(`CREATE OR REPLACE TEMP TABLE ${ident(name)} (${ident(column)} VARCHAR)`);
    const app = await this.conn.createAppender(name, 'main', 'temp');
    for (const v of values) {
      app.appendVarchar(v);
      app.endRow();
    }
    app.closeSync();
  }

  async tempNumbers(name: string, columns: Readonly<Record<string, readonly number[]>>): Promise<void> {
    const cols = Object.entries(columns);
    await this.conn.run(
      `CREATE OR REPLACE TEMP TABLE ${ident(name)} (${cols.map(([c]) => `${ident(c)} DOUBLE`).join(', ')})`,
    );
    const app = await this.conn.createAppender(name, 'main', 'temp');
    const rows = cols[0]?.[1].length ?? 0;
    for (let i = 0; i < rows; i++) {
      for (const [, values] of cols) app.appendDouble(values[i]!);
      app.endRow();
    }
    app.closeSync();
  }

  run(sql: string, params: DuckDBValue[] = []): Promise<unknown> {
    return this.conn.run(sql, params);
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

  /** Columns as arrays: millions of rows never become JavaScript objects. */
  async columns<T extends unknown[][]>(sql: string, params: DuckDBValue[] = []): Promise<T> {
    return (await this.conn.runAndReadAll(sql, params)).getColumnsJS() as T;
  }

  close(): void {
    this.conn.closeSync();
    this.instance.closeSync();
  }
}
