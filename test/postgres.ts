import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A real PostgreSQL for the tests: a fresh cluster in a temporary folder (initdb, pg_ctl), on a free port of
 * 127.0.0.1, trusting local connections, removed after. pg_ctl refuses to run as root, so as root the cluster
 * belongs to the `postgres` user (Debian's package creates it) and the binaries run through runuser.
 */
// Debian's packages put each major version under /usr/lib/postgresql/<major>/bin: 15 first, else the newest.
const DEBIAN = '/usr/lib/postgresql';
const majors = existsSync(DEBIAN)
  ? readdirSync(DEBIAN)
      .filter((d) => /^\d+$/.test(d))
      .sort((a, b) => (a === '15' ? -1 : b === '15' ? 1 : Number(b) - Number(a)))
  : [];
const BIN_DIRS = [...majors.map((m) => join(DEBIAN, m, 'bin')), '/usr/local/bin', '/usr/bin'];
const BIN = BIN_DIRS.find((d) => existsSync(join(d, 'initdb')) && existsSync(join(d, 'pg_ctl')));

/** Why the PostgreSQL tests cannot run here (false when they can): only the binaries' absence skips them. */
export const SKIP_NO_POSTGRES = BIN
  ? false
  : `PostgreSQL binaries (initdb, pg_ctl) are absent from ${BIN_DIRS.join(', ')}; .ci/run installs them`;

const asRoot = process.getuid?.() === 0;

function pgRun(tool: string, args: string[]): string {
  const bin = join(BIN!, tool);
  const [cmd, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  return execFileSync(cmd, argv, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface TestPostgres {
  /** postgres://levers@127.0.0.1:port/<name>: a database created for the caller. */
  url(database?: string): string;
  createDatabase(name: string): Promise<string>;
  /** Stops the server (an outage) and starts it again on the same port and data. */
  stop(): void;
  start(): void;
  destroy(): void;
}

/** `durable`: fsync on, as in production (benchmarks); tests run without it, on a shared machine's slow disk. */
export async function startPostgres(o: { durable?: boolean } = {}): Promise<TestPostgres> {
  if (!BIN) throw new Error(String(SKIP_NO_POSTGRES));
  const dir = mkdtempSync(join(tmpdir(), 'levers-pg-'));
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres'], { encoding: 'utf8' }).trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres'], { encoding: 'utf8' }).trim());
    chownSync(dir, uid, gid);
  }
  const data = join(dir, 'data');
  const port = await freePort();
  // A linguistic collation (ICU en-US), as most production databases have, not C: text must sort as in DuckDB
  // all the same.
  const locale = ['--locale=C.UTF-8', '--locale-provider=icu', '--icu-locale=en-US'];
  pgRun('initdb', ['-D', data, '-U', 'levers', '--auth=trust', '-E', 'UTF8', ...locale, '--no-sync']);
  // fsync off: a test cluster need not survive a power cut, and the shared machine's disk is slow.
  const fast = o.durable ? '' : ' -c fsync=off -c full_page_writes=off';
  const opts = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1${fast}`;
  const start = () => pgRun('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-o', opts, '-w', 'start']);
  const stop = () => pgRun('pg_ctl', ['-D', data, '-m', 'fast', '-w', 'stop']);
  start();
  const url = (db = 'postgres') => `postgres://levers@127.0.0.1:${port}/${db}`;
  return {
    url,
    async createDatabase(name) {
      const { default: pg } = await import('pg');
      const c = new pg.Client({ connectionString: url() });
      await c.connect();
      try {
        await c.query(`CREATE DATABASE "${name.replace(/"/g, '""')}"`);
      } finally {
        await c.end();
      }
      return url(name);
    },
    stop,
    start,
    destroy() {
      try {
        stop();
      } catch {
        // Already stopped (a test's outage): the folder goes either way.
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** What differs between two runs of the same analysis by nature: timings, run ids, where files went. */
const RUN_KEYS = /(Ms|Seconds)$|^(seconds|runId|unchangedSince|rejectsFile|store|where|truthFile)$/;

/** A command's JSON answer without what differs by nature between runs, to compare DuckDB's and PostgreSQL's. */
// biome-ignore lint/suspicious/noExplicitAny: the CLI's JSON compared as a whole
export function figures(v: any): any {
  if (Array.isArray(v)) return v.map(figures);
  if (v && typeof v === 'object')
    return Object.fromEntries(
      Object.entries(v)
        .filter(([k]) => !RUN_KEYS.test(k))
        .map(([k, x]) => [k, figures(x)]),
    );
  return v;
}
