import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ingest } from '../src/app/ingest.js';
import { simulate } from '../src/app/simulate.js';
import { openStore } from '../src/store/open.js';
import { ROOT } from '../test/helpers.js';

/**
 * Foundation benchmarks. Each figure is printed beside a baseline measured in the same run on the same
 * machine, because ratios survive a noisy machine and absolute times do not.
 */
const DATA = resolve(ROOT, '..', 'shared', 'data');
const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function rawDuckDbLoad(file: string): Promise<number> {
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  const t0 = performance.now();
  await conn.run(`CREATE TABLE raw AS SELECT * FROM read_csv($1, header = true)`, [file]);
  const s = seconds(t0);
  conn.closeSync();
  inst.closeSync();
  return s;
}

async function benchOnlineRetail(): Promise<void> {
  const file = join(DATA, 'online_retail', 'online_retail.csv.gz');
  const dir = mkdtempSync(join(tmpdir(), 'levers-bench-'));
  const store = openStore(dir);
  let t0 = performance.now();
  const first = await ingest(store, 'online-retail', [file], { runId: 'bench1' });
  const firstS = seconds(t0);
  t0 = performance.now();
  const second = await ingest(store, 'online-retail', [file], { runId: 'bench2' });
  const secondS = seconds(t0);
  rmSync(dir, { recursive: true, force: true });
  const raw = await rawDuckDbLoad(file);
  const added = Object.values(second.tables).reduce((s, c) => s + c.inserted + c.updated, 0);
  console.log('ingest online-retail (541,909 lines)');
  console.log(
    `  levers ingest, first run     ${firstS.toFixed(2)} s  (read ${first.rows.read}, loaded ` +
      `${first.rows.loaded}, rejected ${first.rows.rejected})`,
  );
  console.log(`  levers ingest, second run    ${secondS.toFixed(2)} s  (rows added or changed: ${added})`);
  console.log(`  baseline: DuckDB read_csv    ${raw.toFixed(2)} s  (no validation, no model)`);
  console.log(`  ratio levers / DuckDB raw    ${(firstS / raw).toFixed(1)}x`);
}

async function benchSimulate(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'levers-bench-'));
  const t0 = performance.now();
  const run = await simulate(
    openStore(dir),
    {
      seed: 1,
      days: 100,
      sessionsPerDay: 10_060,
      startMs: Date.UTC(2026, 0, 5),
      currency: 'USD',
      scenario: 'baseline',
    },
    {},
  );
  const totalS = seconds(t0);
  const sim = run.result;
  // Baseline: the same rows copied inside DuckDB (no simulation, no validation), opened the same way.
  const inst = await DuckDBInstance.create(join(dir, 'levers.duckdb'));
  const conn = await inst.connect();
  const t1 = performance.now();
  await conn.run(`CREATE TABLE copy_events AS SELECT * FROM events`);
  await conn.run(`CREATE TABLE copy_sessions AS SELECT * FROM sessions`);
  const copyS = seconds(t1);
  conn.closeSync();
  inst.closeSync();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    `simulate + load ${sim.rows.sessions.toLocaleString('en-US')} sessions, ` +
      `${sim.rows.events.toLocaleString('en-US')} events, ${sim.rows.orders.toLocaleString('en-US')} orders`,
  );
  console.log(`  total, merged into the store ${totalS.toFixed(2)} s`);
  console.log(`  baseline: DuckDB table copy  ${copyS.toFixed(2)} s  (sessions + events, already in DuckDB)`);
}

await benchOnlineRetail();
await benchSimulate();
