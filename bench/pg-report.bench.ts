import { rmSync } from 'node:fs';
import { cli, tempDir } from '../test/helpers.js';
import { figures, SKIP_NO_POSTGRES, startPostgres } from '../test/postgres.js';

/**
 * `levers report` on PostgreSQL against DuckDB (the baseline) over the same simulated store, about a million
 * sessions (90 days at 11,100 sessions a day, one seed, simulated into each by `levers simulate`), in the same
 * run: each report RUNS times, alternating engines, the fastest of each kept; the JSON answers compared line by
 * line, timings left out. PostgreSQL runs in a temporary cluster on the same machine as the CLI (no fsync: the
 * report only reads). On a shared 2-core machine, the ratio, not the absolute figure, is what this says.
 */
const DAYS = Number(process.env.DAYS ?? 90);
const PER_DAY = Number(process.env.SESSIONS_PER_DAY ?? 11_100);
const RUNS = Number(process.env.RUNS ?? 3);

if (SKIP_NO_POSTGRES) {
  console.log(`skipped: ${SKIP_NO_POSTGRES}`);
  process.exit(0);
}

const seconds = (t0: number) => (performance.now() - t0) / 1000;

async function timed(args: string[]): Promise<{ s: number; stdout: string }> {
  const t0 = performance.now();
  const r = await cli(args);
  if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  return { s: seconds(t0), stdout: r.stdout };
}

const pg = await startPostgres();
// Made afresh each run and removed after (the DuckDB store of a million sessions is about 100 MB).
const folders = [tempDir('levers-bench-pg-'), tempDir('levers-bench-duck-')] as const;
try {
  const url = await pg.createDatabase('report');
  const onPg = ['--store', folders[0], '--database', url];
  const onDuck = ['--store', folders[1]];
  await timed([...onPg, 'db', 'migrate']);
  const sim = ['simulate', '--seed', '21', '--days', String(DAYS), '--sessions-per-day', String(PER_DAY)];
  const loadPg = await timed([...onPg, ...sim]);
  const loadDuck = await timed([...onDuck, ...sim]);
  const sessions = /sessions +([\d,]+)/.exec(loadPg.stdout)?.[1] ?? '?';
  console.log(
    `levers report over ${sessions} sessions (${DAYS} days at ${PER_DAY.toLocaleString('en-US')} a day)`,
  );
  console.log(`  levers simulate: PostgreSQL ${loadPg.s.toFixed(1)} s, DuckDB ${loadDuck.s.toFixed(1)} s`);

  const times = { pg: [] as number[], duck: [] as number[] };
  let answers = { pg: '', duck: '' };
  for (let i = 0; i < RUNS; i++) {
    const p = await timed([...onPg, 'report', '--json']);
    const d = await timed([...onDuck, 'report', '--json']);
    times.pg.push(p.s);
    times.duck.push(d.s);
    answers = { pg: p.stdout, duck: d.stdout };
  }
  const lines = (json: string) => JSON.stringify(figures(JSON.parse(json)), null, 2).split('\n');
  const [a, b] = [lines(answers.pg), lines(answers.duck)];
  const differing = a.filter((l, i) => l !== b[i]).length + Math.abs(a.length - b.length);
  const best = (xs: number[]) => Math.min(...xs);
  const all = (xs: number[]) => xs.map((x) => x.toFixed(1)).join(', ');
  console.log(`  levers report, PostgreSQL 15   ${best(times.pg).toFixed(2)} s  (runs: ${all(times.pg)} s)`);
  console.log(
    `  levers report, DuckDB          ${best(times.duck).toFixed(2)} s  (runs: ${all(times.duck)} s)`,
  );
  console.log(`  ratio PostgreSQL / DuckDB: ${(best(times.pg) / best(times.duck)).toFixed(2)}`);
  console.log(`  JSON answers: ${differing} differing lines of ${b.length} (timings left out)`);
} finally {
  pg.destroy();
  for (const f of folders) rmSync(f, { recursive: true, force: true });
}
