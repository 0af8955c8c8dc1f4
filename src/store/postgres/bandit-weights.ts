import { type BanditWeights, checkBanditWeights } from '../../core/experiments/bandit-snapshot.js';
import { LeversError } from '../../core/errors.js';
import type { StoreFolder } from '../folder.js';
import { versionOf, writeAtomically } from '../files/json-file.js';
import { PgConn } from './connection.js';
import { announce } from './follow.js';
import { requireCurrentSchema } from './migrate.js';

/** An experiment id as the configuration allows it, so it can name a folder. */
const ID = /^[a-z0-9][a-z0-9-]{0,62}$/;

/**
 * The bandits' weights, versioned per experiment in PostgreSQL so every server assigns by the same ones:
 * `levers experiment weights` publishes what it wrote to its folder, and each server pulls newer versions into
 * its own folder and reloads.
 */
export async function publishWeights(url: string, w: BanditWeights): Promise<void> {
  const db = await PgConn.connect(url);
  try {
    await requireCurrentSchema(db);
    await db.run('BEGIN');
    const r = (await db.run(
      'INSERT INTO bandit_weights (experiment, version, body) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING',
      [w.experiment, w.version, JSON.stringify(w, null, 2)],
    )) as { rowCount: number };
    if (r.rowCount !== 1) {
      await db.run('ROLLBACK');
      throw new LeversError('STORE_ERROR', {
        detail: `weights version ${w.version} of ${w.experiment} were published meanwhile by another machine; run again`,
      });
    }
    await announce(db, `weights ${w.experiment} ${w.version}`);
    await db.run('COMMIT');
  } finally {
    await db.close().catch(() => {});
  }
}

/**
 * Pulls each bandit's newest published weights into the folder where they are newer there; returns those pulled.
 * Weights this Levers cannot read (a newer format) are left in the database: the ones in force stay.
 */
export async function pullWeights(
  db: PgConn,
  folder: StoreFolder,
): Promise<{ experiment: string; version: number }[]> {
  const rows = await db.all<{ experiment: string; version: number; body: string }>(
    `SELECT DISTINCT ON (experiment) experiment, version, body FROM bandit_weights
     ORDER BY experiment, version DESC`,
  );
  const pulled: { experiment: string; version: number }[] = [];
  for (const r of rows) {
    if (!ID.test(r.experiment) || r.version <= versionOf(folder.currentBanditWeights(r.experiment))) continue;
    let raw: unknown;
    try {
      raw = JSON.parse(r.body);
    } catch {
      continue;
    }
    const c = checkBanditWeights(raw);
    if (!c.ok || c.value.experiment !== r.experiment || c.value.version !== r.version) continue;
    writeAtomically(folder.banditWeights(r.experiment, r.version), r.body);
    writeAtomically(folder.currentBanditWeights(r.experiment), r.body);
    pulled.push({ experiment: r.experiment, version: r.version });
  }
  return pulled;
}
