import { LeversError } from '../../core/errors.js';
import type { StoreFolder } from '../folder.js';
import type { PublishedOffers } from '../port.js';
import { readJson, versionOf, writeAtomically } from '../files/json-file.js';
import { PgConn } from './connection.js';
import { announce } from './follow.js';
import { requireCurrentSchema } from './migrate.js';

/**
 * The offer configuration, versioned in PostgreSQL so every server of the store serves the same one:
 * `levers config publish` adds the offers section of a checked configuration file as the next version, and each
 * server pulls a newer one into its own folder and reloads. The keys, origins and limits of the file are not
 * published: they stay in each machine's file (secrets never rest in the database).
 */

/**
 * Publishes an offers section as the next version and announces it; the same text as the newest version
 * publishes nothing (`unchanged`), so publishing on every deploy is harmless.
 */
export async function publishOffers(
  url: string,
  offers: unknown,
): Promise<{ version: number; unchanged: boolean }> {
  const body = JSON.stringify(offers ?? {});
  const db = await PgConn.connect(url);
  try {
    await requireCurrentSchema(db);
    await db.run('BEGIN');
    try {
      // Two publications at once take turns: each version number once, in the order they committed.
      await db.run('LOCK TABLE offer_configs IN SHARE ROW EXCLUSIVE MODE');
      const last = (
        await db.all<{ version: number; body: string }>(
          'SELECT version, body FROM offer_configs ORDER BY version DESC LIMIT 1',
        )
      )[0];
      if (last && last.body === body) {
        await db.run('ROLLBACK');
        return { version: last.version, unchanged: true };
      }
      const version = (last?.version ?? 0) + 1;
      await db.run('INSERT INTO offer_configs (version, body) VALUES ($1, $2)', [version, body]);
      await announce(db, `offers ${version}`);
      await db.run('COMMIT');
      return { version, unchanged: false };
    } catch (e) {
      await db.run('ROLLBACK').catch(() => {});
      throw e;
    }
  } finally {
    await db.close().catch(() => {});
  }
}

/** Pulls the newest published offer configuration into the folder when it is newer there; its version, or null. */
export async function pullOffers(db: PgConn, folder: StoreFolder): Promise<number | null> {
  const row = (
    await db.all<{ version: number; body: string; at: string }>(
      `SELECT version, body, to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS at
       FROM offer_configs ORDER BY version DESC LIMIT 1`,
    )
  )[0];
  if (!row || row.version <= versionOf(folder.publishedOffers)) return null;
  const published: PublishedOffers = {
    version: row.version,
    publishedAt: row.at,
    offers: JSON.parse(row.body),
  };
  writeAtomically(folder.publishedOffers, `${JSON.stringify(published, null, 2)}\n`);
  return row.version;
}

/** The offer configuration last pulled into the folder, or null when none was ever published. */
export function readPublishedOffers(folder: StoreFolder): PublishedOffers | null {
  let raw: unknown;
  try {
    raw = readJson(folder.publishedOffers);
  } catch (e) {
    throw new LeversError('CONFIG_INVALID', {
      path: folder.publishedOffers,
      problem: `cannot be read as JSON (${(e as Error).message})`,
    });
  }
  if (raw === undefined) return null;
  const p = raw as Partial<PublishedOffers>;
  if (typeof p.version !== 'number' || typeof p.publishedAt !== 'string')
    throw new LeversError('CONFIG_INVALID', {
      path: folder.publishedOffers,
      problem: 'is not an offer configuration pulled from the database (version, publishedAt, offers)',
    });
  return { version: p.version, publishedAt: p.publishedAt, offers: p.offers ?? {} };
}
