import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateRow } from './validate.js';

test('a valid order row becomes typed values with money in minor units', () => {
  const r = validateRow(
    'orders',
    {
      order_id: ' A1 ',
      placed_at: '2024-01-15 10:00:00 -0500',
      currency: 'jpy',
      gross_merchandise: '3500',
      discount: '',
    },
    'USD',
  );
  assert.ok(r.ok);
  assert.equal(r.row.order_id, 'A1');
  assert.equal(r.row.currency, 'JPY');
  assert.equal(r.row.gross_merchandise, 3500);
  assert.equal(r.row.discount, 0);
  assert.equal(r.row.status, 'paid');
  assert.equal(r.row.kind, 'sale');
  assert.equal(r.row.placed_at, Date.UTC(2024, 0, 15, 15));
});

test('the default currency applies when the row has none', () => {
  const r = validateRow(
    'orders',
    { order_id: 'A', placed_at: '2024-01-01', gross_merchandise: '1.5' },
    'KWD',
  );
  assert.ok(r.ok);
  assert.equal(r.row.currency, 'KWD');
  assert.equal(r.row.gross_merchandise, 1500);
});

test('each problem names its field and keeps the value', () => {
  const cases: [Record<string, unknown>, string, string][] = [
    [{ placed_at: '2024-01-01', gross_merchandise: '1' }, 'order_id', 'is required'],
    [{ order_id: 'A', placed_at: 'soon', gross_merchandise: '1' }, 'placed_at', 'is not a date-time'],
    [
      { order_id: 'A', placed_at: '2024-01-01', gross_merchandise: 'ten' },
      'gross_merchandise',
      'is not a decimal amount',
    ],
    [
      { order_id: 'A', placed_at: '2024-01-01', gross_merchandise: '1', currency: 'XXY' },
      'currency',
      'is not an ISO 4217',
    ],
    [
      { order_id: 'A', placed_at: '2024-01-01', gross_merchandise: '1', status: 'shipped' },
      'status',
      'is not one of',
    ],
  ];
  for (const [raw, field, reason] of cases) {
    const r = validateRow('orders', raw, 'USD');
    assert.ok(!r.ok, field);
    assert.equal(r.issues[0]!.field, field);
    assert.match(r.issues[0]!.reason, new RegExp(reason));
  }
});

test('whole numbers only where the model says so; JSON numbers are accepted', () => {
  assert.equal(
    validateRow('order_lines', { order_id: 'A', quantity: '1.5', unit_price: '2' }, 'USD').ok,
    false,
  );
  const r = validateRow('order_lines', { order_id: 'A', quantity: 2, unit_price: 4.5 }, 'USD');
  assert.ok(r.ok);
  assert.equal(r.row.unit_price, 450);
  assert.equal(r.row.line_type, 'product');
});
