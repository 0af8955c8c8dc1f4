import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, query, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

const FILE = join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz');

test('UCI Online Retail: all 541,909 lines accounted for, returns netted, fees kept apart; a second run ' +
  'adds nothing', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  const r = await cliJson(['--store', store, 'ingest', 'online-retail', FILE]);
  assert.equal(r.code, 0, r.stderr);
  assert.deepEqual(r.json.rows, { read: 541909, loaded: 541909, rejected: 0, skipped: 0 });
  assert.equal(
    r.json.notes['invoices loaded as sales'] +
      r.json.notes['invoices loaded as returns (C…)'] +
      r.json.notes['invoices loaded as adjustments (no merchandise sold)'],
    25900,
  );
  const t = (
    await query(
      store,
      `SELECT
      (SELECT count(*) FROM order_lines)::INTEGER AS lines,
      (SELECT count(*) FROM orders)::INTEGER AS invoices,
      (SELECT count(*) FROM order_lines l JOIN orders o USING (order_id) WHERE o.kind = 'return')::INTEGER
        AS return_lines,
      (SELECT count(*) FROM order_lines l JOIN orders o USING (order_id) WHERE o.customer_id IS
        NULL)::INTEGER AS anonymous_lines,
      (SELECT count(*) FROM order_lines WHERE line_type <> 'product')::INTEGER AS non_product_lines,
      (SELECT count(*) FROM products WHERE product_id IN ('POST', 'M', 'BANK CHARGES', 'AMAZONFEE',
        'DOT'))::INTEGER AS fee_products,
      (SELECT min(placed_at)::VARCHAR FROM orders) AS first, (SELECT max(placed_at)::VARCHAR FROM orders) AS
        last,
      (SELECT count(DISTINCT country) FROM orders)::INTEGER AS countries`,
    )
  )[0]!;
  assert.equal(t.lines, 541909);
  assert.equal(t.invoices, 25900);
  assert.equal(t.return_lines, 9288);
  assert.equal(t.anonymous_lines, 135080);
  assert.equal(t.fee_products, 0);
  assert.ok((t.non_product_lines as number) > 2900);
  assert.equal(t.first, '2010-12-01 08:26:00');
  assert.equal(t.last, '2011-12-09 12:50:00');
  assert.equal(t.countries, 38);
  // Customer 12346 bought 74,215 units at £1.04 and returned them all: net zero.
  const c = await query(
    store,
    `SELECT sum(gross_merchandise - discount - refunded)::VARCHAR AS net FROM orders WHERE customer_id = ` +
      `'12346'`,
  );
  assert.deepEqual(c, [{ net: '0.000' }]);
  const again = await cliJson(['--store', store, 'ingest', 'online-retail', FILE]);
  for (const [table, counts] of Object.entries(again.json.tables) as [
    string,
    { inserted: number; updated: number },
  ][]) {
    assert.equal(counts.inserted, 0, table);
    assert.equal(counts.updated, 0, table);
  }
  assert.deepEqual(await query(store, 'SELECT count(*)::INTEGER AS n FROM order_lines'), [{ n: 541909 }]);
});
