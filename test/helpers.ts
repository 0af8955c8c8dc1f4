import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

/** Repository root, whether running from test/ or dist/test/. */
export const ROOT = (() => {
  let d = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(d, 'package.json'))) d = dirname(d);
  return d;
})();
export const BIN = join(ROOT, 'bin', 'levers.js');
export const FIXTURES = join(ROOT, 'test', 'fixtures');
export const SHARED_DATA = resolve(ROOT, '..', 'shared', 'data');
export const HAS_SHARED_DATA = existsSync(SHARED_DATA);
export const SKIP_NO_DATA = HAS_SHARED_DATA ? false : `../shared/data is absent (CI has it): ${SHARED_DATA}`;

/** Headless Chromium for the HTML pages' render tests (.ci/run installs it); they skip without it. */
export const CHROMIUM = '/usr/bin/chromium';

export function tempDir(prefix = 'levers-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI in a child process, the way a user does. */
export function cli(
  args: string[],
  opts: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliResult> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      cwd: opts.cwd ?? ROOT,
      env: { ...process.env, LEVERS_STORE: '', ...opts.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolvePromise({ code: code ?? -1, stdout, stderr }));
  });
}

// biome-ignore lint/suspicious/noExplicitAny: tests read the CLI's JSON field by field and assert each one
export async function cliJson<T = any>(
  args: string[],
  opts?: Parameters<typeof cli>[1],
): Promise<{ code: number; json: T; stderr: string }> {
  const r = await cli([...args, '--json'], opts);
  let json: T;
  try {
    json = JSON.parse(r.stdout) as T;
  } catch {
    throw new Error(`not JSON (exit ${r.code}): ${r.stdout}\n${r.stderr}`);
  }
  return { code: r.code, json, stderr: r.stderr };
}

/** Reads a store's database directly (read-only) to check what was really loaded. */
export async function query<T = Record<string, unknown>>(storeDir: string, sql: string): Promise<T[]> {
  const inst = await DuckDBInstance.create(join(storeDir, 'levers.duckdb'), { access_mode: 'READ_ONLY' });
  const conn = await inst.connect();
  try {
    return (await conn.runAndReadAll(sql)).getRowObjectsJson() as T[];
  } finally {
    conn.closeSync();
    inst.closeSync();
  }
}

export interface Running {
  url: string;
  child: ChildProcess;
  /** Everything the process wrote to stderr so far (its structured logs). */
  stderr(): string;
  /** SIGTERM, then the exit code. */
  stop(): Promise<number | null>;
}

/** Starts a long-running CLI command (levers serve, levers demo) and waits for the address it prints. */
export function startCli(
  args: string[],
  ready = /levers serve: (http:\/\/\S+)/,
  env: Record<string, string> = {},
): Promise<Running> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: { ...process.env, LEVERS_STORE: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  return new Promise((resolve, reject) => {
    const look = () => {
      const m = ready.exec(out + err);
      if (m)
        resolve({
          url: m[1]!,
          child,
          stderr: () => err,
          stop: async () => {
            child.kill('SIGTERM');
            return exited;
          },
        });
    };
    child.stdout.on('data', (d) => {
      out += d;
      look();
    });
    child.stderr.on('data', (d) => {
      err += d;
      look();
    });
    void exited.then((code) => reject(new Error(`exited ${code} before it was ready:\n${out}\n${err}`)));
  });
}
