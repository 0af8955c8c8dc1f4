import { execSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ROOT } from '../../test/helpers.js';
import { configTables } from './config-table.js';

/**
 * The docs' output blocks are real output, and this keeps them so. A block preceded by `<!-- run: NAME -->` is
 * run line by line: lines starting with `$ ` are commands, everything else is their output, rewritten from what
 * the commands print now. Blocks with the same NAME share a sandbox folder (its `.levers` store carries over),
 * run in file order; `<!-- setup: NAME: COMMAND -->` runs a command there without showing it. The sandbox sees
 * the repository's `test/` and `../shared/` at the same relative paths as the repository root does, and
 * `npx levers` is this checkout's CLI.
 *
 *   npm run docs            rewrite the blocks in README.md and docs/*.md, and the configuration tables
 *   npm run docs -- --check exit 1 when a block's output differs (timings masked)
 */
const FILES = ['README.md', 'docs/cli.md', 'docs/http-api.md', 'docs/statistics.md'];
const check = process.argv.includes('--check');
const only = process.argv.find((a) => a.endsWith('.md'));
const base = `/tmp/levers-docs-${process.pid}`;
rmSync(base, { recursive: true, force: true });
mkdirSync(base, { recursive: true });
symlinkSync(resolve(ROOT, '..', 'shared'), join(base, 'shared'));
const cli = `node ${join(ROOT, 'bin', 'levers.js')}`;
const sandboxes = new Set<string>();
// The sandbox's own .levers is the store: a store named in the caller's environment must not leak in.
const { LEVERS_STORE: _ignored, ...callerEnv } = process.env;
const docsEnv = { ...callerEnv, NO_COLOR: '1', TZ: 'UTC' };

function sandbox(name: string): string {
  const dir = join(base, name);
  if (!sandboxes.has(name)) {
    mkdirSync(dir, { recursive: true });
    symlinkSync(join(ROOT, 'test'), join(dir, 'test'));
    sandboxes.add(name);
  }
  return dir;
}

function run(name: string, command: string): string {
  try {
    return execSync(command.replaceAll('npx levers', cli), {
      cwd: sandbox(name),
      env: docsEnv,
      encoding: 'utf8',
      shell: '/bin/bash',
      stdio: ['ignore', 'pipe', 'pipe'],
      maxBuffer: 64 * 1024 * 1024,
    }).replace(/\s+$/, '');
  } catch (e) {
    // A command that exits non-zero (e.g. 3: rows rejected) still prints what the docs show.
    const x = e as { stdout?: string; stderr?: string };
    return `${x.stdout ?? ''}${x.stderr ?? ''}`.replace(/\s+$/, '');
  }
}

// Timings and run stamps differ from run to run and say nothing about the output.
const mask = (s: string) => s.replace(/\d+(\.\d+)? ?(ms|s)\b/g, '…s').replace(/\d{8}T\d{6}/g, '…');
let differ = 0;
// The configuration reference: the tables between the markers come from the schemas.
{
  const path = join(ROOT, 'docs', 'configuration.md');
  const doc = readFileSync(path, 'utf8');
  const re = /(<!-- config-table:start -->\n)[\s\S]*?(\n<!-- config-table:end -->)/;
  const next = doc.replace(re, `$1${configTables().markdown}$2`);
  if (next !== doc) {
    differ++;
    console.log('docs/configuration.md: the configuration tables differ from the schemas');
    if (!check) writeFileSync(path, next);
  }
}
for (const file of FILES.filter((f) => !only || f === only)) {
  const path = join(ROOT, file);
  const lines = readFileSync(path, 'utf8').split('\n');
  const out: string[] = [];
  let name: string | null = null;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const setup = /^<!-- setup: ([\w-]+): (.*) -->$/.exec(line);
    if (setup) run(setup[1]!, setup[2]!);
    const marker = /^<!-- run: ([\w-]+) -->$/.exec(line);
    if (marker) name = marker[1]!;
    out.push(line);
    if (!name || !line.startsWith('```')) continue;
    // The block after the marker: keep its commands, replace what follows each one with its output now.
    let j = i + 1;
    const old: string[] = [];
    const fresh: string[] = [];
    while (j < lines.length && !lines[j]!.startsWith('```')) {
      const l = lines[j]!;
      old.push(l);
      if (l.startsWith('$ ')) {
        fresh.push(l);
        const printed = run(name, l.slice(2));
        if (printed) fresh.push(...printed.split('\n'));
      }
      j++;
    }
    if (mask(old.join('\n')) !== mask(fresh.join('\n'))) {
      differ++;
      console.log(`${file}:${i + 1}: output differs (${name})`);
    }
    out.push(...fresh, lines[j] ?? '```');
    i = j;
    name = null;
  }
  if (!check) writeFileSync(path, out.join('\n'));
}
console.log(check ? `${differ} block(s) differ` : `rewritten; ${differ} block(s) changed`);
process.exitCode = check && differ ? 1 : 0;
