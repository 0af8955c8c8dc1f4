import type pg from 'pg';
import { LeversError } from '../../core/errors.js';
import { ident, type SqlConn, type SqlValue } from '../sql/conn.js';
import { POSTGRES } from '../sql/dialect.js';
import { redactUrl } from './url.js';
import { pgLib } from './pg-lib.js';

// DATE as its 'YYYY-MM-DD' text, as DuckDB's queries read it (node-postgres would make a local-time Date of it).
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    oid === 1082
      ? (v: string) => v
      : pgLib().types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
};

/**
 * One PostgreSQL connection (node-postgres), as the shared queries use it. One client, not a pool: the fact
 * tables are temp tables, which live in one session. Its time zone is UTC, so timestamptz columns truncate to
 * UTC days, weeks and months, as DuckDB's TIMESTAMP columns do.
 */
export class PgConn implements SqlConn {
  readonly dialect = POSTGRES;

  /** The last statement queued: one client runs one statement at a time, in the order asked. */
  private tail: Promise<unknown> = Promise.resolve();

  private constructor(readonly client: pg.Client) {}

  /**
   * Runs statements alone on the client, after those asked before: use cases ask for several facts at once
   * (Promise.all), and node-postgres no longer queues overlapping queries itself.
   */
  exclusive<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
    const run = this.tail.then(
      () => fn(this.client),
      () => fn(this.client),
    );
    this.tail = run.catch(() => {});
    return run;
  }

  static async connect(url: string): Promise<PgConn> {
    const client = new (pgLib().Client)({ connectionString: url, types, application_name: 'levers' });
    // A connection that fails later (the server restarted) must not crash the process: the next query fails.
    client.on('error', () => {});
    try {
      await client.connect();
      await client.query(`SET TimeZone = 'UTC'`);
      // JIT compiles each costly query's expressions, which costs more than it saves on a store's tables
      // (measured: the report 7% faster without, in three alternating runs).
      await client.query(`SET jit = off`);
    } catch (e) {
      await client.end().catch(() => {});
      throw new LeversError(
        'DB_UNREACHABLE',
        { url: redactUrl(url), detail: (e as Error).message || String(e) },
        { cause: e },
      );
    }
    return new PgConn(client);
  }

  run(sql: string, params: SqlValue[] = []): Promise<unknown> {
    return this.exclusive((c) => c.query(sql, params));
  }

  async all<T = Record<string, unknown>>(sql: string, params: SqlValue[] = []): Promise<T[]> {
    return (await this.exclusive((c) => c.query(sql, params))).rows as T[];
  }

  async one<T = Record<string, unknown>>(sql: string, params: SqlValue[] = []): Promise<T> {
    const rows = await this.all<T>(sql, params);
    if (rows.length === 0) throw new LeversError('STORE_ERROR', { detail: 'query returned no row' });
    return rows[0] as T;
  }

  async columns<T extends unknown[][]>(sql: string, params: SqlValue[] = []): Promise<T> {
    const r = await this.exclusive((c) => c.query({ text: sql, values: params, rowMode: 'array' }));
    const cols: unknown[][] = r.fields.map(() => []);
    for (const row of r.rows as unknown[][]) for (let i = 0; i < cols.length; i++) cols[i]!.push(row[i]);
    return cols as T;
  }

  async tempTable(name: string, select: string, params: SqlValue[] = []): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${ident(name)}`);
    await this.client.query(`CREATE TEMP TABLE ${ident(name)} AS ${select}`, params);
    // Autovacuum never analyzes temp tables: without statistics the planner guesses their joins badly.
    await this.client.query(`ANALYZE ${ident(name)}`);
  }

  async tempStrings(name: string, column: string, values: readonly string[]): Promise<void> {
    await this.client.query(`DROP TABLE IF EXISTS ${ident(name)}`);
    await this.client.query(`CREATE TEMP TABLE ${ident(name)} (${ident(column)} VARCHAR)`);
    await this.client.query(`INSERT INTO ${ident(name)} SELECT unnest($1::VARCHAR[])`, [
      values as string[],
    ] as never);
  }

  async tempNumbers(name: string, columns: Readonly<Record<string, readonly number[]>>): Promise<void> {
    const cols = Object.entries(columns);
    await this.client.query(`DROP TABLE IF EXISTS ${ident(name)}`);
    await this.client.query(
      `CREATE TEMP TABLE ${ident(name)} (${cols.map(([c]) => `${ident(c)} FLOAT8`).join(', ')})`,
    );
    await this.client.query(
      `INSERT INTO ${ident(name)} SELECT * FROM unnest(${cols.map((_, i) => `$${i + 1}::FLOAT8[]`).join(', ')})`,
      cols.map(([, values]) => values as number[]) as never,
    );
    await this.client.query(`ANALYZE ${ident(name)}`);
  }

  close(): Promise<void> {
    return this.exclusive((c) => c.end());
  }
}
