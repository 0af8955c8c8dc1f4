import assert from 'node:assert/strict';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliJson, query, tempDir } from './helpers.js';

/** Each case is a small file broken the way a review found it breaking the store, loaded through the real CLI. */
const rejectsOf = (file: string) => readFileSync(file, 'utf8');

test('values the store cannot hold are rejected per row with line and field; the other rows load', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'orders.csv'),
    [
      'order_id,placed_at,gross_merchandise,currency',
      'A,2024-01-01,10.00,USD',
      'B,2024-01-01,1000000000000000.00,USD',
      'C,2024-01-01,10000000000000000,JPY',
      'D,1900-01-01,10.00,USD',
      'E,2024-01-02,12.50,USD',
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'lines.csv'),
    ['order_id,quantity,unit_price', 'A,1,10.00', 'E,2147483648,1.00', 'E,1,12.50'].join('\n'),
  );
  const store = join(dir, 's');
  const o = await cliJson(['--store', store, 'ingest', 'orders', join(dir, 'orders.csv')]);
  assert.equal(o.code, 3);
  assert.deepEqual(o.json.rows, { read: 5, loaded: 2, rejected: 3, skipped: 0 });
  const rj = rejectsOf(o.json.rejectsFile);
  assert.match(rj, /,3,gross_merchandise,is more than the store can hold/);
  assert.match(rj, /,4,gross_merchandise,is more than the store can hold/);
  assert.match(rj, /,5,placed_at,is outside the years 1970–2199/);
  const l = await cliJson(['--store', store, 'ingest', 'order-lines', join(dir, 'lines.csv')]);
  assert.deepEqual(l.json.rows, { read: 3, loaded: 2, rejected: 1, skipped: 0 });
  assert.match(rejectsOf(l.json.rejectsFile), /,3,quantity,"is out of range/);
  assert.deepEqual(await query(store, 'SELECT count(*)::INTEGER AS n FROM orders'), [{ n: 2 }]);
});

test("the server's event log with values no API would take now (an older log): per-line rejects, the report still loads", async () => {
  const dir = tempDir();
  const base = { receivedAt: '2026-01-05T10:00:00Z', currency: 'USD', assignment: 'treatment' };
  const events = [
    { ...base, idempotencyKey: 'a', type: 'page_view', sessionId: 's1', occurredAt: '2026-01-05T10:00:00Z' },
    {
      ...base,
      idempotencyKey: 'b',
      type: 'add_to_cart',
      sessionId: 's1',
      occurredAt: '2026-01-05T10:01:00Z',
      quantity: 2 ** 31,
    },
    {
      ...base,
      idempotencyKey: 'c',
      type: 'purchase',
      sessionId: 's2',
      occurredAt: '2026-01-05T10:02:00Z',
      currency: 'JPY',
      orderId: 'j',
      valueMinor: 10 ** 16,
    },
    { ...base, idempotencyKey: 'd', type: 'page_view', sessionId: 's3', occurredAt: '1956-01-05T10:00:00Z' },
    { ...base, idempotencyKey: 'e', type: 'page_view', sessionId: 's4', occurredAt: '1971-01-05T10:00:00Z' },
    { ...base, idempotencyKey: 'f', type: 'page_view', sessionId: 's4', occurredAt: '2041-01-05T10:00:00Z' },
    {
      ...base,
      idempotencyKey: 'g',
      type: 'purchase',
      sessionId: 's1',
      occurredAt: '2026-01-05T10:05:00Z',
      orderId: 'o1',
      valueMinor: 4000,
      source: 'client',
    },
  ];
  const deep = `{"idempotencyKey":"h","x":${'['.repeat(5000)}${']'.repeat(5000)}}`;
  writeFileSync(join(dir, 'events.jsonl'), `${[...events.map((e) => JSON.stringify(e)), deep].join('\n')}\n`);
  const store = join(dir, 's');
  const r = await cliJson(['--store', store, 'ingest', 'api-events', join(dir, 'events.jsonl')]);
  assert.equal(r.code, 3, r.stderr);
  assert.deepEqual(r.json.rows, { read: 8, loaded: 4, rejected: 4, skipped: 0 });
  const rj = rejectsOf(r.json.rejectsFile);
  assert.match(rj, /,2,quantity,/);
  assert.match(rj, /,3,valueMinor,/);
  assert.match(rj, /,4,occurredAt,is outside the years 1970–2199/);
  assert.match(rj, /,8,,nested deeper than 64 levels/);
  assert.ok(
    Object.keys(r.json.notes).some((n) => /span more than a day/.test(n)),
    JSON.stringify(r.json.notes),
  );
  assert.deepEqual(await query(store, `SELECT order_id, source FROM orders`), [
    { order_id: 'o1', source: 'client' },
  ]);
  const rep = await cliJson(['--store', store, 'report', '--no-clv']);
  assert.equal(rep.code, 0, rep.stderr);
});

test('a line of 17 MiB is rejected as it streams, not buffered; the lines after it load', async () => {
  const dir = tempDir();
  const ok = (k: string) =>
    JSON.stringify({ order_id: k, placed_at: '2024-01-01', gross_merchandise: '1.00' });
  writeFileSync(
    join(dir, 'o.jsonl'),
    `${ok('A')}\n{"order_id":"${'x'.repeat(17 * 1024 * 1024)}"}\n${ok('B')}\n`,
  );
  const r = await cliJson(['--store', join(dir, 's'), 'ingest', 'orders', join(dir, 'o.jsonl')]);
  assert.deepEqual(r.json.rows, { read: 3, loaded: 2, rejected: 1, skipped: 0 });
  assert.deepEqual(r.json.rejectedByReason, { 'the line is longer than 16 MiB': 1 });
});

const SHOPIFY =
  'Name,Email,Currency,Created at,Lineitem quantity,Lineitem name,Lineitem price,Lineitem sku,Billing Name,Billing Street,Billing Country';
const shopifyRow = (name: string, over: Record<string, string> = {}) => {
  const v: Record<string, string> = {
    Name: name,
    Email: `${name.slice(1)}@example.com`,
    Currency: 'USD',
    'Created at': '2024-01-15 10:31:07 -0500',
    'Lineitem quantity': '1',
    'Lineitem name': 'Mug',
    'Lineitem price': '12.00',
    'Lineitem sku': 'MUG',
    'Billing Name': 'Jane Doe',
    'Billing Street': '1 Main St',
    'Billing Country': 'US',
    ...over,
  };
  return SHOPIFY.split(',')
    .map((c) => v[c] ?? '')
    .join(',');
};

test('Shopify: a price beyond the store, a NUL byte, a negative quantity, a bad date on a later row each reject their order', async () => {
  const dir = tempDir();
  const later = (name: string, over: Record<string, string>) =>
    shopifyRow(name, {
      Email: '',
      Currency: '',
      'Created at': '',
      'Billing Name': '',
      'Billing Street': '',
      ...over,
    });
  writeFileSync(
    join(dir, 'orders.csv'),
    [
      SHOPIFY,
      shopifyRow('#1'),
      shopifyRow('#2', { 'Lineitem price': '99999999999999999.99' }),
      shopifyRow('#3', { 'Lineitem name': 'Mug\u0000' }),
      shopifyRow('#4'),
      later('#4', { 'Lineitem quantity': '-1' }),
      shopifyRow('#5'),
      later('#5', { 'Created at': '2024-13-45 99:00:00' }),
      shopifyRow('#6'),
      later('#6', { 'Created at': '2024-02-01 10:00:00 -0500' }),
      shopifyRow('#7'),
      later('#7', { 'Lineitem sku': 'BOWL', 'Lineitem name': 'Bowl' }),
    ].join('\n'),
  );
  const store = join(dir, 's');
  const r = await cliJson(['--store', store, 'ingest', 'shopify-orders', join(dir, 'orders.csv')]);
  assert.equal(r.code, 3);
  assert.deepEqual(r.json.rows, { read: 11, loaded: 3, rejected: 8, skipped: 0 });
  const rj = rejectsOf(r.json.rejectsFile);
  assert.match(rj, /,3,Lineitem price,"""99999999999999999.99"" is more than the store can hold/);
  assert.match(rj, /,4,Lineitem name,contains a NUL byte/);
  assert.match(rj, /,6,Lineitem quantity,is negative/);
  assert.match(rj, /,8,Created at,is not a date-time/);
  assert.match(rj, /,10,Created at,differs from the order's first row/);
  assert.match(rj, /,5,,another row of the same order is invalid/);
  // The rejects keep what is needed to fix the row, not the customer: e-mail, name and street are removed.
  assert.doesNotMatch(rj, /example\.com|Jane Doe|Main St/);
  assert.match(rj, /\[removed: personal data\]/);
  assert.match(rj, /""Billing Country"":""US""/);
  assert.equal(statSync(r.json.rejectsFile).mode & 0o777, 0o600);
  assert.deepEqual(
    (await query(store, 'SELECT order_id FROM orders ORDER BY 1')).map((o) => o.order_id),
    ['#1', '#7'],
  );
  const keep = await cliJson([
    '--store',
    store,
    'ingest',
    'shopify-orders',
    join(dir, 'orders.csv'),
    '--keep-pii-in-rejects',
  ]);
  assert.match(rejectsOf(keep.json.rejectsFile), /2@example\.com/);
});

test('order lines without their order, and lines that do not add up, are counted and said', async () => {
  const dir = tempDir();
  const store = join(dir, 's');
  writeFileSync(
    join(dir, 'orders.csv'),
    'order_id,placed_at,gross_merchandise\nA,2024-01-01,10.00\nB,2024-01-01,30.00\n',
  );
  writeFileSync(join(dir, 'lines.csv'), 'order_id,quantity,unit_price\nA,1,10.00\nB,1,12.00\nZ,1,5.00\n');
  await cliJson(['--store', store, 'ingest', 'orders', join(dir, 'orders.csv')]);
  const r = await cliJson(['--store', store, 'ingest', 'order-lines', join(dir, 'lines.csv')]);
  assert.equal(r.code, 0);
  assert.equal(
    r.json.notes['order lines in the store whose order is not (yet) loaded; load the orders file too'],
    1,
  );
  assert.equal(r.json.notes['sales whose product lines do not add up to their gross_merchandise'], 1);
});

test('levers clv on orders without customer ids is a clear error, not a stack trace', async () => {
  const dir = tempDir();
  writeFileSync(
    join(dir, 'orders.csv'),
    'order_id,placed_at,gross_merchandise\nA,2024-01-01,10.00\nB,2024-02-01,30.00\n',
  );
  await cli(['--store', join(dir, 's'), 'ingest', 'orders', join(dir, 'orders.csv')]);
  const r = await cli(['--store', join(dir, 's'), 'clv']);
  assert.equal(r.code, 1);
  assert.match(r.stderr, /no customer orders in USD \(0 customers\); CLV needs orders with a customer id/);
  assert.doesNotMatch(r.stderr, /\n\s+at /);
});
