import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../src/app/report.js';
import { ReportOptionsSchema } from '../src/app/report-options.js';
import { simulate } from '../src/app/simulate.js';
import { openStore } from '../src/store/open.js';

/**
 * Does the free-shipping estimate follow the shoppers' true response? Stores whose shoppers top up 0.4×, 1× and
 * 1.5× as often as the simulator's own model, a $50 threshold in force; the simulator replays each run under
 * every threshold from $40 to $120 (same shoppers, common random numbers) for the true profit per session. The
 * report knows nothing of the factor: it measures the response from the store's events.
 * Run: npm run build && node dist/bench/validate-threshold.js [days] [sessionsPerDay] [seed]
 */
const DAYS = Number(process.argv[2] ?? 84);
const PER_DAY = Number(process.argv[3] ?? 4000);
const SEED = Number(process.argv[4] ?? 9);
const GRID = Array.from({ length: 17 }, (_, i) => 4000 + i * 500);

export interface ThresholdCheck {
  factor: number;
  trueBest: number;
  recommended: number;
  /** True profit per session (minor units) at the recommendation and at the true best, against $50. */
  trueGainAtRecommended: number;
  trueBestGain: number;
  predictedGain: number;
  predictedRange: { low: number; high: number } | null;
  topUpStrength: number;
}

export async function checkThreshold(factor: number, days: number, perDay: number, seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'levers-threshold-'));
  try {
    const store = openStore(dir);
    const sim = await simulate(
      store,
      {
        seed,
        days,
        sessionsPerDay: perDay,
        startMs: Date.UTC(2026, 0, 5),
        currency: 'USD',
        scenario: 'baseline',
        thresholdGrid: GRID,
        topUpFactor: factor,
      },
      {},
    );
    const grid = sim.result.truth.thresholds!.grid;
    const at = (T: number) => grid.find((g) => g.thresholdMinor === T * 100)!.profitPerSessionMinor;
    const last = new Date(Date.UTC(2026, 0, 5) + (days - 1) * 86_400_000).toISOString().slice(0, 10);
    const r = await report(
      store,
      ReportOptionsSchema.parse({
        from: '2026-01-05',
        to: last,
        freeShippingThreshold: '50',
        shippingFee: '6.95',
        segment: '',
        clv: false,
      }),
    );
    const fs = r.freeShipping!;
    const perSession = (x: number) => (x / r.current.sessions!) * 100;
    const best = grid.reduce((b, g) => (g.profitPerSessionMinor > b.profitPerSessionMinor ? g : b));
    return {
      factor,
      trueBest: best.thresholdMinor / 100,
      recommended: fs.best!.threshold,
      trueGainAtRecommended: at(fs.best!.threshold) - at(50),
      trueBestGain: best.profitPerSessionMinor - at(50),
      predictedGain: perSession(fs.best!.profitChange),
      predictedRange: fs.bestRange
        ? { low: perSession(fs.bestRange.low), high: perSession(fs.bestRange.high) }
        : null,
      topUpStrength: fs.response.bridgeAtThreshold.value,
    } satisfies ThresholdCheck;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1]?.endsWith('validate-threshold.js')) {
  const t0 = performance.now();
  console.log(
    `free-shipping threshold, ${DAYS} days × ${PER_DAY} sessions, seed ${SEED}; gains in cents per session ` +
      'against the $50 in force',
  );
  for (const f of [0.4, 1, 1.5]) {
    const c = await checkThreshold(f, DAYS, PER_DAY, SEED);
    const range = c.predictedRange
      ? ` [${c.predictedRange.low.toFixed(2)}, ${c.predictedRange.high.toFixed(2)}]`
      : '';
    console.log(
      `  top-up ${f}×: measured strength ${c.topUpStrength.toFixed(2)}; recommended $${c.recommended} ` +
        `(true best $${c.trueBest}, ${Math.abs(c.recommended - c.trueBest) / 5} step(s) away); ` +
        `predicted gain ${c.predictedGain.toFixed(2)}${range}, true gain there ${c.trueGainAtRecommended.toFixed(2)} ` +
        `(${((c.predictedGain / c.trueGainAtRecommended - 1) * 100).toFixed(0)}%), true best gain ${c.trueBestGain.toFixed(2)}`,
    );
  }
  console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
}
