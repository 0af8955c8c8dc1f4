import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { currencyExponent, minorToDecimal } from '../../core/money.js';
import type { OrderLineRow, OrderRow } from '../../core/model/rows.js';
import { BulkLoad } from './bulk-load.js';
import { DuckDb } from './connection.js';

const order = (id: string, gross: number): OrderRow => ({
  order_id: id,
  customer_id: 'c1',
  session_id: null,
  placed_at: Date.UTC(2024, 0, 1),
  currency: 'USD',
  gross_merchandise: gross,
  discount: 0,
  shipping: 0,
  tax: 0,
  refunded: 0,
  status: 'paid',
  kind: 'sale',
  country: null,
  discount_code: null,
});
const line = (order_id: string, line_no: number): OrderLineRow => ({
  order_id,
  line_no,
  product_id: 'p',
  sku: null,
  title: null,
  quantity: 1,
  unit_price: 100,
  line_discount: 0,
  currency: 'USD',
  line_type: 'product',
});

async function load(store: DuckDb, fn: (l: BulkLoad) => void) {
  const l = await BulkLoad.begin(store);
  fn(l);
  return l.commit();
}

test('loading is keyed on ids: new, updated and unchanged rows are counted, nothing duplicated', async () => {
  const store = await DuckDb.open(join(mkdtempSync(join(tmpdir(), 'levers-bulk-')), 'levers.duckdb'));
  try {
    let c = await load(store, (l) => {
      l.write('orders', order('A', 100));
      l.write('orders', order('B', 200));
    });
    assert.deepEqual(c.orders, { staged: 2, inserted: 2, updated: 0, unchanged: 0, duplicateKeys: 0 });
    c = await load(store, (l) => {
      l.write('orders', order('A', 100));
      l.write('orders', order('B', 250));
      l.write('orders', order('C', 1));
    });
    assert.deepEqual(c.orders, { staged: 3, inserted: 1, updated: 1, unchanged: 1, duplicateKeys: 0 });
    const rows = await store.all<{ order_id: string; g: string }>(
      'SELECT order_id, gross_merchandise::VARCHAR AS g FROM orders ORDER BY 1',
    );
    assert.deepEqual(rows, [
      { order_id: 'A', g: '1.000' },
      { order_id: 'B', g: '2.500' },
      { order_id: 'C', g: '0.010' },
    ]);
    // Within one load the last row of a key wins.
    c = await load(store, (l) => {
      l.write('orders', order('D', 1));
      l.write('orders', order('D', 2));
    });
    assert.equal(c.orders!.duplicateKeys, 1);
    assert.deepEqual(
      await store.all('SELECT gross_merchandise::VARCHAR AS g FROM orders WHERE order_id = $1', ['D']),
      [{ g: '0.020' }],
    );
  } finally {
    store.close();
  }
});

test("an order's lines are replaced as a whole; customers keep what a source does not know", async () => {
  const store = await DuckDb.open(join(mkdtempSync(join(tmpdir(), 'levers-bulk-')), 'levers.duckdb'));
  try {
    await load(store, (l) => {
      l.write('order_lines', line('A', 1));
      l.write('order_lines', line('A', 2));
      l.write('order_lines', line('B', 1));
    });
    await load(store, (l) => l.write('order_lines', line('A', 1)));
    assert.deepEqual(await store.all('SELECT order_id, line_no FROM order_lines ORDER BY 1, 2'), [
      { order_id: 'A', line_no: 1 },
      { order_id: 'B', line_no: 1 },
    ]);
    await load(store, (l) =>
      l.write('customers', {
        customer_id: 'c1',
        first_seen_at: Date.UTC(2024, 5, 1),
        loyalty_tier: 'gold',
        loyalty_points: 10,
      }),
    );
    await load(store, (l) =>
      l.write('customers', {
        customer_id: 'c1',
        first_seen_at: Date.UTC(2024, 8, 1),
        loyalty_tier: null,
        loyalty_points: null,
      }),
    );
    assert.deepEqual(
      await store.all('SELECT loyalty_tier, loyalty_points, first_seen_at::VARCHAR AS f FROM customers'),
      [{ loyalty_tier: 'gold', loyalty_points: 10, f: '2024-06-01 00:00:00' }],
    );
  } finally {
    store.close();
  }
});

test('appended values land exactly, in the order written, across chunks and beside rows staged in SQL', async () => {
  const store = await DuckDb.open(join(mkdtempSync(join(tmpdir(), 'levers-bulk-')), 'levers.duckdb'));
  try {
    const currencies = ['USD', 'JPY', 'KWD', 'CLF'];
    const texts = [null, 'a', 'twelve chars', 'thirteen char', 'café', '☕ coffee', 'x'.repeat(200), ''];
    const amounts = [0, 1, -1, 29, 1999, -123456, 99_999_999_999_999, 9_007_199_254_740, 10_000_000_000_000];
    const times = [
      Date.UTC(2024, 0, 1, 12, 30, 15, 123),
      0,
      -86_400_001,
      Date.UTC(2300, 5, 1),
      1_700_000_000_000.5,
    ];
    const expected: { id: string; sku: string | null; price: string | null; stock: number | null }[] = [];
    const seen: { id: string; at: number | null }[] = [];
    const l = await BulkLoad.begin(store);
    for (let i = 0; i < 5000; i++) {
      const currency = currencies[i % currencies.length]!;
      const exp = currencyExponent(currency);
      // Amounts in a currency of four decimals are whole tens of them: DECIMAL(18,3) holds three.
      const amount = amounts[i % amounts.length]! * (exp > 3 ? 10 : 1);
      const price = i % 11 === 0 ? null : amount;
      const sku = texts[i % texts.length]!;
      const stock = i % 5 === 0 ? null : i - 2500;
      l.write('products', {
        product_id: `p${i}`,
        sku,
        title: null,
        category: null,
        family: null,
        price,
        cost: null,
        currency,
        stock,
      });
      const fixed =
        price == null ? null : exp > 3 ? minorToDecimal(price / 10, 3) : minorToDecimal(price, exp);
      expected.push({ id: `p${i}`, sku, price: fixed == null ? null : asThreePlaces(fixed), stock });
      const at = i % 7 === 0 ? null : times[i % times.length]!;
      l.write('customers', {
        customer_id: `c${i}`,
        first_seen_at: at,
        loyalty_tier: null,
        loyalty_points: i,
      });
      seen.push({ id: `c${i}`, at: at == null ? null : Math.floor(at) });
      if (i === 2100 || i === 4095) {
        await l.sql.stage(
          'products',
          ['product_id', 'sku', 'price', 'currency'],
          `SELECT $1, 'staged', 2.5, 'USD'`,
          [`staged${i}`],
        );
        expected.push({ id: `staged${i}`, sku: 'staged', price: '2.500', stock: null });
      }
    }
    await l.commit();
    const products = await store.all<{
      id: string;
      sku: string | null;
      price: string | null;
      stock: number | null;
    }>('SELECT product_id AS id, sku, price::VARCHAR AS price, stock FROM products ORDER BY rowid');
    assert.deepEqual(products, expected);
    const customers = await store.all<{ id: string; at: number | null }>(
      'SELECT customer_id AS id, epoch_ms(first_seen_at)::DOUBLE AS at FROM customers ORDER BY rowid',
    );
    assert.deepEqual(customers, seen);
  } finally {
    store.close();
  }
});

/** DuckDB's text of a DECIMAL(18,3): always three decimals. */
function asThreePlaces(decimal: string): string {
  const [whole, frac = ''] = decimal.split('.');
  return `${whole}.${frac.padEnd(3, '0')}`;
}
