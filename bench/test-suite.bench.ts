import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from '../test/helpers.js';
import { benchRow } from './table.js';

/**
 * `npm test`'s time on this machine: the build and the lint (each run as `npm test` runs them), then the fast
 * suite. The issue's goal is absolute (≤ 4 minutes on 2 cores, the README's figure true), so there is no
 * baseline process; the suite's own three parts are printed so a regression shows where it came from.
 */
const seconds = (t0: number) => (performance.now() - t0) / 1000;
function timed(label: string, cmd: string, args: string[]): number {
  const t0 = performance.now();
  const r = spawnSync(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
  const s = seconds(t0);
  if (r.status !== 0)
    throw new Error(`${label} exited ${r.status}: ${r.stdout.slice(-2000)}${r.stderr.slice(-2000)}`);
  console.log(`  ${label.padEnd(34)} ${s.toFixed(1)} s`);
  return s;
}

console.log('npm test, its parts timed');
const build = timed('build (tsc + bundles)', 'npm', ['run', 'build', '--silent']);
const lint = timed('lint (biome)', 'npx', ['biome', 'check', '--error-on-warnings', '.']);
const suite = timed('fast suite', process.execPath, [join(ROOT, 'dist', 'tools', 'test', 'run.js')]);
const total = build + lint + suite;
console.log(`  ${'total'.padEnd(34)} ${total.toFixed(1)} s (${(total / 60).toFixed(1)} min)`);
benchRow({
  workload: '`npm test`',
  levers: `${(total / 60).toFixed(1)} min (build ${build.toFixed(0)} s, lint ${lint.toFixed(0)} s, suite ${suite.toFixed(0)} s)`,
  baseline: '— (goal is absolute)',
  ratio: '—',
  goal: '≤ 4 min on 2 cores, README true',
});
