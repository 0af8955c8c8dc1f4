import { test } from 'node:test';
import { openStore } from '../src/store/open.js';
import { assertClvFromSql, simulatedClvStore } from './clv-fixture.js';
import { tempDir } from './helpers.js';

test('CLV on DuckDB: the SQL summaries and the SQL-ranked top n are what the core computes from every purchase', async () => {
  const store = openStore(tempDir());
  await simulatedClvStore(store);
  await assertClvFromSql(store);
});
