import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerExperiment, offerExperimentOf, variantSums } from '../src/app/experiment.js';
import type { Experiment } from '../src/core/experiments/config.js';
import { simulate } from '../src/app/simulate.js';
import { analyseExperiment, type MetricKey, type VariantSums } from '../src/core/experiments/analysis.js';
import { addSums, EMPTY_SUMS, type LeverSums } from '../src/core/metrics/identity.js';
import { NET_BASIS } from '../src/core/metrics/summary.js';
import type { InertExperiment } from '../src/sim/params.js';
import type { Truth } from '../src/sim/simulate.js';
import { openStore } from '../src/store/open.js';
import { type Database, withDatabase } from '../src/store/port.js';

/**
 * Do experiment verdicts mean what they say (E4)? One command, two parts, on simulated stores whose sessions are
 * assigned by the same hash as levers serve, read through the store's own per-variant SQL and the analysis core.
 *
 * A/A: each store carries many experiments that change nothing (every human treated session stamped with a 50/50
 * variant per experiment, as levers serve stamps it), so each is an independent re-randomisation of the same
 * shoppers, and one more split delivered 52/48 while configured 50/50. Per A/A experiment: the fixed-horizon
 * false-positive rate with and without CUPED; daily looks for 28 days with fixed-horizon intervals (the peeking
 * error) and with the always-valid ones; SRM flags; and power at the stated MDE, the MDE's lift injected into one
 * arm's revenue (revenue × (1 + MDE): CVR unchanged, AOV and RPS lifted by exactly the MDE).
 *
 * A/B: a free-shipping threshold experiment ($50 vs $75) whose truth is every treated session replayed under each
 * threshold: the 95% interval should cover the true lift in about 95% of seeds.
 *
 * Run: npm run build && node dist/bench/validate-experiment.js [stores] [experimentsPerStore] [abSeeds] [visitorSplitsPerStore]
 */
const STORES = Number(process.argv[2] ?? 20);
// Shoppers in the A/A stores have lifelong appetites (log-normal σ = 1, see APPETITE), so CUPED has something to use.
const PER_STORE = Number(process.argv[3] ?? 50);
const AB_SEEDS = Number(process.argv[4] ?? 100);
/** A/A splits per store with visitors as units (default: as many as with sessions). */
const VISITOR_SPLITS = Number(process.argv[5] ?? PER_STORE);
const DAYS = 28;
/** Days of the store's history before the A/A experiments start: returning customers' spend, CUPED's covariate. */
const HISTORY = 28;
const PER_DAY = 3000;
const KEYS = ['cvr', 'aov', 'rps'] as const;
const START_MS = Date.UTC(2026, 0, 5);
const HALF = [
  { id: 'a', weight: 0.5 },
  { id: 'b', weight: 0.5 },
];

const counter = () => ({ cvr: 0, aov: 0, rps: 0 });
/** Winsorised at the 99th percentile of the units that bought (the experiment's capping option). */
const CAP = 0.99;
const aa = {
  runs: 0,
  plain: counter(),
  capped: counter(),
  /** Per store: its A/A runs and false positives, for an interval with stores as clusters (splits of one store share its shoppers). */
  perStore: [] as {
    runs: number;
    plain: Record<(typeof KEYS)[number], number>;
    capped: Record<(typeof KEYS)[number], number>;
  }[],
  cuped: counter(),
  peekFixed: counter(),
  peekSequential: counter(),
  srm: 0,
  broken: 0,
  brokenRuns: 0,
  power: { rps: 0, aov: 0 },
  powerRuns: { rps: 0, aov: 0 },
  reduction: { cvr: [] as number[], rps: [] as number[] },
  /** The same A/A splits with visitors as units (a customer keeps one variant), read with and without CUPED. */
  visitors: {
    runs: 0,
    plain: { cvr: 0, rps: 0 },
    cuped: { cvr: 0, rps: 0 },
    reduction: { cvr: [] as number[], rps: [] as number[] },
  },
};
/** Shoppers differ for life (log-normal appetite σ): a customer's past spend predicts the next, as in real stores. */
const APPETITE = 1;

/** Revenue × k in one arm: AOV and RPS × k exactly, CVR unchanged. */
function lifted(v: VariantSums, k: number): VariantSums {
  const pre = v.pre && { ...v.pre, srx: v.pre.srx * k };
  return { ...v, sr: v.sr * k, srr: v.srr * k * k, sor: v.sor * k, ...(pre ? { pre } : {}) };
}

/** A verdict an operator would act on: ship or stop. */
const acted = (vs: VariantSums[], primary: MetricKey, sequential: boolean) => {
  const code = analyseExperiment(vs, {
    primary,
    guardrails: [],
    cuped: false,
    sequential: sequential ? { tuning: 5000 } : null,
  }).comparisons[0]!.verdict.code;
  return code === 'SHIP' || code === 'STOP_HARM';
};

async function aaStore(seed: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'levers-aa-'));
  const inert: InertExperiment[] = [
    ...Array.from({ length: PER_STORE }, (_, k) => ({ id: `aa-${k}`, variants: HALF })),
    ...Array.from({ length: VISITOR_SPLITS }, (_, k) => ({
      id: `av-${k}`,
      variants: HALF,
      unit: 'visitor' as const,
    })),
    {
      id: 'broken',
      variants: [
        { id: 'a', weight: 0.52 },
        { id: 'b', weight: 0.48 },
      ],
    },
  ];
  const mine = { runs: 0, plain: counter(), capped: counter() };
  aa.perStore.push(mine);
  try {
    const store = openStore(dir);
    await simulate(
      store,
      {
        seed,
        days: HISTORY + DAYS,
        sessionsPerDay: PER_DAY,
        startMs: START_MS,
        currency: 'USD',
        scenario: 'baseline',
        inertExperiments: inert,
        appetiteSpread: APPETITE,
      },
      {},
    );
    await withDatabase(store, async (db) => {
      const range = await db.dataRange();
      const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
      // The experiments are read from the day after the history: what a customer spent before is the covariate.
      const window = { from: day(START_MS + HISTORY * 86_400_000), to: range.last! };
      for (const e of inert) {
        if (e.unit === 'visitor') {
          await visitorAa(db, e.id, window);
          continue;
        }
        const by = { experiment: e.id };
        const rows = await db.aggregates('USD', { by: 'period', period: 'day' }, by, NET_BASIS);
        const cov = await db.covariates('USD', window, by);
        const days = [...new Set(rows.map((r) => r.key))].filter((d) => d >= window.from).sort();
        const cum: Record<string, LeverSums> = { a: EMPTY_SUMS, b: EMPTY_SUMS };
        const peeked = { fixed: new Set<MetricKey>(), sequential: new Set<MetricKey>() };
        // Configured 50/50 in every case: the broken split is read against the weights it was meant to have.
        const arms = (pre: boolean) =>
          HALF.map((v) =>
            variantSums(v.id, v.weight, cum[v.id], pre ? cov.find((c) => c.segment === v.id) : undefined),
          );
        for (const day of days) {
          // Sessions outside the experiment (the global holdout, bots) come back as a group of their own.
          for (const r of rows)
            if (r.key === day && r.segment in cum)
              cum[r.segment] = addSums(cum[r.segment]!, r.aggregate.units);
          if (e.id === 'broken') continue;
          const vs = arms(false);
          for (const k of KEYS) {
            if (acted(vs, k, false)) peeked.fixed.add(k);
            if (acted(vs, k, true)) peeked.sequential.add(k);
          }
        }
        const plain = analyseExperiment(arms(true), { cuped: false });
        if (e.id === 'broken') {
          aa.brokenRuns++;
          if (plain.srm.flagged) aa.broken++;
          continue;
        }
        aa.runs++;
        mine.runs++;
        if (plain.srm.flagged) aa.srm++;
        const c = plain.comparisons[0]!;
        // The same split read as levers experiment show reads it with capping on (sessions as units).
        const capped = (
          await offerExperimentOf(db, sessionAa(e.id, window, CAP), { ...window, currency: 'USD' })
        ).analysis.comparisons[0]!;
        for (const k of KEYS) {
          if (capped.changes[k]?.detectable) {
            aa.capped[k]++;
            mine.capped[k]++;
          }
          if (c.changes[k]?.detectable) mine.plain[k]++;
          if (c.changes[k]?.detectable) aa.plain[k]++;
          if (peeked.fixed.has(k)) aa.peekFixed[k]++;
          if (peeked.sequential.has(k)) aa.peekSequential[k]++;
        }
        const withCuped = analyseExperiment(arms(true)).comparisons[0]!;
        for (const k of ['cvr', 'rps'] as const) {
          const x = withCuped.cuped?.[k];
          if (x?.change.detectable) aa.cuped[k]++;
          if (x) aa.reduction[k].push(x.varianceReduction);
        }
        // Order value has no covariate adjustment: its CUPED figure is its plain one.
        if (c.changes.aov?.detectable) aa.cuped.aov++;
        for (const k of ['rps', 'aov'] as const) {
          const mde = c.changes[k]?.mde;
          if (mde == null) continue;
          const [a, b] = arms(false) as [VariantSums, VariantSums];
          const after = analyseExperiment([a, lifted(b, Math.exp(mde))], { cuped: false }).comparisons[0]!;
          aa.powerRuns[k]++;
          if (after.changes[k]?.detectable && after.changes[k]!.absolute.low > 0) aa.power[k]++;
        }
      }
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An A/A split with sessions as units as the configuration would declare it, capped at a percentile. */
function sessionAa(id: string, window: { from: string; to: string }, cap: number): Experiment {
  return {
    id,
    hypothesis: 'nothing changes',
    unit: 'session',
    variants: HALF.map((v) => ({ ...v, overrides: {} })),
    start: window.from,
    primary: 'rps',
    guardrails: [],
    capping: { percentile: cap },
  };
}

/** One A/A split with visitors as units, through the same analysis levers experiment show runs. */
async function visitorAa(db: Database, id: string, window: { from: string; to: string }): Promise<void> {
  const e: Experiment = {
    id,
    hypothesis: 'nothing changes',
    unit: 'visitor',
    variants: HALF.map((v) => ({ ...v, overrides: {} })),
    start: window.from,
    primary: 'rps',
    guardrails: [],
  };
  const v = aa.visitors;
  const r = await offerExperimentOf(db, e, { from: window.from, to: window.to, currency: 'USD' });
  const c = r.analysis.comparisons[0]!;
  v.runs++;
  for (const k of ['cvr', 'rps'] as const) {
    if (c.changes[k]?.detectable) v.plain[k]++;
    const x = c.cuped?.[k];
    if (x?.change.detectable) v.cuped[k]++;
    if (x) v.reduction[k].push(x.varianceReduction);
  }
}

async function abStore(seed: number) {
  const dir = mkdtempSync(join(tmpdir(), 'levers-ab-'));
  try {
    const store = openStore(dir);
    const sim = await simulate(
      store,
      {
        seed,
        days: DAYS,
        sessionsPerDay: PER_DAY,
        startMs: START_MS,
        currency: 'USD',
        scenario: 'baseline',
        experiment: {
          id: 'sim-threshold',
          variants: [
            { id: 'v0', weight: 0.5, thresholdMinor: 5000 },
            { id: 'v1', weight: 0.5, thresholdMinor: 7500 },
          ],
        },
      },
      {},
    );
    const truth = (sim.result.truth as Truth).experiment!;
    const r = await offerExperiment(store, 'sim-threshold', { experiments: [] });
    return { truth: truth.effect.v1!, c: r.analysis.comparisons[0]! };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
const seconds = () => ((performance.now() - t0) / 1000).toFixed(0);
for (let s = 1; s <= STORES; s++) {
  await aaStore(1000 + s);
  // Each store's counts as it ends, so a run cut short still gives its figures.
  const m = aa.perStore.at(-1)!;
  const counts = (c: Record<(typeof KEYS)[number], number>) => KEYS.map((k) => `${k} ${c[k]}`).join(' ');
  process.stderr.write(
    `A/A store ${s}/${STORES} (${seconds()} s): ${m.runs} session-unit splits, false positives ${counts(m.plain)}; capped ${counts(m.capped)}\n`,
  );
}
const pct = (x: number, n: number) => `${((x / Math.max(1, n)) * 100).toFixed(1)}%`;
const rates = (c: Record<(typeof KEYS)[number], number>, n: number) =>
  `cvr ${pct(c.cvr, n)}, aov ${pct(c.aov, n)}, rps ${pct(c.rps, n)}`;
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.floor(s.length / 2)]! : Number.NaN;
};
// The range a count of false positives falls in 95% of the time at a true 5% (normal approximation).
const band = (n: number) => {
  const sd = Math.sqrt((0.05 * 0.95) / n);
  return `${((0.05 - 1.96 * sd) * 100).toFixed(1)}–${((0.05 + 1.96 * sd) * 100).toFixed(1)}%`;
};
/**
 * A 95% interval for a false-positive rate with the stores as clusters: the splits of one store re-randomise the
 * same shoppers, so they are not independent draws and the binomial band above is too narrow when stores differ.
 */
const clustered = (pick: (x: (typeof aa.perStore)[number]) => number) => {
  const n = aa.perStore.reduce((t, x) => t + x.runs, 0);
  const rate = aa.perStore.reduce((t, x) => t + pick(x), 0) / Math.max(1, n);
  const s = aa.perStore.length;
  const ss = aa.perStore.reduce((t, x) => t + (pick(x) - rate * x.runs) ** 2, 0);
  const se = s > 1 ? Math.sqrt((s / (s - 1)) * ss) / n : Number.NaN;
  return `${pct(rate - 1.96 * se, 1)}–${pct(rate + 1.96 * se, 1)}`;
};
const clusteredRates = (which: 'plain' | 'capped') =>
  KEYS.map((k) => `${k} ${clustered((x) => x[which][k])}`).join(', ');
const lines = [
  `A/A: ${aa.runs} experiments (${STORES} simulated stores × ${PER_STORE} re-randomised 50/50 splits), ${DAYS} days × ${PER_DAY} sessions after ${HISTORY} days of history, sessions as units, α = 0.05`,
  `  fixed horizon, without CUPED: ${rates(aa.plain, aa.runs)} (a true 5% reads ${band(aa.runs)} at this count)`,
  `    95% intervals with stores as clusters: ${clusteredRates('plain')}`,
  `  fixed horizon, capped at the ${CAP * 100}th percentile: ${rates(aa.capped, aa.runs)}; stores as clusters: ${clusteredRates('capped')}`,
  `  fixed horizon, with CUPED:    ${rates(aa.cuped, aa.runs)} (order value has no covariate adjustment); variance removed, median: cvr ${pct(median(aa.reduction.cvr), 1)}, rps ${pct(median(aa.reduction.rps), 1)}`,
  `  read every day for ${DAYS} days, stopped at the first ship/stop verdict:`,
  `    fixed-horizon intervals:  ${rates(aa.peekFixed, aa.runs)}`,
  `    always-valid intervals:   ${rates(aa.peekSequential, aa.runs)}`,
  `  SRM (p < 0.001) flagged: ${pct(aa.srm, aa.runs)} of A/A splits; ${pct(aa.broken, aa.brokenRuns)} of ${aa.brokenRuns} splits delivered 52/48 but configured 50/50`,
  `  power at the stated MDE (planned 80%), the MDE's lift injected into one arm's revenue: rps ${pct(aa.power.rps, aa.powerRuns.rps)}, aov ${pct(aa.power.aov, aa.powerRuns.aov)}`,
  ...(aa.visitors.runs
    ? [
        `A/A with visitors as units (a customer keeps one variant; CVR and RPS per session over visitors): ${aa.visitors.runs} experiments, ${STORES} stores × ${VISITOR_SPLITS}`,
        `  without CUPED: cvr ${pct(aa.visitors.plain.cvr, aa.visitors.runs)}, rps ${pct(aa.visitors.plain.rps, aa.visitors.runs)}`,
        `  with CUPED:    cvr ${pct(aa.visitors.cuped.cvr, aa.visitors.runs)}, rps ${pct(aa.visitors.cuped.rps, aa.visitors.runs)}; variance removed, median: cvr ${pct(median(aa.visitors.reduction.cvr), 1)}, rps ${pct(median(aa.visitors.reduction.rps), 1)}`,
      ]
    : []),
];
console.log(lines.join('\n'));

const cover = { cvr: 0, aov: 0, rps: 0 };
let detected = 0;
let truthRps = 0;
for (let s = 1; s <= AB_SEEDS; s++) {
  const b = await abStore(200 + s);
  for (const k of KEYS) {
    const rel = b.c.changes[k]?.relative;
    if (rel && rel.low <= b.truth[k] && b.truth[k] <= rel.high) cover[k]++;
  }
  if (b.c.changes.rps?.detectable) detected++;
  truthRps += b.truth.rps;
  if (s % 10 === 0) process.stderr.write(`A/B seed ${s}/${AB_SEEDS} (${seconds()} s)\n`);
}
if (AB_SEEDS > 0)
  console.log(
    `A/B ($50 vs $75 free-shipping threshold, ${AB_SEEDS} seeds, true RPS lift ${((truthRps / AB_SEEDS) * 100).toFixed(1)}% on average): ` +
      `the 95% interval covers the truth in ${rates(cover, AB_SEEDS)}; RPS change detectable in ${pct(detected, AB_SEEDS)}`,
  );
console.log(`(${seconds()} s)`);
