import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';
import { assertClvCacheFollowsLoads, assertClvFromSql, simulatedClvStore } from './clv-fixture.js';
import { cli, tempDir } from './helpers.js';

test('CLV on DuckDB: the SQL summaries and the SQL-ranked top n are what the core computes from every purchase', async () => {
  const store = openStore(tempDir());
  await simulatedClvStore(store);
  await assertClvFromSql(store);
});

test("CLV on DuckDB: the report's fit and top n are cached per version of the data; a load that changes it drops them", async () => {
  const store = openStore(tempDir());
  await simulatedClvStore(store);
  await assertClvCacheFollowsLoads(store);
});

test('CLV on DuckDB: a day worth more than 64-bit decimals hold is read exactly, beside ordinary ones', async () => {
  // ¥200 trillion on one day (over the 1e14 the fast conversion takes), ordinary yen on the others: the summaries'
  // repeat spend is what the orders sum to, to the yen.
  const dir = tempDir();
  const csv = join(dir, 'orders.csv');
  writeFileSync(
    csv,
    [
      'order_id,placed_at,currency,gross_merchandise,customer_id,status',
      'J1,2026-01-05,JPY,1000,c1,paid',
      'J2,2026-01-09,JPY,200000000000000,c1,paid',
      'J3,2026-01-12,JPY,3000,c1,paid',
      'J4,2026-01-06,JPY,500,c2,paid',
      'J5,2026-01-10,JPY,700,c2,paid',
      'J6,2026-01-07,JPY,900,c3,paid',
    ].join('\n'),
  );
  const store = join(dir, 'store');
  assert.equal((await cli(['--store', store, 'ingest', 'orders', csv])).code, 0);
  await withDatabase(openStore(store), async (db) => {
    const range = await db.customerDayRange('JPY');
    assert.equal(range.customers, 3);
    const s = await db.clvSummaries('JPY', {
      calibrationEndDay: range.lastDay!,
      holdoutEndDay: range.lastDay!,
    });
    assert.deepEqual(s.spenders, { x: [2, 1], repeatMinor: [200_000_000_003_000, 700] });
  });
});
