import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { offerExperiment } from '../src/app/experiment.js';
import { simulate } from '../src/app/simulate.js';
import type { Truth } from '../src/sim/simulate.js';
import { openStore } from '../src/store/open.js';

/**
 * Do experiment intervals mean what they say (E4)? Simulated stores run a free-shipping threshold experiment
 * (sessions assigned by the same hash as levers serve); the simulator replays every session under each variant
 * for the true effect. A/A ($50 vs $50, true effect 0): about 5% of RPS, CVR and AOV lifts should be called
 * detectable. A/B ($50 vs $75): the 95% interval should cover the true lift in about 95% of seeds.
 * Run: npm run build && node dist/bench/validate-experiment.js [seeds] [days] [sessionsPerDay]
 */
const SEEDS = Number(process.argv[2] ?? 40);
const DAYS = Number(process.argv[3] ?? 28);
const PER_DAY = Number(process.argv[4] ?? 3000);
const KEYS = ['cvr', 'aov', 'rps'] as const;

async function run(seed: number, thresholds: number[]) {
  const dir = mkdtempSync(join(tmpdir(), 'levers-exp-'));
  try {
    const store = openStore(dir);
    const sim = await simulate(
      store,
      {
        seed,
        days: DAYS,
        sessionsPerDay: PER_DAY,
        startMs: Date.UTC(2026, 0, 5),
        currency: 'USD',
        scenario: 'baseline',
        experiment: {
          id: 'sim-threshold',
          variants: thresholds.map((t, i) => ({
            id: `v${i}`,
            weight: 1 / thresholds.length,
            thresholdMinor: t,
          })),
        },
      },
      {},
    );
    const truth = (sim.result.truth as Truth).experiment!;
    const r = await offerExperiment(store, 'sim-threshold', { experiments: [] });
    return { truth: truth.effect.v1!, c: r.analysis.comparisons[0]!, srm: r.analysis.srm.flagged };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const t0 = performance.now();
const aa = { cvr: 0, aov: 0, rps: 0, srm: 0 };
const cover = { cvr: 0, aov: 0, rps: 0 };
let detected = 0;
let truthRps = 0;
for (let s = 1; s <= SEEDS; s++) {
  const a = await run(100 + s, [5000, 5000]);
  for (const k of KEYS) if (a.c.changes[k]?.detectable) aa[k]++;
  if (a.srm) aa.srm++;
  const b = await run(200 + s, [5000, 7500]);
  for (const k of KEYS) {
    const rel = b.c.changes[k]?.relative;
    if (rel && rel.low <= b.truth[k] && b.truth[k] <= rel.high) cover[k]++;
  }
  if (b.c.changes.rps?.detectable) detected++;
  truthRps += b.truth.rps;
}
const pct = (x: number) => `${((x / SEEDS) * 100).toFixed(1)}%`;
console.log(
  `experiments on simulated stores, ${SEEDS} seeds, ${DAYS} days × ${PER_DAY} sessions, sessions as units`,
);
console.log(
  `  A/A ($50 vs $50): detectable at 95%: cvr ${pct(aa.cvr)}, aov ${pct(aa.aov)}, rps ${pct(aa.rps)}; SRM flagged ${pct(aa.srm)}`,
);
console.log(
  `  A/B ($50 vs $75, true RPS lift ${((truthRps / SEEDS) * 100).toFixed(1)}% on average): the 95% interval covers the ` +
    `truth in cvr ${pct(cover.cvr)}, aov ${pct(cover.aov)}, rps ${pct(cover.rps)}; RPS change detectable in ${pct(detected)}`,
);
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
