import { existsSync, readFileSync } from 'node:fs';
import type pg from 'pg';
import { LeversError } from '../../core/errors.js';
import type { StoreFolder } from '../folder.js';
import { writeAtomically } from '../files/json-file.js';
import { PgConn } from './connection.js';
import { pgLib } from './pg-lib.js';

/** The channel a new snapshot is announced on (its payload is the version). */
const CHANNEL = 'levers_snapshots';

/**
 * The recommendation model and its customer histories, versioned in PostgreSQL so every server of the store
 * serves the same one: `levers mine` publishes what it wrote to its folder, a server pulls a newer version into
 * its own folder (the files it serves from, as without a database) and reloads. The bodies are the files' text.
 */
function localVersion(folder: StoreFolder): number {
  if (!existsSync(folder.currentModel)) return 0;
  try {
    return Number(
      (JSON.parse(readFileSync(folder.currentModel, 'utf8')) as { version?: number }).version ?? 0,
    );
  } catch {
    return 0;
  }
}

/** Pulls the newest published version into the folder when it is newer there; returns it, or null. */
export async function pullSnapshot(url: string, folder: StoreFolder): Promise<number | null> {
  const db = await PgConn.connect(url);
  try {
    const rows = await db.all<{ kind: string; version: number; body: string }>(
      `SELECT kind, version, body FROM snapshots
       WHERE version = (SELECT max(version) FROM snapshots WHERE kind = 'recs')`,
    );
    const recs = rows.find((r) => r.kind === 'recs');
    if (!recs || recs.version <= localVersion(folder)) return null;
    const histories = rows.find((r) => r.kind === 'histories');
    // Histories first: a server reloading between the two writes must not pair a new model with old histories.
    if (histories) writeAtomically(folder.histories, histories.body);
    writeAtomically(folder.model(recs.version), recs.body);
    writeAtomically(folder.currentModel, recs.body);
    return recs.version;
  } finally {
    await db.close().catch(() => {});
  }
}

/** Publishes the folder's current model and histories, and announces them to every listening server. */
export async function publishSnapshot(url: string, folder: StoreFolder): Promise<number> {
  const version = localVersion(folder);
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
    await db.run(`SELECT pg_notify($1, $2)`, [CHANNEL, String(version)]);
    await db.run('COMMIT');
    return version;
  } finally {
    await db.close().catch(() => {});
  }
}

/**
 * Follows the published versions: LISTEN for announcements, and poll every `pollMs` as well (a notification is
 * lost while the connection is down). Each time a newer version was pulled into the folder, `onNew` runs.
 */
export function followSnapshots(
  url: string,
  folder: StoreFolder,
  onNew: (version: number) => void,
  pollMs = 5000,
): { close(): void } {
  let closed = false;
  let client: pg.Client | null = null;
  let busy = false;
  const check = async () => {
    if (busy || closed) return;
    busy = true;
    try {
      const v = await pullSnapshot(url, folder);
      if (v != null) onNew(v);
    } catch {
      // The database is away: the served model stays, the next poll tries again.
    } finally {
      busy = false;
    }
  };
  const listen = async () => {
    if (closed || client) return;
    const c = new (pgLib().Client)({ connectionString: url, application_name: 'levers serve (snapshots)' });
    c.on('error', () => {
      client = null;
    });
    c.on('notification', () => void check());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
    } catch {
      await c.end().catch(() => {});
    }
  };
  void listen();
  const timer = setInterval(() => {
    void listen();
    void check();
  }, pollMs);
  timer.unref();
  return {
    close() {
      closed = true;
      clearInterval(timer);
      void client?.end().catch(() => {});
    },
  };
}
