import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, cli, FIXTURES, query, tempDir } from './helpers.js';

const F = join(FIXTURES, 'shopify');

test(
  'a real-shaped Shopify export loads: BOM, quoted newlines, offsets to UTC, currencies, refunds, ' +
    'cancellations',
  async () => {
    const store = tempDir();
    const r = await cliJson(['--store', store, 'ingest', 'shopify-orders', join(F, 'orders_export.csv')]);
    assert.equal(r.code, 0);
    assert.deepEqual(r.json.rows, { read: 9, loaded: 9, rejected: 0, skipped: 0 });
    const orders = await query(
      store,
      `SELECT order_id, placed_at::VARCHAR AS at, currency, gross_merchandise::VARCHAR AS gross,
    discount::VARCHAR AS discount, shipping::VARCHAR AS shipping, tax::VARCHAR AS tax, refunded::VARCHAR AS
      refunded, status,
    customer_id IS NULL AS anon, country, discount_code FROM orders ORDER BY order_id`,
    );
    assert.deepEqual(
      orders.map((o) => [
        o.order_id,
        o.at,
        o.currency,
        o.gross,
        o.discount,
        o.shipping,
        o.tax,
        o.refunded,
        o.status,
        o.anon,
      ]),
      [
        [
          '#1001',
          '2024-01-15 15:31:07',
          'USD',
          '116.000',
          '0.000',
          '0.000',
          '9.280',
          '0.000',
          'fulfilled',
          false,
        ],
        [
          '#1002',
          '2024-01-16 07:59:59',
          'USD',
          '45.000',
          '4.500',
          '6.950',
          '3.240',
          '0.000',
          'fulfilled',
          false,
        ],
        [
          '#1003',
          '2024-02-01 07:00:00',
          'USD',
          '60.000',
          '0.000',
          '0.000',
          '0.000',
          '30.000',
          'partially_refunded',
          false,
        ],
        // Refunded Amount 118.88 includes tax: only the merchandise (99.90) is netted from revenue.
        [
          '#1004',
          '2024-02-03 11:00:00',
          'EUR',
          '99.900',
          '0.000',
          '0.000',
          '18.980',
          '99.900',
          'refunded',
          false,
        ],
        [
          '#1005',
          '2024-02-04 14:15:00',
          'USD',
          '12.000',
          '0.000',
          '6.950',
          '0.000',
          '0.000',
          'cancelled',
          false,
        ],
        [
          '#1006',
          '2024-02-05 09:00:00',
          'JPY',
          '3500.000',
          '0.000',
          '500.000',
          '350.000',
          '0.000',
          'fulfilled',
          true,
        ],
        [
          '#1007',
          '2024-02-06 19:00:00',
          'USD',
          '1250.000',
          '0.000',
          '0.000',
          '0.000',
          '0.000',
          'fulfilled',
          false,
        ],
      ],
    );
    assert.equal(orders[1]!.discount_code, 'WELCOME10');
    // The same e-mail in another case is the same customer; no address is stored.
    const cust = await query(
      store,
      `SELECT customer_id, count(*)::INTEGER AS n FROM orders WHERE customer_id IS NOT NULL GROUP BY 1 ` +
        `ORDER ` +
        `BY n DESC`,
    );
    assert.equal(cust[0]!.n, 2);
    assert.doesNotMatch(JSON.stringify(await query(store, 'SELECT * FROM customers')), /@/);
    const lines = await query(
      store,
      `SELECT order_id, line_no, product_id, quantity, unit_price::VARCHAR AS p FROM order_lines ORDER BY ` +
        `1, 2`,
    );
    assert.equal(lines.length, 9);
    assert.deepEqual(
      lines.slice(0, 3).map((l) => [l.product_id, l.quantity, l.p]),
      [
        ['CM-PRO', 1, '89.000'],
        ['FILTERS-100', 2, '4.500'],
        ['BEANS-HOUSE', 1, '18.000'],
      ],
    );
    assert.equal(lines.find((l) => l.order_id === '#1007')!.product_id, 'title:Espresso Machine Pro');
    // Loading again changes nothing.
    const again = await cliJson(['--store', store, 'ingest', 'shopify-orders', join(F, 'orders_export.csv')]);
    assert.deepEqual(again.json.tables.orders, {
      staged: 7,
      inserted: 0,
      updated: 0,
      unchanged: 7,
      duplicateKeys: 0,
    });
  },
);

test('broken rows are rejected with line and field, the rest loads, and the counts reconcile', async () => {
  const store = tempDir();
  const r = await cliJson([
    '--store',
    store,
    'ingest',
    'shopify-orders',
    join(F, 'orders_export_broken.csv'),
  ]);
  assert.equal(r.code, 3, 'exit 3: loaded with rejects');
  assert.deepEqual(r.json.rows, { read: 9, loaded: 4, rejected: 5, skipped: 0 });
  assert.deepEqual(r.json.rejectedByReason, {
    'another row of the same order is invalid': 2,
    'Lineitem quantity is not a whole number': 1,
    'Created at is not a date-time (e.g. 2024-01-15 10:31:07 -0500)': 1,
    'Lineitem price is not a decimal amount': 1,
  });
  const rejects = readFileSync(r.json.rejectsFile, 'utf8').trim().split('\n');
  assert.equal(rejects.length, 6);
  assert.match(rejects[3]!, /orders_export_broken\.csv,5,Lineitem quantity,is not a whole number,two,/);
  assert.match(rejects[4]!, /,6,Created at,is not a date-time .*,2024-13-45 10:00:00 -0500,/);
  assert.match(rejects[5]!, /,8,Lineitem price,is not a decimal amount,"99,90 EUR",/);
  const loaded = await query(store, 'SELECT order_id FROM orders ORDER BY 1');
  assert.deepEqual(
    loaded.map((o) => o.order_id),
    ['#1003', '#1005', '#1006', '#1007'],
  );
});

test('a missing column is named with the columns found; nothing loads', async () => {
  const store = tempDir();
  const r = await cli([
    '--store',
    store,
    'ingest',
    'shopify-orders',
    join(F, 'orders_export_missing_columns.csv'),
  ]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /missing required column\(s\) Created at, Lineitem price\. Columns found: Name, Email, Financial Status/,
  );
  assert.deepEqual(await query(store, 'SELECT count(*)::INTEGER AS n FROM orders'), [{ n: 0 }]);
});

test('a truncated export keeps every complete order and rejects the cut row', async () => {
  const store = tempDir();
  const r = await cliJson([
    '--store',
    store,
    'ingest',
    'shopify-orders',
    join(F, 'orders_export_truncated.csv'),
  ]);
  assert.equal(r.code, 3);
  assert.deepEqual(r.json.rows, { read: 9, loaded: 8, rejected: 1, skipped: 0 });
  assert.match(Object.keys(r.json.rejectedByReason)[0]!, /fewer field\(s\) than the header/);
});

test('a Windows-1252 file is refused with the fix, and loads with --encoding', async () => {
  const store = tempDir();
  const r = await cli(['--store', store, 'ingest', 'shopify-orders', join(F, 'orders_export_cp1252.csv')]);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /not valid UTF-8 \(byte \d+, line 2\).*--encoding windows-1252/);
  const ok = await cliJson([
    '--store',
    store,
    'ingest',
    'shopify-orders',
    '--encoding',
    'windows-1252',
    join(F, 'orders_export_cp1252.csv'),
  ]);
  assert.equal(ok.code, 0);
  assert.equal(ok.json.rows.loaded, 9);
});
