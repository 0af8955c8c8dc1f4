import { LeversError } from '../core/errors.js';
import { isPostgresUrl } from '../store/postgres/url.js';

let databaseOption: string | undefined;

/** The global --database, recorded once before a command runs (see main.ts). */
export function useDatabaseOption(url: string | undefined): void {
  databaseOption = url;
}

/** --database URL, else LEVERS_DATABASE; undefined for the embedded DuckDB in the store folder. */
export function databaseUrl(): string | undefined {
  const url = databaseOption || process.env.LEVERS_DATABASE || undefined;
  if (url && !isPostgresUrl(url)) {
    throw new LeversError('INVALID_OPTION', {
      option: 'database',
      detail: 'is a PostgreSQL URL, postgres://user@host:5432/db',
    });
  }
  return url;
}
