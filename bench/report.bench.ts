import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { report as buildReport } from '../src/app/report.js';
import { DEFAULT_REPORT_OPTIONS } from '../src/app/report-options.js';
import { simulate } from '../src/sim/simulate.js';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';
import type { SqlDatabase } from '../src/store/sql/database.js';
import { forgetCachedResults } from '../src/store/sql/rollups.js';
import { benchRow, ratioOf } from './table.js';

/**
 * The full report over 10,000,000 simulated sessions and about 1,000,000 orders, beside a hand-written DuckDB
 * script of the same main figures (per window and segment, per day and week) run in the same process, the same
 * number of times (LEVERS_BENCH_RUNS, default 2). The store is kept in the temp folder (LEVERS_BENCH_STORE) and
 * reused by later runs (delete it to rebuild).
 */
const DIR = process.env.LEVERS_BENCH_STORE ?? join(tmpdir(), 'levers-bench-10m');
const seconds = (t0: number) => (performance.now() - t0) / 1000;
const store = openStore(DIR);

if (!existsSync(join(DIR, 'levers.duckdb'))) {
  const t0 = performance.now();
  // Ten chunks of ten days keep the staging tables small; ids carry the chunk, so chunks never collide.
  for (let chunk = 0; chunk < 10; chunk++) {
    await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      simulate(
        {
          seed: 9,
          days: 10,
          sessionsPerDay: 100_600,
          startMs: Date.UTC(2026, 0, 5) + chunk * 10 * 86_400_000,
          currency: 'USD',
          scenario: 'baseline',
          intent: 4,
          idPrefix: `k${chunk}-`,
        },
        load,
      );
      await load.commit();
    });
    console.log(`  simulated chunk ${chunk + 1}/10 (${seconds(t0).toFixed(0)} s)`);
  }
}

// A store built by an older Levers (or copied in) has no rollups yet: the first open builds them, once, as a load
// would. Timed on its own: it is the per-load cost the report no longer pays.
const prepared = await peakOf(() => withDatabase(store, (db) => db.dataRange()));

/**
 * Wall time, CPU time (JS and DuckDB's threads: on a shared machine the steadier figure) and peak resident memory
 * (sampled every 20 ms) while `f` runs.
 */
async function peakOf<T>(
  f: () => Promise<T>,
): Promise<{ value: T; seconds: number; cpu: number; rss: number }> {
  let rss = process.memoryUsage().rss;
  const tick = setInterval(() => {
    rss = Math.max(rss, process.memoryUsage().rss);
  }, 20);
  const t = performance.now();
  const c = process.cpuUsage();
  try {
    const value = await f();
    const used = process.cpuUsage(c);
    return {
      value,
      seconds: seconds(t),
      cpu: (used.user + used.system) / 1e6,
      rss: Math.max(rss, process.memoryUsage().rss),
    };
  } finally {
    clearInterval(tick);
  }
}

const RUNS = Number(process.env.LEVERS_BENCH_RUNS ?? 2);
// Each run twice: the first report after a load (the CLV fit and its top customers are cached per version of the
// data, so the cache is emptied first), then a later report of the same data (the cache read back).
const ours: number[] = [];
const oursCpu: number[] = [];
const warm: number[] = [];
const warmCpu: number[] = [];
let oursRss = 0;
let report!: Awaited<ReturnType<typeof buildReport>>;
for (let i = 0; i < RUNS; i++) {
  await withDatabase(store, (db) => forgetCachedResults((db as unknown as SqlDatabase).db));
  const r = await peakOf(() => buildReport(store, { ...DEFAULT_REPORT_OPTIONS, clv: true }));
  report = r.value;
  ours.push(r.seconds);
  oursCpu.push(r.cpu);
  oursRss = Math.max(oursRss, r.rss);
  const again = await peakOf(() => buildReport(store, { ...DEFAULT_REPORT_OPTIONS, clv: true }));
  warm.push(again.seconds);
  warmCpu.push(again.cpu);
  oursRss = Math.max(oursRss, again.rss);
}

// Baseline: a hand-written DuckDB script of the report's main figures over the raw tables, per window and segment
// (five dimensions and the holdout), per day and per week: sessions, bot sessions, orders, net revenue with the
// per-session sums of squares and cross-products the intervals need, the orders' revenue parts, items and lines,
// and the customers' order counts. Bots are told by a user-agent pattern and the page-view rule (isbot needs JS).
const inst = await DuckDBInstance.create(join(DIR, 'levers.duckdb'));
const conn = await inst.connect();
const all = async (sql: string, params: string[] = []) =>
  (await conn.runAndReadAll(sql, params)).getRowObjectsJS();
const counts = (
  await all(`SELECT (SELECT count(*) FROM sessions)::INTEGER AS s, (SELECT count(*) FROM orders)::INTEGER AS o,
  (SELECT count(*) FROM events)::INTEGER AS e`)
)[0] as { s: number; o: number; e: number };
console.log(
  `report over ${counts.s.toLocaleString('en-US')} sessions, ${counts.o.toLocaleString('en-US')} orders, ` +
    `${counts.e.toLocaleString('en-US')} events`,
);
const cur = report.windows.current;
const prev = report.windows.previous ?? cur;
const w = [cur.from, cur.to, prev.from, prev.to];
const sale = `kind = 'sale' AND status <> 'cancelled'`;
const dims = ['device', 'channel', 'landing', 'country', 'customer_type', 'assignment'];
const sets = [
  '(w)',
  ...dims.map((d) => `(w, ${d})`),
  '(day)',
  `(date_trunc('week', day))`,
  `(date_trunc('month', day))`,
];
const segment = `CASE ${dims.map((d) => `WHEN grouping(${d}) = 0 THEN '${d}=' || coalesce(${d}, 'unknown')`).join(' ')} END`;
const windowOf = (c: string) =>
  `CASE WHEN ${c} BETWEEN $1::DATE AND $2::DATE THEN 'current' WHEN ${c} BETWEEN $3::DATE AND $4::DATE THEN 'previous' END`;
const script = [
  `CREATE OR REPLACE TEMP TABLE b_first AS SELECT customer_id, min(placed_at) AS first_at FROM orders
    WHERE ${sale} AND customer_id IS NOT NULL GROUP BY 1`,
  `CREATE OR REPLACE TEMP TABLE b_per AS SELECT session_id, count(*) FILTER (WHERE kind = 'sale') AS po,
    sum(coalesce(gross_merchandise, 0) - discount - refunded) AS pr FROM orders
    WHERE (${sale} OR kind = 'return') AND session_id IS NOT NULL GROUP BY 1`,
  `CREATE OR REPLACE TEMP TABLE b_sessions AS SELECT s.session_id, s.started_at::DATE AS day, s.device,
    coalesce(s.channel, 'unknown') AS channel, coalesce(s.country, 'unknown') AS country, s.assignment,
    coalesce(nullif(regexp_extract(s.landing_page, '^(/[^/?#]*(/[^/?#]*)?)', 1), ''), 'unknown') AS landing,
    CASE WHEN f.first_at < s.started_at THEN 'returning' ELSE 'new' END AS customer_type,
    coalesce(regexp_matches(s.user_agent, '(?i)bot|crawl|spider|headless'), false) AS bot_agent,
    coalesce(s.duration_s = 0 AND s.page_views >= 3, false) AND p.session_id IS NULL AS bot_behaviour,
    coalesce(p.po, 0) AS po, coalesce(p.pr, 0)::DECIMAL(38, 3) AS pr
    FROM sessions s LEFT JOIN b_first f USING (customer_id) LEFT JOIN b_per p USING (session_id)`,
];
const queries = [
  `SELECT ${windowOf('day')} AS w, day, date_trunc('week', day), date_trunc('month', day), ${segment} AS seg,
    count(*) AS sessions, count(*) FILTER (WHERE bot_agent) AS bot_agent,
    count(*) FILTER (WHERE bot_behaviour AND NOT bot_agent) AS bot_behaviour, count(*) FILTER (WHERE hu) AS n,
    sum(po) FILTER (WHERE hu) AS so, sum(po * po) FILTER (WHERE hu) AS soo, sum(pr) FILTER (WHERE hu) AS sr,
    sum(pr * pr) FILTER (WHERE hu) AS srr, sum(po * pr) FILTER (WHERE hu) AS sor
  FROM (SELECT *, NOT (bot_agent OR bot_behaviour) AS hu FROM b_sessions) x
  GROUP BY GROUPING SETS (${sets.join(', ')})`,
  `SELECT ${windowOf('day')} AS w, day, date_trunc('week', day), date_trunc('month', day), ${segment} AS seg,
    count(*) FILTER (WHERE kind = 'sale') AS orders, sum(gross_merchandise) AS gross, sum(discount) AS discount,
    sum(refunded) AS refunded, sum(shipping) AS shipping, sum(tax) AS tax, sum(items) AS items, sum(lines) AS lines
  FROM (SELECT o.*, coalesce(s.day, o.placed_at::DATE) AS day, coalesce(s.device, 'unknown') AS device,
      coalesce(s.channel, 'unknown') AS channel, coalesce(s.landing, 'unknown') AS landing,
      coalesce(s.country, o.country, 'unknown') AS country, coalesce(s.customer_type, 'new') AS customer_type,
      s.assignment, l.items, l.lines
    FROM orders o LEFT JOIN b_sessions s USING (session_id)
    LEFT JOIN (SELECT order_id, sum(quantity) AS items, count(*) AS lines FROM order_lines
      WHERE line_type = 'product' GROUP BY 1) l USING (order_id)
    WHERE (o.${sale}) OR o.kind = 'return') x
  GROUP BY GROUPING SETS (${sets.join(', ')})`,
  `SELECT least(n, 10) AS orders, count(*) AS customers FROM (SELECT customer_id, count(*) AS n FROM orders
    WHERE ${sale} AND customer_id IS NOT NULL GROUP BY 1) c GROUP BY 1`,
];
const base: number[] = [];
const baseCpu: number[] = [];
let baseRss = 0;
for (let i = 0; i < RUNS; i++) {
  const r = await peakOf(async () => {
    for (const sql of script) await conn.run(sql);
    for (const sql of queries) await all(sql, sql.includes('$1') ? w : []);
  });
  base.push(r.seconds);
  baseCpu.push(r.cpu);
  baseRss = Math.max(baseRss, r.rss);
}
conn.closeSync();
inst.closeSync();
const gb = (b: number) => `${(b / 2 ** 30).toFixed(2)} GB`;
const range = (xs: number[]) =>
  `${Math.min(...xs).toFixed(2)}–${Math.max(...xs).toFixed(2)} s`.replace(/^(\S+)–\1/, '$1');
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor((xs.length - 1) / 2)]!;
console.log(
  `  rollups built on first open (once per load, not per report)  ${prepared.seconds.toFixed(2)} s (CPU ${prepared.cpu.toFixed(1)} s)`,
);
console.log(
  `  levers report (all sections, 6 segment dimensions, CLV), ${RUNS} runs  ${range(ours)} (CPU ${range(oursCpu)}), peak rss ${gb(oursRss)}`,
);
console.log(
  `  the same report again (CLV fit read back from the cache), ${RUNS} runs  ${range(warm)} (CPU ${range(warmCpu)})`,
);
console.log(
  `  baseline: hand-written DuckDB script of the main figures, ${RUNS} runs  ${range(base)} (CPU ${range(baseCpu)}), peak rss ${gb(baseRss)}`,
);
console.log(
  `  ratio (medians)                                            ${ratioOf(median(ours), median(base))}`,
);
console.log(
  `  (current window ${report.windows.current.from}..${report.windows.current.to}: ` +
    `${report.current.orders.toLocaleString('en-US')} orders, CVR ` +
    `${((report.current.cvr ?? 0) * 100).toFixed(2)}%)`,
);
benchRow({
  workload: 'report, 10.4M sessions / 1.05M orders / 51.8M events',
  levers: `${median(ours).toFixed(2)} s, ${gb(oursRss)} (first report after a load; ${median(warm).toFixed(2)} s later, CLV cached)`,
  baseline: `hand-written DuckDB SQL script of the same main figures ${median(base).toFixed(2)} s`,
  ratio: ratioOf(median(ours), median(base)),
  goal: '< 3 s',
});
