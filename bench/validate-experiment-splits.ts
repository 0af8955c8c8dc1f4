import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { simulate } from '../src/app/simulate.js';
import { analyseExperiment, type VariantSums } from '../src/core/experiments/analysis.js';
import { bucketOf } from '../src/core/experiments/hash.js';
import { openStore } from '../src/store/open.js';

/**
 * Is a store's A/A excess the split method or the splits drawn? validate-experiment.ts re-randomises each simulated
 * store 40–50 times through the server's hash, so its false-positive rates carry the noise of which splits one
 * store happened to get. Here one store like those (same seed, days and appetites) is split many more times,
 * sessions as units, by the server's hash under other experiment ids and by Math.random, over the same sessions
 * and the same analysis: a hash that leaned on something about the sessions would read differently from random.
 *
 * Run: npm run build && node dist/bench/validate-experiment-splits.js [seed] [splits]
 */
const SEED = Number(process.argv[2] ?? 1003);
const SPLITS = Number(process.argv[3] ?? 1000);
const START_MS = Date.UTC(2026, 0, 5);
const HALF = [
  { id: 'a', weight: 0.5 },
  { id: 'b', weight: 0.5 },
];
const KEYS = ['cvr', 'aov', 'rps'] as const;

const dir = mkdtempSync(join(tmpdir(), 'levers-splits-'));
try {
  await simulate(
    openStore(dir),
    {
      seed: SEED,
      days: 56,
      sessionsPerDay: 3000,
      startMs: START_MS,
      currency: 'USD',
      scenario: 'baseline',
      inertExperiments: Array.from({ length: 40 }, (_, k) => ({ id: `aa-${k}`, variants: HALF })),
      appetiteSpread: 1,
    },
    {},
  );
  const db = await (await DuckDBInstance.create(join(dir, 'levers.duckdb'))).connect();
  const from = new Date(START_MS + 28 * 86_400_000).toISOString().slice(0, 10);
  // Treated human sessions of the experiment days (the stamped ones), each with its orders and net revenue.
  const rows = (
    await db.runAndReadAll(
      `WITH o AS (SELECT session_id, count(*) FILTER (WHERE kind = 'sale') AS o,
          sum(coalesce(gross_merchandise, 0) - discount - refunded)::DOUBLE AS r FROM orders GROUP BY 1)
      SELECT s.session_id AS id, s.experiments AS e, coalesce(o.o, 0)::INTEGER AS o, coalesce(o.r, 0) AS r
      FROM sessions s LEFT JOIN o USING (session_id)
      WHERE s.experiments IS NOT NULL AND s.started_at >= $1::TIMESTAMP`,
      [from],
    )
  ).getRowObjects() as { id: string; e: string; o: number; r: number }[];
  const sums = (arm: (x: (typeof rows)[number]) => 'a' | 'b'): VariantSums[] => {
    const out = Object.fromEntries(
      HALF.map((v) => [v.id, { id: v.id, weight: v.weight, n: 0, so: 0, soo: 0, sr: 0, srr: 0, sor: 0 }]),
    ) as Record<'a' | 'b', VariantSums>;
    for (const x of rows) {
      const v = out[arm(x)];
      const r = Math.round(x.r * 100);
      v.n++;
      v.so += x.o;
      v.soo += x.o * x.o;
      v.sr += r;
      v.srr += r * r;
      v.sor += x.o * r;
    }
    return [out.a, out.b];
  };
  const count = (splits: number, arm: (k: number) => (x: (typeof rows)[number]) => 'a' | 'b') => {
    const fp = { cvr: 0, aov: 0, rps: 0 };
    for (let k = 0; k < splits; k++) {
      const c = analyseExperiment(sums(arm(k)), { cuped: false, guardrails: [] }).comparisons[0]!;
      for (const m of KEYS) if (c.changes[m]?.detectable) fp[m]++;
    }
    return KEYS.map((m) => `${m} ${((fp[m] / splits) * 100).toFixed(1)}%`).join(', ');
  };
  const orders = rows.reduce((t, x) => t + x.o, 0);
  console.log(
    `one simulated store (seed ${SEED}): ${rows.length.toLocaleString('en-US')} treated human sessions, ` +
      `${orders.toLocaleString('en-US')} orders, sessions as units, α = 0.05; false positives:`,
  );
  const stamped = (k: number) => (x: (typeof rows)[number]) =>
    new RegExp(`(?:^|;)aa-${k}=([^;]+)`).exec(x.e)![1] as 'a' | 'b';
  console.log(`  its 40 splits as the A/A bench reads them (the server's hash): ${count(40, stamped)}`);
  // Ids of two shapes: the bench's own family continued (aa-40, aa-41, …) and another (split-0, …).
  for (const family of ['aa', 'split']) {
    const first = family === 'aa' ? 40 : 0;
    const hashed = (k: number) => (x: (typeof rows)[number]) =>
      bucketOf(`${family}-${first + k}`, x.id) < 0.5 ? 'a' : 'b';
    console.log(
      `  ${SPLITS} splits by the server's hash, experiments ${family}-${first}…${family}-${first + SPLITS - 1}: ${count(SPLITS, hashed)}`,
    );
  }
  const random = () => () => (Math.random() < 0.5 ? 'a' : 'b');
  console.log(`  ${SPLITS} splits by Math.random: ${count(SPLITS, random)}`);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
