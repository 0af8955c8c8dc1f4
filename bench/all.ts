import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { printTable } from './table.js';

/**
 * `npm run bench`: every benchmark in turn, each in its own process (so one's heap and caches do not slow the
 * next), then the summary table of the rows they reported through `benchRow()`.
 */
const HERE = dirname(fileURLToPath(import.meta.url));
const BENCHES = [
  'startup.bench.js',
  'clv.bench.js',
  'run.js',
  'recs.bench.js',
  'serve.bench.js',
  'report.bench.js',
  'clv-report.bench.js',
  'event-log.bench.js',
  'pg-events.bench.js',
  'pg-report.bench.js',
  'test-suite.bench.js',
];
const table = join(mkdtempSync(join(tmpdir(), 'levers-bench-table-')), 'rows.jsonl');
let failed = 0;
for (const b of BENCHES) {
  const r = spawnSync(process.execPath, [join(HERE, b)], {
    stdio: 'inherit',
    env: { ...process.env, LEVERS_BENCH_TABLE: table },
  });
  if (r.status !== 0) {
    failed++;
    console.error(`bench ${b} exited ${r.status}`);
  }
}
printTable(table);
process.exitCode = failed ? 1 : 0;
