import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { CLV_DEFAULTS, clvTopOf } from '../src/app/clv.js';
import { customerLifetimeValue } from '../src/core/metrics/clv/clv.js';
import { dayRange } from '../src/core/metrics/clv/rfm.js';
import { currencyExponent } from '../src/core/money.js';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';
import type { SqlDatabase } from '../src/store/sql/database.js';
import { forgetCachedResults } from '../src/store/sql/rollups.js';
import { benchRow, ratioOf } from './table.js';

/**
 * The report's CLV section on report.bench's store (10M sessions; it builds the store, so run it first, or set
 * LEVERS_BENCH_STORE): its time outside the two model fits, now (per-customer summaries grouped in SQL, the top
 * 20 ranked in SQL and valued in the core) beside the previous path (every purchase row read into JS, every
 * customer valued and sorted to keep 20: the pure core's customerLifetimeValue over db.customerPurchases), the
 * same number of runs each, interleaved (the section's cache emptied before each run; its read-back timed too); and a hand-written DuckDB query of the same summaries (patterns with
 * counts, the repeat buyers' spend, the holdout) as the baseline.
 */
const DIR = process.env.LEVERS_BENCH_STORE ?? join(tmpdir(), 'levers-bench-10m');
const RUNS = Number(process.env.RUNS ?? 3);
const TOP = 20;
const WORKLOAD = "report's CLV section at 10M sessions";
if (!existsSync(join(DIR, 'levers.duckdb'))) {
  console.log(`clv report: skipped (no store at ${DIR}; report.bench.js builds it)`);
  process.exit(0);
}
const store = openStore(DIR);
const options = { calibrationShare: 2 / 3, ...CLV_DEFAULTS, minCustomers: 20 };
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;
const now = { total: [] as number[], fit: [] as number[] };
const before = { total: [] as number[], fit: [] as number[] };
const cached: number[] = [];
let calEnd = 0;
let customers = 0;
let rows = 0;

await withDatabase(store, async (db) => {
  const currency = (await db.currencies())[0]!.currency;
  for (let r = 0; r < RUNS; r++) {
    // The section caches its result per version of the data: emptied first, so each run computes it.
    await forgetCachedResults((db as unknown as SqlDatabase).db);
    let t0 = performance.now();
    const top = await clvTopOf(db, currency, options, TOP);
    now.total.push(performance.now() - t0);
    now.fit.push(top.fitMs);
    t0 = performance.now();
    assert.deepEqual(await clvTopOf(db, currency, options, TOP), top, 'read back from the cache');
    cached.push(performance.now() - t0);

    // The previous section: read every customer-day, value every customer, sort, keep 20.
    t0 = performance.now();
    const purchases = await db.customerPurchases(currency);
    const { first, last } = dayRange(purchases);
    calEnd = first + Math.floor((last - first) * options.calibrationShare);
    const margin = await db.soldMargin();
    const all = customerLifetimeValue(purchases, {
      calibrationEndDay: calEnd,
      holdoutEndDay: last,
      horizonMonths: options.horizon,
      discountRate: options.discountRate,
      margin,
      minorPerMajor: 10 ** currencyExponent(currency),
      clock: () => performance.now(),
    });
    const kept = all.values.slice(0, TOP);
    before.total.push(performance.now() - t0);
    before.fit.push(all.fitMs);
    customers = all.customers;
    rows = purchases.reduce((s, c) => s + c.days.length, 0);
    assert.deepEqual(top.top, kept, 'the top 20 is the same either way');
    assert.deepEqual(top.bgnbd, all.bgnbd);
  }
});

// Baseline: the same summaries by hand in DuckDB, through its own connection.
const inst = await DuckDBInstance.create(join(DIR, 'levers.duckdb'));
const conn = await inst.connect();
const base: number[] = [];
for (let r = 0; r < RUNS; r++) {
  const t0 = performance.now();
  await conn.run(
    `CREATE OR REPLACE TEMP TABLE hand_customers AS
    WITH d AS (
      SELECT customer_id, (placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
        sum(gross_merchandise - discount - refunded) AS net
      FROM orders WHERE kind = 'sale' AND status <> 'cancelled' AND customer_id IS NOT NULL AND currency = 'USD'
      GROUP BY ALL)
    SELECT customer_id, min(day) AS first, count(*) FILTER (day <= $1) - 1 AS x,
      max(day) FILTER (day <= $1) - min(day) AS tx, $1 - min(day) AS t,
      sum(net) FILTER (day <= $1) - arg_min(net, day) AS repeat_net,
      count(*) FILTER (day > $1) AS holdout
    FROM d GROUP BY 1 HAVING min(day) <= $1`,
    [calEnd],
  );
  await (
    await conn.runAndReadAll(
      `SELECT x, tx, t, count(*) FROM hand_customers GROUP BY ALL ORDER BY min(customer_id)`,
    )
  ).getColumnsJS();
  await (
    await conn.runAndReadAll(
      `SELECT x, repeat_net FROM hand_customers WHERE x > 0 AND repeat_net > 0 ORDER BY customer_id`,
    )
  ).getColumnsJS();
  await conn.runAndReadAll(`SELECT sum(holdout) FROM hand_customers`);
  base.push(performance.now() - t0);
}
conn.closeSync();
inst.closeSync();

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const outside = (x: { total: number[]; fit: number[] }) => median(x.total.map((t, i) => t - x.fit[i]!));
console.log(
  `report's CLV section: ${customers.toLocaleString('en-US')} customers valued, ` +
    `${rows.toLocaleString('en-US')} customer-days, ${RUNS} runs each, interleaved (medians)`,
);
console.log(
  `  now: summaries and top ${TOP} in SQL       ${s(median(now.total))}, ${s(outside(now))} outside the ${s(median(now.fit))} fit`,
);
console.log(
  `  before: every purchase into JS            ${s(median(before.total))}, ${s(outside(before))} outside the ${s(median(before.fit))} fit`,
);
console.log(`  baseline: hand-written DuckDB summaries   ${s(median(base))}`);
console.log(`  a later report of the same data (cached)  ${s(median(cached))}`);
console.log(`  the top ${TOP} and the fitted parameters are identical either way`);
benchRow({
  workload: WORKLOAD,
  levers: `${s(outside(now))} outside the ${s(median(now.fit))} fit (was ${s(outside(before))}); ${s(median(cached))} cached`,
  baseline: `hand-written DuckDB summaries ${s(median(base))}`,
  ratio: ratioOf(outside(now), median(base)),
  goal: 'per-customer summaries and top-N in SQL',
});
