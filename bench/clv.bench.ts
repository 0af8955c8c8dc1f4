import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fitBgNbd } from '../src/core/metrics/clv/bgnbd.js';
import { fitGammaGamma } from '../src/core/metrics/clv/gamma-gamma.js';
import { type CustomerPurchases, dayRange, rfmSummaries } from '../src/core/metrics/clv/rfm.js';
import { DAY_MS } from '../src/core/time.js';
import { ROOT } from '../test/helpers.js';
import { previousFitBgNbd, previousFitGammaGamma } from './clv-previous.js';
import { benchRow, ratioOf } from './table.js';

/**
 * The CLV fits on CDNOW master (23,570 customers, all 78 weeks, as `levers clv` fits them): this fit beside the
 * previous one (clv-previous.ts) in the same process, the same number of runs each, interleaved; and the lifetimes
 * package's method (clv-reference.py, numpy + scipy) as the reference optimum, where python3 has scipy.
 */
const FILE = resolve(ROOT, '..', 'shared', 'data', 'cdnow', 'CDNOW_master.txt');
const RUNS = Number(process.env.RUNS ?? 7);
if (!existsSync(FILE)) {
  console.log(`clv fit: skipped (${FILE} not found)`);
  process.exit(0);
}

const byCustomer = new Map<string, CustomerPurchases>();
for (const line of readFileSync(FILE, 'utf8').trim().split('\n').slice(1)) {
  const [id, date, , dollars] = line.trim().split(/\s+/) as [string, string, string, string];
  const day = Date.UTC(+date.slice(0, 4), +date.slice(4, 6) - 1, +date.slice(6, 8)) / DAY_MS;
  const c = byCustomer.get(id) ?? { customerId: id, days: [], values: [] };
  c.days.push(day);
  c.values.push(Math.round(Number(dollars) * 100));
  byCustomer.set(id, c);
}
const purchases = [...byCustomer.values()];
const { last } = dayRange(purchases);
const rfm = rfmSummaries(purchases, last, last);
const spend = rfm.map((c) => ({ x: c.x, mean: c.meanRepeatMinor / 100 }));

type Fit = () => { logLik: number };
const sides: [string, Fit][] = [
  ['BG/NBD, this fit', () => fitBgNbd(rfm)],
  ['BG/NBD, previous (numeric.uncmin)', () => previousFitBgNbd(rfm)],
  ['Gamma-Gamma, this fit', () => fitGammaGamma(spend)],
  ['Gamma-Gamma, previous', () => previousFitGammaGamma(spend)],
];
const ms = new Map<string, number[]>(sides.map(([k]) => [k, []]));
const ll = new Map<string, number>();
for (let r = 0; r < RUNS; r++)
  for (const [k, fit] of sides) {
    const t0 = performance.now();
    ll.set(k, fit().logLik);
    ms.get(k)?.push(performance.now() - t0);
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? Number.NaN;

let reference: Record<string, { seconds: number; logLik: number }> | null = null;
const dir = mkdtempSync(join(tmpdir(), 'levers-clv-bench-'));
try {
  const summaries = join(dir, 'summaries.json');
  writeFileSync(summaries, JSON.stringify(rfm.map((c) => [c.x, c.tx, c.T, c.meanRepeatMinor / 100])));
  const py = spawnSync('python3', [join(ROOT, 'bench', 'clv-reference.py'), summaries], { encoding: 'utf8' });
  if (py.status === 0) reference = JSON.parse(py.stdout);
} finally {
  rmSync(dir, { recursive: true, force: true });
}

console.log(
  `CLV fit, CDNOW master (${rfm.length.toLocaleString('en-US')} customers), ${RUNS} runs each, interleaved`,
);
for (const [k] of sides) {
  const t = ms.get(k) ?? [];
  console.log(
    `  ${k.padEnd(40)} LL ${ll.get(k)?.toFixed(3).padStart(12)}  median ${(median(t) / 1000).toFixed(3)} s, ` +
      `first run ${((t[0] ?? 0) / 1000).toFixed(3)} s`,
  );
}
if (reference) {
  for (const [k, v] of Object.entries(reference))
    console.log(
      `  ${`${k === 'bgnbd' ? 'BG/NBD' : 'Gamma-Gamma'}, lifetimes' method (scipy)`.padEnd(40)} LL ` +
        `${v.logLik.toFixed(3).padStart(12)}  ${v.seconds.toFixed(3)} s (one run, numpy)`,
    );
} else console.log("  lifetimes' method (scipy): skipped (python3 with numpy and scipy not found)");
const ratio = (a: string, b: string) => (median(ms.get(a) ?? []) / median(ms.get(b) ?? [])).toFixed(2);
console.log(
  `  ratio this / previous: BG/NBD ${ratio('BG/NBD, this fit', 'BG/NBD, previous (numeric.uncmin)')}x, ` +
    `Gamma-Gamma ${ratio('Gamma-Gamma, this fit', 'Gamma-Gamma, previous')}x`,
);
const ours = median(ms.get('BG/NBD, this fit') ?? []) / 1000;
const lifetimes = reference?.bgnbd;
benchRow({
  workload: `CLV, CDNOW master ${rfm.length.toLocaleString('en-US')} customers (BG/NBD fit)`,
  levers: `${ours.toFixed(3)} s, LL ${ll.get('BG/NBD, this fit')?.toFixed(3)}`,
  baseline: lifetimes
    ? `lifetimes' method (scipy) ${lifetimes.seconds.toFixed(3)} s, LL ${lifetimes.logLik.toFixed(3)}`
    : `previous fit ${(median(ms.get('BG/NBD, previous (numeric.uncmin)') ?? []) / 1000).toFixed(3)} s`,
  ratio: ratioOf(
    ours,
    lifetimes?.seconds ?? median(ms.get('BG/NBD, previous (numeric.uncmin)') ?? []) / 1000,
  ),
  goal: "lifetimes' optimum to 1e-3 in LL, fit ≤ 0.2 s",
});
