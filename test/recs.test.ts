import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliJson, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

test('mine a simulated store, then recommend from the snapshot alone', async () => {
  const store = tempDir();
  assert.equal(
    (await cli(['--store', store, 'simulate', '--seed', '4', '--days', '28', '--sessions-per-day', '3000']))
      .code,
    0,
  );
  const mine = await cliJson(['--store', store, 'mine', '--min-support', '0.005']);
  assert.equal(mine.code, 0);
  assert.equal(mine.json.version, 1);
  assert.ok(mine.json.bundles > 0 && mine.json.rules > 0);
  assert.equal(
    (await cliJson(['--store', store, 'mine', '--min-support', '0.005'])).json.version,
    2,
    'versioned snapshots',
  );
  const product = await cliJson([
    '--store',
    store,
    'recommend',
    '--cart',
    'cm-basic',
    '--page',
    'product',
    '--k',
    '6',
  ]);
  const ids = product.json.items.map((i: { id: string }) => i.id);
  assert.ok(['filters-100', 'beans-house'].includes(ids[0]), ids.join());
  for (const machine of ['esp-basic', 'esp-pro', 'pod-machine'])
    assert.ok(
      !product.json.items.some(
        (i: { id: string; kind: string }) => i.id === machine && i.kind === 'cross-sell',
      ),
    );
  assert.ok(
    product.json.items.some((i: { id: string; kind: string }) => i.id === 'cm-pro' && i.kind === 'upsell'),
  );
  const checkout = await cliJson([
    '--store',
    store,
    'recommend',
    '--cart',
    'cm-basic',
    '--page',
    'checkout',
    '--gap',
    '8',
  ]);
  assert.ok(checkout.json.items.length > 0);
  for (const it of checkout.json.items) assert.ok(it.kind === 'filler' && it.priceMinor >= 800);
  const thanks = await cliJson([
    '--store',
    store,
    'recommend',
    '--cart',
    'cm-pro',
    '--page',
    'thankyou',
    '--order-value',
    '120',
  ]);
  for (const it of thanks.json.items)
    assert.ok(it.priceMinor >= 1500 && it.priceMinor <= 3000, `${it.id} ${it.priceMinor}`);
  const odd = await cliJson(['--store', store, 'recommend', '--cart', 'NOPE,cm-basic']);
  assert.equal(odd.code, 0);
  assert.match(odd.json.notes[0], /unknown product NOPE/);
  const nobody = await cliJson(['--store', store, 'recommend', '--cart', 'cm-basic', '--customer', 'nobody']);
  assert.match(
    nobody.json.notes.join(' '),
    /customer nobody has no orders in the store: no habits or reorders/,
  );
  const regular = await cliJson([
    '--store',
    store,
    'recommend',
    '--customer',
    'c1',
    '--as-of',
    '2026-12-31',
    '--k',
    '20',
  ]);
  assert.ok(regular.json.items.length > 0);
  const text = await cli(['--store', store, 'recommend', '--cart', 'cm-basic']);
  assert.match(text.stdout, /cross-sell +Paper Filters \(100\)|cross-sell +House Blend/);
});

test('recommend and mine explain what is missing', async () => {
  const store = tempDir();
  const r = await cli(['--store', store, 'recommend', '--cart', 'x']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no recommendation model; mine one first \(levers mine\)/);
  const m = await cli(['--store', store, 'mine']);
  assert.equal(m.code, 1);
  assert.match(m.stderr, /no orders with product lines/);
  const bad = await cli(['--store', store, 'recommend', '--page', 'home']);
  assert.equal(bad.code, 2);
});

test('Online Retail: cart-aware recommendations beat popularity on hit@10 by far more than 30%', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  await cli([
    '--store',
    store,
    'ingest',
    'online-retail',
    join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz'),
  ]);
  const { code, json } = await cliJson(['--store', store, 'eval-recs', '--k', '10']);
  assert.equal(code, 0);
  const [levers, lift, popular] = json.results;
  assert.equal(levers.ranking, 'shrunk');
  assert.ok(levers.hitAtK >= 1.3 * popular.hitAtK, `${levers.hitAtK} vs popularity ${popular.hitAtK}`);
  assert.ok(levers.hitAtK > lift.hitAtK);
  assert.ok(levers.baskets > 3000);
});

test('Groceries baskets: mining and evaluation straight from the basket file', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  const file = join(SHARED_DATA, 'groceries', 'groceries_baskets.csv');
  const m = await cliJson([
    '--store',
    store,
    'mine',
    '--baskets',
    file,
    '--min-support',
    '0.001',
    '--min-confidence',
    '0.5',
    '--max-len',
    '3',
  ]);
  assert.equal(m.json.baskets, 9835);
  assert.equal(m.json.rules, 11 + 1461, 'rules of length 2 and 3 at 0.001 / 0.5');
  assert.equal(m.json.topRules[0].consequent, 'hamburger meat');
  const e = await cliJson(['--store', store, 'eval-recs', '--baskets', file, '--k', '10']);
  const [levers, lift, popular] = e.json.results;
  assert.ok(levers.hitAtK > popular.hitAtK && levers.hitAtK > lift.hitAtK);
});
