import { appendFileSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/**
 * The summary table `npm run bench` ends with: one row per workload of issue 16's table, each with its same-run
 * baseline and ratio. Every bench prints its own detail and also calls `benchRow()`; when `LEVERS_BENCH_TABLE`
 * names a file (npm run bench sets it) the row is appended there as one JSON line, and `node dist/bench/table.js
 * FILE` prints the collected rows as a table at the end. Run alone, a bench just prints its detail.
 */
export interface BenchRow {
  /** What was measured, as the table names it ("ingest Online Retail, 541,909 lines"). */
  workload: string;
  /** Levers' figure with its unit ("8.40 s", "p99 7.2 ms", "CPU 1.9 ms/request"). */
  levers: string;
  /** The baseline measured in the same run, named ("DuckDB read_csv + GROUP BY 1.60 s"). */
  baseline: string;
  /** Levers over the baseline (time ratio: below 1 is faster than the baseline), or a speed-up, as labelled. */
  ratio: string;
  /** The goal the issue sets for the row ("≤ 2×"). */
  goal: string;
}

export function benchRow(row: BenchRow): void {
  const file = process.env.LEVERS_BENCH_TABLE;
  if (file) appendFileSync(file, `${JSON.stringify(row)}\n`);
}

/** `x` as a ratio to one decimal ("2.4x"), or two below 1 so small ratios do not read as 0. */
export const ratioOf = (ours: number, base: number): string => {
  const r = ours / base;
  return `${r.toFixed(r < 1 ? 2 : 1)}x`;
};

export function printTable(file: string): void {
  const rows = existsSync(file)
    ? readFileSync(file, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((l) => JSON.parse(l) as BenchRow)
    : [];
  const head: BenchRow = {
    workload: 'workload',
    levers: 'Levers',
    baseline: 'baseline (same run)',
    ratio: 'ratio',
    goal: 'goal',
  };
  const cols = ['workload', 'levers', 'baseline', 'ratio', 'goal'] as const;
  const width = Object.fromEntries(
    cols.map((c) => [c, Math.max(...[head, ...rows].map((r) => r[c].length))]),
  );
  const line = (r: BenchRow) => `| ${cols.map((c) => r[c].padEnd(width[c] ?? 0)).join(' | ')} |`;
  console.log('\nsummary (issue 16 table, every row measured in this run)');
  console.log(line(head));
  console.log(`|${cols.map((c) => '-'.repeat((width[c] ?? 0) + 2)).join('|')}|`);
  for (const r of rows) console.log(line(r));
  rmSync(file, { force: true });
}

const file = process.argv[2];
if (file && import.meta.url === pathToFileURL(process.argv[1] ?? '').href) printTable(file);
