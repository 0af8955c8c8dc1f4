import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { report as buildReport } from '../src/app/report.js';
import { DEFAULT_REPORT_OPTIONS } from '../src/app/report-options.js';
import { simulate } from '../src/sim/simulate.js';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';

/**
 * The full report over 10,000,000 simulated sessions and about 1,000,000 orders, beside a hand-written DuckDB
 * query of the same totals run in the same process. The store is kept in the temp folder and reused by later
 * runs (delete it to rebuild).
 */
const DIR = process.env.LEVERS_BENCH_STORE ?? join(tmpdir(), 'levers-bench-10m');
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const store = openStore(DIR);

if (!existsSync(join(DIR, 'levers.duckdb'))) {
  const t0 = performance.now();
  // Ten chunks of ten days keep the staging tables small; ids carry the chunk, so chunks never collide.
  for (let chunk = 0; chunk < 10; chunk++) {
    await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      simulate(
        {
          seed: 9,
          days: 10,
          sessionsPerDay: 100_600,
          startMs: Date.UTC(2026, 0, 5) + chunk * 10 * 86_400_000,
          currency: 'USD',
          scenario: 'baseline',
          intent: 4,
          idPrefix: `k${chunk}-`,
        },
        load,
      );
      await load.commit();
    });
    console.log(`  simulated chunk ${chunk + 1}/10 (${seconds(t0).toFixed(0)} s)`);
  }
}

let t0 = performance.now();
const report = await buildReport(store, { ...DEFAULT_REPORT_OPTIONS, clv: true });
const full = seconds(t0);

// Baseline: the same headline totals (weekly sessions, orders, net revenue; the two windows) by hand.
const inst = await DuckDBInstance.create(join(DIR, 'levers.duckdb'));
const conn = await inst.connect();
const all = async (sql: string, params: string[] = []) =>
  (await conn.runAndReadAll(sql, params)).getRowObjectsJS();
const counts = (
  await all(`SELECT (SELECT count(*) FROM sessions)::INTEGER AS s, (SELECT count(*) FROM orders)::INTEGER AS o,
  (SELECT count(*) FROM events)::INTEGER AS e`)
)[0] as { s: number; o: number; e: number };
console.log(
  `report over ${counts.s.toLocaleString('en-US')} sessions, ${counts.o.toLocaleString('en-US')} orders, ` +
    `${counts.e.toLocaleString('en-US')} events`,
);
t0 = performance.now();
const w = [report.windows.current.from, report.windows.current.to];
await all(`SELECT date_trunc('week', started_at) AS w, count(*) FROM sessions GROUP BY 1`);
await all(`SELECT date_trunc('week', placed_at) AS w, count(*), sum(gross_merchandise - discount - refunded) FROM orders
  WHERE kind = 'sale' AND status <> 'cancelled' GROUP BY 1`);
await all(
  `SELECT count(*) FROM sessions WHERE started_at >= $1::TIMESTAMP AND started_at < $2::TIMESTAMP + ` +
    `INTERVAL 1 DAY`,
  w,
);
await all(
  `SELECT count(*), sum(gross_merchandise - discount - refunded) FROM orders WHERE kind = 'sale' AND status <> 'cancelled'
  AND placed_at >= $1::TIMESTAMP AND placed_at < $2::TIMESTAMP + INTERVAL 1 DAY`,
  w,
);
const base = seconds(t0);
conn.closeSync();
inst.closeSync();
console.log(`  levers report (all sections, 5 segment dimensions, CLV)  ${full.toFixed(2)} s`);
console.log(`  baseline: hand-written DuckDB totals                      ${base.toFixed(2)} s`);
console.log(`  ratio                                                     ${(full / base).toFixed(1)}x`);
console.log(
  `  (current window ${report.windows.current.from}..${report.windows.current.to}: ` +
    `${report.current.orders.toLocaleString('en-US')} orders, CVR ` +
    `${((report.current.cvr ?? 0) * 100).toFixed(2)}%)`,
);
