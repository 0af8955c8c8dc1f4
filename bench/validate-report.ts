import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { report } from '../src/app/report.js';
import { DEFAULT_REPORT_OPTIONS } from '../src/app/report-options.js';
import { simulate } from '../src/app/simulate.js';
import { leversOf } from '../src/core/metrics/identity.js';
import { NET_BASIS } from '../src/core/metrics/summary.js';
import { leverChanges, leverEstimates, type LeverEstimates } from '../src/core/metrics/uncertainty.js';
import type { Truth } from '../src/sim/simulate.js';
import { openStore } from '../src/store/open.js';
import { withDatabase, type Window } from '../src/store/port.js';

/**
 * Do the report's intervals mean what they say? On simulated stores whose truth is known:
 * - A/A: two stores with the same parameters and different shoppers (seeds), the same fortnight compared: nothing
 *   differs but chance, so at 95% about 5% of changes should be called detectable.
 * - The same within one store, fortnight against the fortnight before: the simulated customer base still grows there
 *   (returning visitors accumulate), a real drift the report may rightly see.
 * - A true change (mobile-shift: device mix; threshold-raise: free shipping from $50 to $75): the store against a
 *   baseline store, over the change's effect window; the interval should cover the simulator's own effect (against its
 *   counterfactual) in about 95% of seeds.
 * Run: npm run build && node dist/bench/validate-report.js [seeds] [aa | changes | mobile-shift | threshold-raise]
 *   [first seed, default 1: a later run on new seeds adds to the count instead of repeating it]
 *   (figures in docs/statistics.md)
 */
const SEEDS = Number(process.argv[2] ?? 100);
const FIRST = Number(process.argv[4] ?? 1);
const DAYS = 70;
const PER_DAY = 1000;
const date = (d: number) => new Date(Date.UTC(2026, 0, 5) + d * 86_400_000).toISOString().slice(0, 10);
const LATE: Window = { from: date(56), to: date(69) };

async function withStore<T>(
  scenario: string,
  seed: number,
  fn: (dir: string, truth: Truth) => Promise<T>,
  shape: { days: number; changeDay: number } = { days: DAYS, changeDay: 56 },
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'levers-validate-'));
  try {
    const sim = await simulate(
      openStore(dir),
      {
        seed,
        days: shape.days,
        sessionsPerDay: PER_DAY,
        startMs: Date.UTC(2026, 0, 5),
        currency: 'USD',
        scenario,
        changeDay: shape.changeDay,
      },
      {},
    );
    return await fn(dir, sim.result.truth);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A store's levers over a window, estimated exactly as the report estimates them (daily totals included). */
async function estimates(dir: string, w: Window): Promise<LeverEstimates> {
  return withDatabase(openStore(dir), async (db) => {
    const [row] = await db
      .aggregates('USD', { by: 'period', period: 'day' }, null, NET_BASIS)
      .then(async (daily) => {
        const rows = await db.aggregates(
          'USD',
          { by: 'window', current: w, previous: { from: '0001-01-01', to: '0001-01-01' } },
          null,
          NET_BASIS,
        );
        const inside = daily.filter((d) => d.key >= w.from && d.key <= w.to);
        return rows.filter((r) => r.key === 'current').map((r) => ({ r, inside }));
      });
    const a = row!.r.aggregate;
    const l = leversOf(a, NET_BASIS, true);
    return leverEstimates(a, l, {
      sessions: row!.inside.map((d) => leversOf(d.aggregate, NET_BASIS, true).sessions ?? 0),
      revenueMinor: row!.inside.map((d) => d.aggregate.units.sr),
    });
  });
}

const KEYS = ['sessions', 'cvr', 'aov', 'rps', 'revenue'] as const;
const pct = (x: number, n: number) => `${((x / n) * 100).toFixed(1)}%`;
const t0 = performance.now();

// 'aa' runs the A/A part only; 'changes' skips it; a scenario's name runs that change only.
const PART = process.argv[3];
const ONLY_CHANGES = PART === 'changes' || PART === 'mobile-shift' || PART === 'threshold-raise';
const aa = Object.fromEntries(KEYS.map((k) => [k, 0])) as Record<(typeof KEYS)[number], number>;
const within = { ...aa };
for (let s = FIRST; s < FIRST + (ONLY_CHANGES ? 0 : SEEDS); s++) {
  const a = await withStore('baseline', 1000 + s, async (dir) => {
    const r = await report(openStore(dir), {
      ...DEFAULT_REPORT_OPTIONS,
      from: LATE.from,
      to: LATE.to,
      segment: [],
      clv: false,
    });
    for (const k of KEYS) if (r.changes?.[k]?.detectable) within[k]++;
    return estimates(dir, LATE);
  });
  const b = await withStore('baseline', 50_000 + s, (dir) => estimates(dir, LATE));
  const c = leverChanges(a, b);
  for (const k of KEYS) if (c[k]?.detectable) aa[k]++;
  // A running count, so a long run can be read (and stopped) part-way.
  const done = s - FIRST + 1;
  if (done % 25 === 0 && done < SEEDS)
    console.log(`  … ${done} pairs: ${KEYS.map((k) => `${k} ${aa[k]}`).join(', ')} detectable`);
}
if (!ONLY_CHANGES) {
  console.log(
    `A/A, ${SEEDS} pairs of stores (${PER_DAY} sessions a day), the same fortnight: changes called detectable at 95%`,
  );
  console.log(`  ${KEYS.map((k) => `${k} ${pct(aa[k], SEEDS)}`).join(', ')}  (nominal 5%)`);
  console.log(`within one store, fortnight vs the fortnight before (a growing customer base drifts):`);
  console.log(`  ${KEYS.map((k) => `${k} ${pct(within[k], SEEDS)}`).join(', ')}`);
}

const METRICS = ['cvr', 'aov', 'rps'] as const;
type Interval = { low: number; high: number };
for (const scenario of ['mobile-shift', 'threshold-raise'].filter(
  (x) => PART !== 'aa' && (!ONLY_CHANGES || PART === 'changes' || PART === x),
)) {
  const covered = { cvr: 0, aov: 0, rps: 0 };
  let detected = 0;
  const runs: { r: Partial<Record<(typeof METRICS)[number], Interval>>; t: Record<string, number | null> }[] =
    [];
  for (let s = FIRST; s < FIRST + SEEDS; s++) {
    // The counterfactual population: the same scenario, another seed, its change made only after the window.
    const base = await withStore(scenario, 70_000 + s, (dir) => estimates(dir, LATE), {
      days: DAYS + 1,
      changeDay: DAYS,
    });
    await withStore(scenario, 2000 + s, async (dir, truth) => {
      const after = await estimates(dir, {
        from: truth.scenario.effectWindow!.from,
        to: truth.scenario.effectWindow!.to,
      });
      const c = leverChanges(base, after);
      const e = truth.effect!;
      const t = { cvr: e.cvr.relative, aov: e.aovMinor.relative, rps: e.rpsMinor.relative };
      const r: (typeof runs)[number]['r'] = {};
      for (const k of METRICS) {
        const x = c[k]?.relative;
        if (x) r[k] = x;
        if (x && t[k] != null && x.low <= t[k]! && t[k]! <= x.high) covered[k]++;
      }
      runs.push({ r, t });
      if (c.rps?.detectable) detected++;
    });
  }
  // The interval compares two independent stores, so what it estimates is the change in the population of
  // shoppers: the mean of the realised effects over the seeds (each realised on its own shoppers against their
  // counterfactual, whose own noise the interval does not carry).
  const population = Object.fromEntries(
    METRICS.map((k) => {
      const ts = runs.map((x) => x.t[k]).filter((v): v is number => v != null);
      return [k, ts.reduce((a, b) => a + b, 0) / Math.max(1, ts.length)];
    }),
  ) as Record<(typeof METRICS)[number], number>;
  const coversPopulation = (k: (typeof METRICS)[number]) =>
    runs.filter((x) => x.r[k] && x.r[k]!.low <= population[k] && population[k] <= x.r[k]!.high).length;
  console.log(
    `${scenario}, ${SEEDS} seeds: true change (vs counterfactual) RPS ${(population.rps * 100).toFixed(1)}% on average; ` +
      `the 95% interval covers the population change (the mean over seeds) in ${pct(coversPopulation('rps'), SEEDS)} (RPS), ` +
      `${pct(coversPopulation('cvr'), SEEDS)} (CVR), ${pct(coversPopulation('aov'), SEEDS)} (AOV) of seeds, ` +
      `and each seed's own realised change in ${pct(covered.rps, SEEDS)} (RPS), ${pct(covered.cvr, SEEDS)} (CVR), ` +
      `${pct(covered.aov, SEEDS)} (AOV); RPS change called detectable in ${pct(detected, SEEDS)}`,
  );
}
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
