import { existsSync, readFileSync } from 'node:fs';
import { LeversError } from '../../core/errors.js';
import type { StoreFolder } from '../folder.js';
import { versionOf, writeAtomically } from '../files/json-file.js';
import { PgConn } from './connection.js';
import { announce } from './follow.js';

/**
 * The recommendation model and its customer histories, versioned in PostgreSQL so every server of the store
 * serves the same one: `levers mine` publishes what it wrote to its folder, a server pulls a newer version into
 * its own folder (the files it serves from, as without a database) and reloads. The bodies are the files' text.
 */

/** Pulls the newest published model into the folder when it is newer there; returns its version, or null. */
export async function pullModel(db: PgConn, folder: StoreFolder): Promise<number | null> {
  const rows = await db.all<{ kind: string; version: number; body: string }>(
    `SELECT kind, version, body FROM snapshots
     WHERE version = (SELECT max(version) FROM snapshots WHERE kind = 'recs')`,
  );
  const recs = rows.find((r) => r.kind === 'recs');
  if (!recs || recs.version <= versionOf(folder.currentModel)) return null;
  const histories = rows.find((r) => r.kind === 'histories');
  // Histories first: a server reloading between the two writes must not pair a new model with old histories.
  if (histories) writeAtomically(folder.histories, histories.body);
  writeAtomically(folder.model(recs.version), recs.body);
  writeAtomically(folder.currentModel, recs.body);
  return recs.version;
}

/** Publishes the folder's current model and histories, and announces them to every listening server. */
export async function publishSnapshot(url: string, folder: StoreFolder): Promise<number> {
  const version = versionOf(folder.currentModel);
  const db = await PgConn.connect(url);
  try {
    await db.run('BEGIN');
    const bodies: [string, string][] = [['recs', readFileSync(folder.currentModel, 'utf8')]];
    if (existsSync(folder.histories)) bodies.push(['histories', readFileSync(folder.histories, 'utf8')]);
    for (const [kind, body] of bodies) {
      const r = (await db.run(
        `INSERT INTO snapshots (kind, version, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`,
        [kind, version, body],
      )) as { rowCount: number };
      if (r.rowCount !== 1) {
        await db.run('ROLLBACK');
        throw new LeversError('STORE_ERROR', {
          detail: `model version ${version} was published meanwhile by another machine; mine again`,
        });
      }
    }
    await announce(db, `model ${version}`);
    await db.run('COMMIT');
    return version;
  } finally {
    await db.close().catch(() => {});
  }
}
