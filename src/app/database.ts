import { LeversError } from '../core/errors.js';
import { databaseStatus, migrateDatabase } from '../store/postgres/admin.js';

/**
 * The shared database's schema, for its operator: `levers db migrate` and `levers db status`. Only PostgreSQL has
 * one to manage (the embedded DuckDB store migrates itself when opened, as one process owns it).
 */
function required(url: string | undefined): string {
  if (!url) {
    throw new LeversError('USAGE', {
      detail: 'give the database with --database postgres://… or LEVERS_DATABASE',
    });
  }
  return url;
}

export const migrate = (url: string | undefined) => migrateDatabase(required(url));
export const status = (url: string | undefined) => databaseStatus(required(url));
