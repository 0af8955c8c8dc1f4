import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, query, tempDir } from './helpers.js';

const base = { receivedAt: '2026-01-05T10:05:00Z', currency: 'USD' };
const LOG = `${[
  '',
  {
    ...base,
    idempotencyKey: 'k1',
    type: 'page_view',
    sessionId: 's1',
    occurredAt: '2026-01-05T10:00:00Z',
    assignment: 'treatment',
    device: 'mobile',
  },
  {
    ...base,
    idempotencyKey: 'k2',
    type: 'add_to_cart',
    sessionId: 's1',
    occurredAt: '2026-01-05T10:01:00Z',
    assignment: 'treatment',
    productId: 'maker',
    quantity: 1,
    valueMinor: 4000,
  },
  {
    ...base,
    idempotencyKey: 'k3',
    type: 'offer_shown',
    sessionId: 's1',
    occurredAt: '2026-01-05T10:01:05Z',
    assignment: 'treatment',
    offerId: 'cross-sell:filters',
  },
  {
    ...base,
    idempotencyKey: 'k4',
    type: 'offer_accepted',
    sessionId: 's1',
    occurredAt: '2026-01-05T10:01:20Z',
    assignment: 'treatment',
    offerId: 'cross-sell:filters',
  },
  {
    ...base,
    idempotencyKey: 'k5',
    type: 'purchase',
    sessionId: 's1',
    customerId: 'c1',
    occurredAt: '2026-01-05T10:04:00+01:00',
    assignment: 'treatment',
    orderId: 'o1',
    valueMinor: 4900,
    discountMinor: 100,
    shippingMinor: 695,
    lines: [
      { productId: 'maker', quantity: 1, unitPriceMinor: 4000 },
      { productId: 'filters', quantity: 2, unitPriceMinor: 450 },
    ],
  },
  {
    ...base,
    idempotencyKey: 'k2',
    type: 'add_to_cart',
    sessionId: 's1',
    occurredAt: '2026-01-05T10:01:00Z',
    assignment: 'treatment',
    productId: 'maker',
    quantity: 1,
    valueMinor: 4000,
  },
  {
    ...base,
    idempotencyKey: 'k6',
    type: 'page_view',
    sessionId: 's2',
    occurredAt: '2026-01-05T11:00:00Z',
    assignment: 'holdout',
  },
  {
    ...base,
    idempotencyKey: 'k7',
    type: 'purchase',
    sessionId: 's2',
    occurredAt: '2026-01-05T11:09:00Z',
    assignment: 'holdout',
    orderId: 'o2',
    valueMinor: 999,
    lines: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
  },
  {
    ...base,
    idempotencyKey: 'k8',
    type: 'purchase',
    sessionId: 's2',
    occurredAt: '2026-01-05T11:10:00Z',
    assignment: 'holdout',
    valueMinor: 1250,
  },
  {
    ...base,
    idempotencyKey: 'k9',
    type: 'teleport',
    sessionId: 's2',
    occurredAt: '2026-01-05T11:11:00Z',
    assignment: 'holdout',
  },
  '{"idempotencyKey":"k10","type":"page_vi',
  {
    ...base,
    idempotencyKey: 'k11',
    type: 'page_view',
    sessionId: 's3',
    occurredAt: '2026-01-05T12:00:00Z',
  },
]
  .map((x) => (typeof x === 'string' ? x : JSON.stringify(x)))
  .join('\n')}\n`;

test(
  'api-events: the server log loads as events, sessions with their assignment and orders; bad lines are ' +
    'rejected with line and field',
  async () => {
    const store = join(tempDir(), 'store');
    mkdirSync(join(store, 'events'), { recursive: true });
    writeFileSync(join(store, 'events', 'events.jsonl'), LOG);
    // No file: the store's own event log.
    const r = await cliJson(['--store', store, 'ingest', 'api-events']);
    assert.equal(r.code, 3, r.stderr);
    assert.deepEqual(r.json.rows, { read: 12, loaded: 7, rejected: 4, skipped: 1 });
    assert.deepEqual(r.json.rejectedByReason, {
      'valueMinor does not equal the sum of the lines (4000); send the value before discounts': 1,
      ['type Invalid option: expected one of ' +
        '"page_view"|"product_view"|"add_to_cart"|"remove_from_cart"|"begin_checkout"|"purchase"|"offer_shown"|"offer_accepted"|"offer_declined"|"offer_replied"']:
        1,
      'not valid JSON': 1,
      'assignment Invalid option: expected one of "treatment"|"holdout"': 1,
    });
    assert.deepEqual(r.json.skippedByReason, {
      'repeated idempotency key (the event is already in this log)': 1,
    });
    assert.deepEqual(
      await query(
        store,
        `SELECT session_id, customer_id, started_at::VARCHAR AS at, device, page_views, duration_s, ` +
          `assignment FROM sessions ORDER BY 1`,
      ),
      [
        {
          session_id: 's1',
          customer_id: 'c1',
          at: '2026-01-05 09:04:00',
          device: 'mobile',
          page_views: 1,
          duration_s: 3440,
          assignment: 'treatment',
        },
        {
          session_id: 's2',
          customer_id: null,
          at: '2026-01-05 11:00:00',
          device: 'unknown',
          page_views: 1,
          duration_s: 600,
          assignment: 'holdout',
        },
      ],
    );
    assert.deepEqual(
      await query(
        store,
        `SELECT order_id, session_id, gross_merchandise::VARCHAR AS g, discount::VARCHAR AS d, ` +
          `shipping::VARCHAR AS sh FROM orders ORDER BY 1`,
      ),
      [
        { order_id: 'api:k8', session_id: 's2', g: '12.500', d: '0.000', sh: '0.000' },
        { order_id: 'o1', session_id: 's1', g: '49.000', d: '1.000', sh: '6.950' },
      ],
    );
    assert.deepEqual(
      await query(
        store,
        `SELECT order_id, line_no, product_id, quantity, unit_price::VARCHAR AS p FROM order_lines ORDER BY ` +
          `1, 2`,
      ),
      [
        { order_id: 'o1', line_no: 1, product_id: 'maker', quantity: 1, p: '40.000' },
        { order_id: 'o1', line_no: 2, product_id: 'filters', quantity: 2, p: '4.500' },
      ],
    );
    assert.deepEqual(
      await query(store, `SELECT type, count(*)::INTEGER AS n FROM events GROUP BY 1 ORDER BY 1`),
      [
        { type: 'add_to_cart', n: 1 },
        { type: 'offer_accepted', n: 1 },
        { type: 'offer_shown', n: 1 },
        { type: 'page_view', n: 2 },
        { type: 'purchase', n: 2 },
      ],
    );
    // The log grows and is loaded again: what was loaded is unchanged, nothing doubles.
    const again = await cliJson(['--store', store, 'ingest', 'api-events']);
    assert.equal(again.json.tables.events.unchanged, 7);
    assert.equal(again.json.tables.events.inserted, 0);
    assert.deepEqual(await query(store, `SELECT count(*)::INTEGER AS n FROM orders`), [{ n: 2 }]);
  },
);

test('api-events without a file and without a log: the missing file is named', async () => {
  const store = join(tempDir(), 'store');
  const r = await cliJson(['--store', store, 'ingest', 'api-events']);
  assert.equal(r.code, 1);
  assert.match(JSON.stringify(r.json), /events\.jsonl/);
});
