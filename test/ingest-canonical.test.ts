import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { cli, cliJson, query, tempDir } from './helpers.js';

const ORDERS_CSV = [
  'Order ID,placed_at,currency,gross_merchandise,discount,customer_id,status',
  'A1,2024-03-01 10:00:00 +0100,EUR,100.00,10.00,c1,paid',
  'A2,2024-03-02T12:00:00Z,,50.5,,c2,fulfilled',
  'A3,not a date,USD,10,,c3,paid',
  'A4,2024-03-03,USD,ten,,c3,paid',
  'A5,2024-03-04,USD,10,,c3,shipped',
  ',2024-03-04,USD,10,,c3,paid',
  'A6,2024-03-05,USD,12.00,1.00,c1,refunded,extra',
].join('\n');

test('canonical CSV: header names are forgiving, bad rows rejected by field, good rows load', async () => {
  const dir = tempDir();
  const store = join(dir, 'store');
  writeFileSync(join(dir, 'orders.csv'), ORDERS_CSV);
  const r = await cliJson(['--store', store, 'ingest', 'orders', join(dir, 'orders.csv')]);
  assert.equal(r.code, 3);
  assert.deepEqual(r.json.rows, { read: 7, loaded: 2, rejected: 5, skipped: 0 });
  assert.deepEqual(r.json.rejectedByReason, {
    'placed_at is not a date-time (e.g. 2024-01-15 10:31:07 -0500)': 1,
    'gross_merchandise is not a decimal amount': 1,
    'status is not one of pending, paid, fulfilled, partially_refunded, refunded, cancelled': 1,
    'order_id is required': 1,
    'row has 1 more field(s) than the header': 1,
  });
  const rows = await query(
    store,
    `SELECT order_id, currency, gross_merchandise::VARCHAR AS g, placed_at::VARCHAR AS at FROM orders ` +
      `ORDER BY 1`,
  );
  assert.deepEqual(rows, [
    { order_id: 'A1', currency: 'EUR', g: '100.000', at: '2024-03-01 09:00:00' },
    { order_id: 'A2', currency: 'USD', g: '50.500', at: '2024-03-02 12:00:00' },
  ]);
});

test('JSON lines, gzipped, with a broken line; events get stable ids so a reload adds nothing', async () => {
  const dir = tempDir();
  const store = join(dir, 'store');
  const lines = [
    { session_id: 's1', occurred_at: '2024-03-01T10:00:00Z', type: 'page_view' },
    {
      session_id: 's1',
      occurred_at: '2024-03-01T10:00:05Z',
      type: 'add_to_cart',
      product_id: 'p1',
      quantity: 2,
      value: 19.98,
    },
    {
      session_id: 's1',
      occurred_at: '2024-03-01T10:00:05Z',
      type: 'add_to_cart',
      product_id: 'p1',
      quantity: 2,
      value: 19.98,
    },
  ].map((x) => JSON.stringify(x));
  lines.splice(1, 0, '{"session_id": "s1", "occurred_at": ');
  lines.push(JSON.stringify({ session_id: 's1', occurred_at: '2024-03-01T10:01:00Z', type: 'teleport' }));
  writeFileSync(join(dir, 'events.jsonl.gz'), gzipSync(`${lines.join('\n')}\n`));
  const r = await cliJson(['--store', store, 'ingest', 'events', join(dir, 'events.jsonl.gz')]);
  assert.deepEqual(r.json.rows, { read: 5, loaded: 3, rejected: 2, skipped: 0 });
  assert.deepEqual(r.json.rejectedByReason, {
    'not valid JSON': 1,
    ['type is not one of page_view, product_view, add_to_cart, remove_from_cart, begin_checkout, purchase, ' +
      'offer_shown, offer_accepted, offer_declined, offer_replied']: 1,
  });
  // Two identical add_to_cart events are two events, not one.
  assert.deepEqual(
    await query(store, `SELECT count(*)::INTEGER AS n, count(DISTINCT event_id)::INTEGER AS ids FROM events`),
    [{ n: 3, ids: 3 }],
  );
  const again = await cliJson(['--store', store, 'ingest', 'events', join(dir, 'events.jsonl.gz')]);
  assert.equal(again.json.tables.events.unchanged, 3);
  assert.deepEqual(await query(store, `SELECT count(*)::INTEGER AS n FROM events`), [{ n: 3 }]);
});

test('Parquet files load through DuckDB with the same validation', async () => {
  const dir = tempDir();
  const file = join(dir, 'sessions.parquet');
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run(`COPY (SELECT 's' || i AS session_id, TIMESTAMP '2024-03-01 00:00:00' + INTERVAL (i) MINUTE AS started_at,
      CASE WHEN i % 3 = 0 THEN 'mobile' ELSE 'desktop' END AS device, 'email' AS channel, 42 AS unrelated
    FROM range(10) t(i)) TO '${file}' (FORMAT parquet)`);
  conn.closeSync();
  inst.closeSync();
  const store = join(dir, 'store');
  const r = await cliJson(['--store', store, 'ingest', 'sessions', file]);
  assert.equal(r.code, 0);
  assert.deepEqual(r.json.rows, { read: 10, loaded: 10, rejected: 0, skipped: 0 });
  assert.ok(Object.keys(r.json.notes).some((n) => /columns ignored .*unrelated/.test(n)));
  assert.deepEqual(
    await query(store, `SELECT device, count(*)::INTEGER AS n FROM sessions GROUP BY 1 ORDER BY 1`),
    [
      { device: 'desktop', n: 6 },
      { device: 'mobile', n: 4 },
    ],
  );
});

test('a file missing required columns is refused before anything loads', async () => {
  const dir = tempDir();
  writeFileSync(join(dir, 'lines.csv'), 'order_id,qty,price\nA,1,2\n');
  const r = await cli(['--store', join(dir, 'store'), 'ingest', 'order-lines', join(dir, 'lines.csv')]);
  assert.equal(r.code, 1);
  assert.match(
    r.stderr,
    /missing required column\(s\) quantity, unit_price\. Columns found: order_id, qty, price/,
  );
  writeFileSync(join(dir, 'empty.csv'), '');
  const e = await cli(['--store', join(dir, 'store'), 'ingest', 'orders', join(dir, 'empty.csv')]);
  assert.equal(e.code, 1);
  assert.match(e.stderr, /the file is empty/);
  writeFileSync(
    join(dir, 'broken.csv.gz'),
    gzipSync(`order_id,placed_at,gross_merchandise\n${'A,2024-01-01,1\n'.repeat(5000)}`).subarray(0, 200),
  );
  // A truncated download is an error for the file, not a reject: nothing of its first half is loaded.
  const t = await cliJson(['--store', join(dir, 'store'), 'ingest', 'orders', join(dir, 'broken.csv.gz')]);
  assert.equal(t.code, 1);
  assert.equal(t.json.error.code, 'FILE_UNREADABLE');
  assert.match(t.json.error.message, /compressed file ends early/);
  assert.deepEqual(await query(join(dir, 'store'), 'SELECT count(*)::INTEGER AS n FROM orders'), [{ n: 0 }]);
});
