import type { Dialect } from './dialect.js';

/** A value bound to a SQL parameter ($1, $2…); values are never spliced into SQL text. */
export type SqlValue = string | number | boolean | null;

/**
 * One connection to the store's database, as the shared queries use it (DuckDB's or PostgreSQL's). Temp tables
 * live as long as the connection, so a Database holds one connection for its whole use case.
 */
export interface SqlConn {
  readonly dialect: Dialect;
  run(sql: string, params?: SqlValue[]): Promise<unknown>;
  all<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T[]>;
  one<T = Record<string, unknown>>(sql: string, params?: SqlValue[]): Promise<T>;
  /** Columns as arrays: millions of rows never become JavaScript objects. */
  columns<T extends unknown[][]>(sql: string, params?: SqlValue[]): Promise<T>;
  /** Creates (or replaces) a temp table from a query. */
  tempTable(name: string, select: string, params?: SqlValue[]): Promise<void>;
  /** Creates (or replaces) a temp table of one text column holding these values, loaded in bulk. */
  tempStrings(name: string, column: string, values: readonly string[]): Promise<void>;
  /** Creates (or replaces) a temp table of FLOAT8 columns (of one length) holding these values, loaded in bulk. */
  tempNumbers(name: string, columns: Readonly<Record<string, readonly number[]>>): Promise<void>;
}

/** Identifiers come from our own specs, never from input; quoting still guards reserved words. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}
