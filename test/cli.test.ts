import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cli, tempDir } from './helpers.js';

test('every command has --help', async () => {
  const top = await cli(['--help']);
  assert.equal(top.code, 0);
  for (const cmd of ['ingest', 'simulate', 'summary', 'demo']) {
    assert.match(top.stdout, new RegExp(`\\b${cmd}\\b`));
    const r = await cli([cmd, '--help']);
    assert.equal(r.code, 0, cmd);
    assert.match(r.stdout, new RegExp(`Usage: levers ${cmd}`));
  }
  assert.match((await cli(['ingest', '--help'])).stdout, /shopify-orders .*Shopify's orders export/);
});

test('usage errors exit 2 and say what to do', async () => {
  const unknownCmd = await cli(['frobnicate']);
  assert.equal(unknownCmd.code, 2);
  const store = tempDir();
  const fmt = await cli(['--store', store, 'ingest', 'shopify', 'x.csv']);
  assert.equal(fmt.code, 2);
  assert.match(
    fmt.stderr,
    /Unknown format "shopify". Known formats: products, customers, sessions, events, orders, order-lines, shopify-orders, online-retail, ga-sessions/,
  );
  const typo = await cli(['--store', store, 'ingest', 'onlineretail', 'x.csv']);
  assert.equal(typo.code, 2);
  assert.match(
    typo.stderr,
    /Unknown format "onlineretail" \(did you mean online-retail\?\)\. Known formats: /,
  );
  const flag = await cli(['--store', store, 'report', '--frob']);
  assert.equal(flag.code, 2);
  assert.match(
    flag.stderr,
    /unknown option '--frob' \(did you mean --from\?\); run levers report --help for usage \[USAGE\]/,
  );
  const scen = await cli(['--store', store, 'simulate', '--scenario', 'nope']);
  assert.equal(scen.code, 2);
  assert.match(
    scen.stderr,
    /Known scenarios: baseline, threshold-raise, mobile-shift, coupon-campaign, new-bundle/,
  );
  const days = await cli(['--store', store, 'simulate', '--days', '0']);
  assert.equal(days.code, 2);
  assert.match(days.stderr, /Invalid option --days: must be at least 1/);
});

test('a missing file fails with exit 1 and names it; --json carries the error code', async () => {
  const store = tempDir();
  const r = await cli(['--store', store, 'ingest', 'orders', '/no/such/orders.csv']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /File not found: \/no\/such\/orders.csv/);
  const j = await cli(['--store', store, 'ingest', 'orders', '/no/such/orders.csv', '--json']);
  assert.equal(JSON.parse(j.stdout).error.code, 'FILE_NOT_FOUND');
});

test('the store comes from --store, else LEVERS_STORE, else .levers', async () => {
  const cwd = tempDir();
  const env = tempDir();
  await cli(['simulate', '--days', '1', '--sessions-per-day', '50'], { cwd, env: { LEVERS_STORE: env } });
  const viaEnv = await cli(['summary', '--json'], { cwd, env: { LEVERS_STORE: env } });
  assert.equal(JSON.parse(viaEnv.stdout).summaries[0].levers.sessions > 0, true);
  const viaDefault = await cli(['summary', '--json'], { cwd });
  assert.deepEqual(JSON.parse(viaDefault.stdout).summaries, []);
  await cli(['simulate', '--days', '1', '--sessions-per-day', '50'], { cwd });
  const again = await cli(['simulate', '--days', '1', '--sessions-per-day', '50'], { cwd });
  assert.equal(again.code, 1);
  assert.match(again.stderr, /already holds data; pass --replace/);
  assert.equal(
    (await cli(['simulate', '--days', '1', '--sessions-per-day', '50', '--replace'], { cwd })).code,
    0,
  );
});
