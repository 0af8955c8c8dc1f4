import { test } from 'node:test';
import { openStore } from '../src/store/open.js';
import { assertClvCacheFollowsLoads, assertClvFromSql, simulatedClvStore } from './clv-fixture.js';
import { tempDir } from './helpers.js';

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
