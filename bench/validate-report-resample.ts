import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { simulate } from '../src/app/simulate.js';
import { Rng } from '../src/core/rng.js';
import { compare } from '../src/core/stats/compare.js';
import { type Estimate, meanOf, ratioOf } from '../src/core/stats/estimate.js';
import { openStore } from '../src/store/open.js';

/**
 * Is the report's AOV interval (the delta method, sessions as units) itself too narrow for a heavy order-value
 * tail, or do pairs of simulated stores (validate-report.ts's A/A) differ by more than their sessions? One large
 * simulated store; pairs of "fortnights" of N sessions drawn from its sessions with replacement (i.i.d. by
 * construction), each compared by the report's own estimates; the share called detectable at 95% should be 5%.
 * Run: npm run build && node dist/bench/validate-report-resample.js [pairs] [sessions per side] [seed]
 */
const PAIRS = Number(process.argv[2] ?? 20_000);
const N = Number(process.argv[3] ?? 14_000);
const SEED = Number(process.argv[4] ?? 77);

const dir = mkdtempSync(join(tmpdir(), 'levers-resample-'));
try {
  await simulate(
    openStore(dir),
    {
      seed: SEED,
      days: 70,
      sessionsPerDay: 10_000,
      startMs: Date.UTC(2026, 0, 5),
      currency: 'USD',
      scenario: 'baseline',
    },
    {},
  );
  const inst = await DuckDBInstance.create(join(dir, 'levers.duckdb'));
  const conn = await inst.connect();
  // Each session after the first fortnight (a customer base already built) with its sale orders and net revenue.
  const rows = (
    await conn.runAndReadAll(`SELECT count(o.order_id)::INTEGER AS o,
      coalesce(sum(o.gross_merchandise - o.discount - o.refunded), 0)::DOUBLE AS r
    FROM sessions s LEFT JOIN orders o ON o.session_id = s.session_id AND o.kind = 'sale' AND o.status <> 'cancelled'
    WHERE s.started_at >= DATE '2026-01-19' GROUP BY s.session_id`)
  ).getRowObjectsJS() as { o: number; r: number }[];
  conn.closeSync();
  inst.closeSync();
  const orders = Float64Array.from(rows, (x) => x.o);
  const revenue = Float64Array.from(rows, (x) => x.r);
  const rng = new Rng(SEED);
  const side = () => {
    let sx = 0,
      sxx = 0,
      sy = 0,
      syy = 0,
      sxy = 0;
    for (let i = 0; i < N; i++) {
      const j = Math.floor(rng.next() * rows.length);
      const x = revenue[j] as number;
      const y = orders[j] as number;
      sx += x;
      sxx += x * x;
      sy += y;
      syy += y * y;
      sxy += x * y;
    }
    return { n: N, sx, sxx, sy, syy, sxy };
  };
  const called = { aov: 0, rps: 0, cvr: 0 };
  const hit = (a: Estimate | null, b: Estimate | null) => (a && b && compare(a, b).detectable ? 1 : 0);
  for (let p = 0; p < PAIRS; p++) {
    const a = side();
    const b = side();
    called.aov += hit(ratioOf(a), ratioOf(b));
    called.rps += hit(meanOf({ ...a, sy: N, syy: N, sxy: a.sx }), meanOf({ ...b, sy: N, syy: N, sxy: b.sx }));
    called.cvr += hit(
      meanOf({ n: N, sx: a.sy, sxx: a.syy, sy: N, syy: N, sxy: a.sy }),
      meanOf({ n: N, sx: b.sy, sxx: b.syy, sy: N, syy: N, sxy: b.sy }),
    );
  }
  const pct = (k: number) => `${((k / PAIRS) * 100).toFixed(2)}%`;
  console.log(
    `${rows.length.toLocaleString('en-US')} sessions, ${orders.reduce((s, x) => s + x, 0).toLocaleString('en-US')} orders ` +
      `(seed ${SEED}); ${PAIRS.toLocaleString('en-US')} resampled A/A pairs of ${N.toLocaleString('en-US')} sessions, ` +
      `called detectable at 95%: aov ${pct(called.aov)}, rps ${pct(called.rps)}, cvr ${pct(called.cvr)} (nominal 5%)`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
