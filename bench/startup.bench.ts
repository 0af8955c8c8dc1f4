import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../test/helpers.js';
import { benchRow, ratioOf } from './table.js';

/**
 * Start-up: wall time of whole `levers` processes beside a node process that imports nothing (`node -e 0`), the
 * floor any command pays. Each side runs the same number of times, interleaved so that a noisy neighbour
 * slows every side alike; medians are printed with the ratio to the floor.
 *
 *   node dist/bench/startup.bench.js [--runs N] [--bin OTHER/bin/levers.js]
 *
 * --bin adds the same commands run by another build (e.g. a checkout before a change), in the same rounds.
 */
const args = process.argv.slice(2);
const runs = Number(args[args.indexOf('--runs') + 1] || 0) || 15;
const other = args.includes('--bin') ? args[args.indexOf('--bin') + 1] : undefined;

const dir = mkdtempSync(join(tmpdir(), 'levers-startup-'));
// A small basket file: `mine --baskets` is a real command (it mines and saves a model) that needs no database.
const baskets = join(dir, 'baskets.csv');
const items = ['coffee', 'milk', 'sugar', 'filter', 'mug', 'tea', 'honey', 'lemon'];
writeFileSync(
  baskets,
  `${Array.from({ length: 200 }, (_, i) => items.filter((_, j) => (i * 7 + j * 3) % 5 < 2).join(',')).join('\n')}\n`,
);

interface Case {
  label: string;
  argv: string[];
}

const levers = (bin: string, tag: string): Case[] => [
  { label: `levers --help${tag}`, argv: [bin, '--help'] },
  { label: `levers report --help${tag}`, argv: [bin, 'report', '--help'] },
  {
    label: `levers mine --baskets (200)${tag}`,
    argv: [bin, '--store', join(dir, `store${tag ? '-other' : ''}`), 'mine', '--baskets', baskets],
  },
];

const cases: Case[] = [
  { label: 'baseline: node -e 0', argv: ['-e', '0'] },
  ...levers(join(ROOT, 'bin', 'levers.js'), ''),
  ...(other ? levers(other, ' (--bin)') : []),
];

function once(c: Case): number {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, c.argv, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const ms = performance.now() - t0;
  if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}: ${r.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

const times = new Map<string, number[]>(cases.map((c) => [c.label, []]));
for (const c of cases) once(c); // warm the file cache once, untimed
for (let r = 0; r < runs; r++) for (const c of cases) times.get(c.label)?.push(once(c));
rmSync(dir, { recursive: true, force: true });

const floor = median(times.get('baseline: node -e 0') ?? []);
console.log(`start-up (${runs} runs each, interleaved; medians)`);
for (const c of cases) {
  const ms = times.get(c.label) ?? [];
  const m = median(ms);
  const extra =
    c.argv[0] === '-e' ? '' : `  ${(m / floor).toFixed(2)}x the baseline, +${(m - floor).toFixed(0)} ms`;
  console.log(
    `  ${c.label.padEnd(38)} ${(m / 1000).toFixed(3)} s  (min ${(Math.min(...ms) / 1000).toFixed(3)})${extra}`,
  );
}
const helpMs = median(times.get('levers --help') ?? []);
const mineMs = median(times.get('levers mine --baskets (200)') ?? []);
benchRow({
  workload: "any command's start-up (`--help`, `mine`)",
  levers: `--help ${(helpMs / 1000).toFixed(3)} s, mine ${(mineMs / 1000).toFixed(3)} s`,
  baseline: `node -e 0 ${(floor / 1000).toFixed(3)} s`,
  ratio: `${ratioOf(helpMs, floor)}, ${ratioOf(mineMs, floor)}`,
  goal: '< 0.15 s; commands load what they use',
});
