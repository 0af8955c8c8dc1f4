import assert from 'node:assert/strict';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { cli, cliJson, FIXTURES, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';
import { LATEST_VERSION as V } from '../src/store/postgres/schema.js';
import { figures, SKIP_NO_POSTGRES, startPostgres, type TestPostgres } from './postgres.js';
import { simProfitConfig } from './experiment-fixture.js';
import { assertClvCacheFollowsLoads, assertClvFromSql, simulatedClvStore } from './clv-fixture.js';
import { openStore } from '../src/store/open.js';
import { type Store, withDatabase } from '../src/store/port.js';

/** Runs the same command on a DuckDB store and on a PostgreSQL one; both must succeed. */
async function both(duck: string[], pgArgs: string[], args: string[]) {
  const [d, p] = await Promise.all([cliJson([...duck, ...args]), cliJson([...pgArgs, ...args])]);
  assert.equal(d.code, 0, `duckdb ${args.join(' ')}: ${d.stderr}`);
  assert.equal(p.code, 0, `postgres ${args.join(' ')}: ${p.stderr}`);
  return { duck: figures(d.json), pg: figures(p.json) };
}

describe('the PostgreSQL store', { skip: SKIP_NO_POSTGRES }, () => {
  let server: TestPostgres;
  before(async () => {
    server = await startPostgres();
  });
  after(() => server?.destroy());

  test('levers db migrate is versioned and idempotent; an unmigrated or newer schema is refused with its code', async () => {
    const url = await server.createDatabase('schema');
    const store = tempDir();
    const early = await cli(['--store', store, '--database', url, 'report']);
    assert.equal(early.code, 1);
    assert.match(
      early.stderr,
      new RegExp(`schema is at version 0 and this Levers needs ${V}; run levers db migrate`),
    );
    assert.match(early.stderr, /\[DB_NOT_MIGRATED\]/);

    const first = await cli(['db', 'migrate', '--database', url]);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, new RegExp(`schema version 0 → ${V}\n {2}applied 1: the data model`));
    const again = await cliJson(['db', 'migrate'], { env: { LEVERS_DATABASE: url } });
    assert.equal(again.code, 0);
    assert.deepEqual([again.json.from, again.json.to, again.json.applied], [V, V, []]);
    const status = await cliJson(['db', 'status', '--database', url]);
    assert.equal(status.code, 0);
    assert.equal(status.json.state, 'current');
    assert.equal(status.json.rows.orders, 0);
    assert.match(status.json.server, /^15\./);

    // Text sorts in byte order, as in DuckDB, though the cluster's collation is en-US (which sorts a, b, B, _z).
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    await c.query(`INSERT INTO products (product_id) VALUES ('b'), ('B'), ('a'), ('_z')`);
    const ids = await c.query(`SELECT product_id FROM products ORDER BY product_id`);
    assert.deepEqual(
      ids.rows.map((r) => r.product_id),
      ['B', '_z', 'a', 'b'],
    );
    await c.query(`DELETE FROM products`);
    // A newer Levers migrated this database: this one changes nothing and says so, in every command.
    await c.query(`INSERT INTO levers_schema (version, name) VALUES (99, 'from the future')`);
    await c.end();
    for (const args of [
      ['db', 'migrate'],
      ['db', 'status'],
      ['--store', store, 'report'],
    ]) {
      const r = await cli([...args, '--database', url]);
      assert.equal(r.code, 1, args.join(' '));
      assert.match(
        r.stderr,
        new RegExp(`schema is at version 99, newer than this Levers knows \\(${V}\\); nothing was changed`),
      );
      assert.match(r.stderr, /\[DB_SCHEMA_NEWER\]/);
    }
    const bad = await cli(['db', 'status', '--database', 'mysql://x'], { env: { LEVERS_DATABASE: '' } });
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--database: is a PostgreSQL URL/);
  });

  test('a simulated store on PostgreSQL reports, summarises and analyses its experiments exactly as on DuckDB', async () => {
    const url = await server.createDatabase('simulated');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    const duck = ['--store', tempDir()];
    const onPg = ['--store', tempDir(), '--database', url];
    const sim = ['simulate', '--seed', '5', '--days', '42', '--sessions-per-day', '900'];
    const loaded = await both(duck, onPg, [...sim, '--experiment-thresholds', '50,75']);
    assert.deepEqual(loaded.pg, loaded.duck);

    for (const args of [
      ['report'],
      ['report', '--period', 'week', '--segment', 'device'],
      ['clv'],
      ['summary'],
      ['experiment', 'show', 'holdout'],
      ['experiment', 'show', 'sim-threshold'],
    ]) {
      const r = await both(duck, onPg, args);
      assert.ok(JSON.stringify(r.duck).length > 500, args.join(' '));
      assert.deepEqual(r.pg, r.duck, args.join(' '));
    }
    // Profit per session as the primary metric: priced with a margin, it is the one float sum; still the same.
    const config = join(tempDir(), 'profit.config.json');
    writeFileSync(config, JSON.stringify(simProfitConfig()));
    const profit = await both(duck, onPg, ['experiment', 'show', 'sim-threshold', '--config', config]);
    assert.equal(profit.duck.analysis.primary, 'profit');
    assert.deepEqual(profit.pg, profit.duck);
    // Capped at a percentile: PostgreSQL's percentile_disc and DuckDB's quantile_disc pick the same unit.
    writeFileSync(config, JSON.stringify(simProfitConfig({ capping: { percentile: 0.99 } })));
    const capped = await both(duck, onPg, ['experiment', 'show', 'sim-threshold', '--config', config]);
    assert.ok(
      capped.duck.capping.units > 0 && capped.duck.capping.revenueAt > 0,
      JSON.stringify(capped.duck.capping),
    );
    assert.deepEqual(capped.pg, capped.duck);
  });

  test('CLV on PostgreSQL: the SQL summaries and the SQL-ranked top n are what the core computes from every purchase, as on DuckDB', async () => {
    const url = await server.createDatabase('clv');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    const onPg = openStore(tempDir(), url);
    const duck = openStore(tempDir());
    await simulatedClvStore(onPg);
    await simulatedClvStore(duck);
    await assertClvFromSql(onPg);
    const summaries = (s: Store) =>
      withDatabase(s, async (db) => {
        const { firstDay, lastDay } = await db.customerDayRange('USD');
        const cal = { calibrationEndDay: firstDay! + 30, holdoutEndDay: lastDay! };
        return [await db.clvSummaries('USD', cal), await db.clvCustomers('USD', cal)];
      });
    assert.deepEqual(await summaries(onPg), await summaries(duck));
  });

  test("CLV on PostgreSQL: the report's fit and top n are cached per version of the data; a load that changes it drops them", async () => {
    const url = await server.createDatabase('clvcache');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    const onPg = openStore(tempDir(), url);
    await simulatedClvStore(onPg);
    await assertClvCacheFollowsLoads(onPg);
  });

  test('ingest by COPY counts new, updated and unchanged rows as DuckDB does, and a second load changes nothing', async () => {
    const url = await server.createDatabase('shopify');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    const duck = ['--store', tempDir()];
    const onPg = ['--store', tempDir(), '--database', url];
    const file = join(FIXTURES, 'shopify', 'orders_export.csv');
    const first = await both(duck, onPg, ['ingest', 'shopify-orders', file]);
    assert.deepEqual(first.pg, first.duck);
    assert.ok(first.pg.tables.orders.inserted > 0);
    const second = await both(duck, onPg, ['ingest', 'shopify-orders', file]);
    assert.deepEqual(second.pg, second.duck);
    // Recognised as unchanged on either store (the run id it names differs by nature, so figures() leaves it out).
    const third = await cliJson([...onPg, 'ingest', 'shopify-orders', file]);
    assert.match(String(third.json.unchangedSince), /^\d{8}T\d{6}/);
    assert.equal(second.pg.tables.orders.inserted, 0);
    assert.equal(second.pg.tables.orders.unchanged, first.pg.tables.orders.inserted);
    const report = await both(duck, onPg, ['report', '--period', 'month']);
    assert.deepEqual(report.pg, report.duck);
  });

  test('a load that fails midway keeps nothing: no rows in the database, no spool folder on disk', async () => {
    const url = await server.createDatabase('failed');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    // A temp folder of its own, so what the load leaves there is its alone to see.
    const tmp = tempDir();
    const good = join(FIXTURES, 'shopify', 'orders_export.csv');
    const bad = join(FIXTURES, 'shopify', 'orders_export_missing_columns.csv');
    const r = await cli(['--store', tempDir(), '--database', url, 'ingest', 'shopify-orders', good, bad], {
      env: { TMPDIR: tmp },
    });
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /INGEST_MISSING_COLUMN/);
    assert.deepEqual(readdirSync(tmp), []);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    try {
      assert.equal((await c.query('SELECT count(*)::INTEGER AS n FROM orders')).rows[0].n, 0);
    } finally {
      await c.end();
    }
  });

  test('UCI Online Retail (541,909 lines, GBP) reports to the penny on PostgreSQL as on DuckDB', {
    skip: SKIP_NO_DATA,
  }, async () => {
    const url = await server.createDatabase('retail');
    assert.equal((await cli(['db', 'migrate', '--database', url])).code, 0);
    const duck = ['--store', tempDir()];
    const onPg = ['--store', tempDir(), '--database', url];
    const file = join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz');
    const loaded = await both(duck, onPg, ['ingest', 'online-retail', file]);
    assert.deepEqual(loaded.pg, loaded.duck);
    const r = await both(duck, onPg, ['report']);
    assert.equal(r.duck.currency, 'GBP');
    assert.deepEqual(r.pg, r.duck);
  });
});
