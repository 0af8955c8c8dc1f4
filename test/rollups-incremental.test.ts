import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openStore } from '../src/store/open.js';
import { migrateDatabase } from '../src/store/postgres/admin.js';
import { withDatabase, type Database } from '../src/store/port.js';
import { markRollupsStale, refreshRollups, rollupsFresh, STATE_TABLE } from '../src/store/sql/rollups.js';
import { conn, loadSimulated, ROLLUP_TABLES, tableRows } from './rollups-fixture.js';
import { SKIP_NO_POSTGRES, startPostgres, type TestPostgres } from './postgres.js';

/** Every table a report reads after a load: the facts and their rollups. */
const TABLES = ['rf_sessions', 'rf_orders', ...ROLLUP_TABLES];

const snapshot = (db: Database) => tableRows(db, TABLES);

const load = (db: Database, seed: number, startDay: number, days: number, idPrefix: string) =>
  loadSimulated(db, { seed, startDay, days, idPrefix, sessionsPerDay: 120 });

/** The facts and rollups as loads left them equal those rebuilt whole from the same rows. */
async function assertAsRebuilt(db: Database, what: string): Promise<void> {
  assert.equal(await rollupsFresh(conn(db)), true, what);
  const incremental = await snapshot(db);
  await markRollupsStale(conn(db));
  await refreshRollups(conn(db));
  const whole = await snapshot(db);
  for (const t of TABLES) assert.deepEqual(incremental[t], whole[t], `${what}: ${t}`);
}

/** The version of the data results are cached for (cachedResult). */
const generation = async (db: Database) =>
  (await conn(db).one<{ value: string }>(`SELECT value FROM ${STATE_TABLE} WHERE key = 'generation'`)).value;

/** A result cached for the data as it is: how many times it was computed. */
let computed = 0;
const probe = (db: Database) =>
  db.cached('probe', {}, async () => {
    computed++;
    return computed;
  });

const firstOrders = async (db: Database) =>
  new Map(
    (
      await conn(db).all<{ customer_id: string; first: string }>(
        `SELECT customer_id, min(placed_at)::VARCHAR AS first FROM orders WHERE kind = 'sale' GROUP BY 1`,
      )
    ).map((r) => [r.customer_id, r.first]),
  );

/**
 * Loads in chunks: later days first, then earlier ones with other ids (out of order), then a chunk whose customers
 * already bought later (their first order moves earlier, so their later sessions and orders become returning ones)
 * and whose sessions rewrite stored ones, then that chunk again (nothing changes).
 */
async function chunks(db: Database): Promise<void> {
  await load(db, 1, 10, 5, 'a-');
  await load(db, 2, 0, 5, 'b-');
  await assertAsRebuilt(db, 'earlier days loaded after later ones');
  const before = await firstOrders(db);
  const cached = await probe(db);
  assert.equal(await probe(db), cached, 'read back, not computed');
  const old = await generation(db);
  await load(db, 3, 5, 3, 'a-');
  assert.notEqual(await generation(db), old, 'a load that changed the data sets a new generation');
  assert.equal(await probe(db), cached + 1, 'a load that changed the data drops the cached results');
  const now = await firstOrders(db);
  const moved = [...before].filter(([c, first]) => now.has(c) && now.get(c)! < first);
  assert.ok(moved.length > 0, 'some customer has an earlier first order than before');
  await assertAsRebuilt(db, 'returning customers given an earlier first order');
  const rebuilt = await generation(db);
  const kept = await probe(db);
  const again = await load(db, 3, 5, 3, 'a-');
  assert.equal(await generation(db), rebuilt, 'an unchanged re-load keeps the generation');
  assert.equal(await probe(db), kept, 'an unchanged re-load keeps the cached results');
  for (const t of ['sessions', 'orders', 'order_lines', 'events'] as const) {
    assert.equal(again[t]!.inserted + again[t]!.updated, 0, t);
  }
  await assertAsRebuilt(db, 'an unchanged re-load');
}

test('DuckDB: facts and rollups updated load by load equal them rebuilt whole', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-incremental-'));
  try {
    await withDatabase(openStore(dir), chunks);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

describe('PostgreSQL', { skip: SKIP_NO_POSTGRES }, () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.destroy());

  test('facts and rollups updated load by load equal them rebuilt whole', async () => {
    const url = await server.createDatabase('incremental');
    await migrateDatabase(url);
    const dir = mkdtempSync(join(tmpdir(), 'levers-incremental-'));
    try {
      await withDatabase(openStore(dir, url), chunks);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
