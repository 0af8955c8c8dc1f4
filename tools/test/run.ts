import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The test runner behind `npm test` (the fast suite), `npm run test:heavy` and `npm run test:all` (what CI runs).
 * Heavy test files are listed here, each with why, rather than tagged inside the files, so that the list is read in
 * one place and a test moves between suites without touching its file. Both suites run on node's own test runner.
 *
 * Run: node dist/tools/test/run.js [--heavy | --all]
 */
export const HEAVY: Readonly<Record<string, string>> = {
  'test/output-scan.test.ts': 'every command on four stores, Online Retail and the GA sample among them',
  'test/report.test.ts': 'simulated stores of 30–60 days per scenario',
  'test/postgres-store.test.ts': 'a PostgreSQL cluster; Online Retail loaded by COPY',
  'test/postgres-serve.test.ts': 'a PostgreSQL cluster and two servers',
  'test/postgres-snapshots.test.ts': 'a PostgreSQL cluster and two servers',
  'test/postgres-config.test.ts': 'a PostgreSQL cluster and two servers',
  'test/property-endpoints.test.ts': '10,000 generated requests against a real server',
  'test/recs.test.ts': 'Online Retail and Groceries mined whole',
  'test/dashboard-browser.test.ts': 'Chromium over every dashboard page',
  'test/widget-browser.test.ts': 'Chromium on the demo shop',
  'test/chat-browser.test.ts': 'Chromium on the demo shop, the chat bubble',
  'test/bandit-e2e.test.ts': 'simulated stores served and replayed',
  'test/experiment-cli.test.ts': 'simulated stores analysed per variant',
  'test/experiment-http.test.ts': 'a simulated store behind a real server',
  'test/experiment-replay-e2e.test.ts': 'three days replayed through a real server',
  'test/ingest-online-retail.test.ts': 'Online Retail, 541,909 lines',
  'test/clv-cdnow.test.ts': 'CDNOW master, 23,570 customers',
  'test/threshold-response.test.ts': 'three simulated stores of 336,000 sessions, each replayed under 17 thresholds',
  'test/rollups.test.ts': 'simulated stores loaded four times; every aggregate read from rollups and from facts',
  'test/serve-cluster.test.ts': 'two worker processes reloaded by SIGHUP under a stream of requests',
  'test/dashboard-cluster.test.ts': 'two worker processes: one sign-in opens both, one sign-out closes both',
  'test/replay-e2e.test.ts': 'a simulated day replayed through a real server, then loaded and reported',
  'test/experiment-e2e.test.ts': 'an offer experiment configured, served, stamped on events and analysed end to end',
};

const ROOT = join(fileURLToPath(import.meta.url), '..', '..', '..', '..');
const DIST = join(ROOT, 'dist');

/** Compiled test files under dist/src and dist/test, as the source path each came from. */
function testFiles(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      if (e.isDirectory()) walk(path);
      else if (e.name.endsWith('.test.js')) out.push(relative(DIST, path).replace(/\.js$/, '.ts'));
    }
  };
  for (const top of ['src', 'test']) if (existsSync(join(DIST, top))) walk(join(DIST, top));
  // A compiled test whose source was moved or deleted is a stale build product, not a test.
  return out.filter((f) => existsSync(join(ROOT, f))).sort();
}

function main(argv: string[]): number {
  const mode = argv.includes('--all') ? 'all' : argv.includes('--heavy') ? 'heavy' : 'fast';
  const files = testFiles();
  // A listed file that no longer exists would silently leave CI's heavy suite short.
  const stale = Object.keys(HEAVY).filter((f) => !files.includes(f));
  if (stale.length) {
    process.stderr.write(`tools/test/run.ts lists heavy tests that do not exist: ${stale.join(', ')}\n`);
    return 1;
  }
  const chosen = files.filter((f) => mode === 'all' || (mode === 'heavy') === f in HEAVY);
  process.stderr.write(`${mode} suite: ${chosen.length} of ${files.length} test files\n`);
  const r = spawnSync(
    process.execPath,
    ['--test', '--test-concurrency=2', ...chosen.map((f) => join(DIST, f.replace(/\.ts$/, '.js')))],
    { stdio: 'inherit', cwd: ROOT },
  );
  return r.status ?? 1;
}

process.exit(main(process.argv.slice(2)));
