import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { LeversError } from '../core/errors.js';
import { TABLE_NAMES } from '../core/model/tables.js';
import { parseTimestamp } from '../core/time.js';
import { CsvFilesSink } from '../sim/csv-files-sink.js';
import { SCENARIOS, scenarioByName } from '../sim/scenarios.js';
import { simulate, type SimResult } from '../sim/simulate.js';
import { BulkLoad } from '../store/bulk-load.js';
import type { Store } from '../store/connection.js';
import { ident } from '../store/schema.js';
import { int, money, pct, printJson, progressBar, table } from './output.js';
import { parseOptions } from './options.js';
import { withStore } from './store-option.js';

const Options = z.object({
  seed: z.coerce.number().int('--seed must be a whole number'),
  days: z.coerce.number().int().min(1, '--days must be at least 1').max(3660),
  sessionsPerDay: z.coerce.number().int().min(1, '--sessions-per-day must be at least 1').max(10_000_000),
  scenario: z.string(),
  changeDay: z.coerce.number().int().min(1).optional(),
  start: z.string(),
  out: z.string().optional(),
  replace: z.boolean().optional(),
  truthThresholds: z.string().regex(/^\d+:\d+:\d+$/, '--truth-thresholds is FROM:TO:STEP in whole currency units, e.g. 30:100:5').optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});
type Options = z.infer<typeof Options>;

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description('simulate a realistic store (deterministic for a seed) into the store, or to files with --out')
    .option('--seed <n>', 'random seed', '1')
    .option('--days <n>', 'days to simulate', '60')
    .option('--sessions-per-day <n>', 'average sessions per day', '2000')
    .option('--scenario <name>', `one of: ${SCENARIOS.map((s) => s.name).join(', ')}`, 'baseline')
    .option('--change-day <n>', "day the scenario's change happens (default: half-way)")
    .option('--start <date>', 'first day (UTC)', '2026-01-05')
    .option('--out <dir>', 'write canonical CSV files and truth.json here instead of the store')
    .option('--replace', 'empty the store first (simulated data is never mixed with real data)')
    .option('--truth-thresholds <from:to:step>', 'replay the run under each free-shipping threshold and record the best in truth.json')
    .option('--json', 'print the result as JSON')
    .addHelpText('after', '\nScenarios:\n' + SCENARIOS.map((s) => `  ${s.name.padEnd(16)} ${s.description}`).join('\n'))
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      scenarioByName(o.scenario);
      if (o.changeDay !== undefined && o.changeDay >= o.days) {
        throw new LeversError('INVALID_OPTION', { option: '--change-day', detail: `must be below --days (${o.days})` });
      }
      const start = parseTimestamp(o.start);
      if (!start.ok) throw new LeversError('INVALID_OPTION', { option: '--start', detail: start.reason });
      const simOpts = { seed: o.seed, days: o.days, sessionsPerDay: o.sessionsPerDay, startMs: start.ms, currency: 'USD',
        scenario: o.scenario, ...(o.changeDay !== undefined ? { changeDay: o.changeDay } : {}), ...(o.truthThresholds ? { thresholdGrid: grid(o.truthThresholds) } : {}) };
      const t0 = performance.now();
      const bar = progressBar('simulate', !!o.json);
      const onDay = (d: number) => bar.update((d + 1) / o.days);
      let result: SimResult;
      let where: string;
      try {
        if (o.out) {
          const sink = new CsvFilesSink(o.out);
          result = simulate(simOpts, sink, onDay);
          sink.close();
          where = o.out;
        } else {
          ({ result, where } = await withStore(o.store, async (store) => ({ result: await intoStore(store, o, simOpts, onDay), where: store.dir })));
        }
      } finally {
        bar.stop();
      }
      const truthFile = o.out ? join(o.out, 'truth.json') : join(where, 'sim', 'truth.json');
      mkdirSync(join(truthFile, '..'), { recursive: true });
      writeFileSync(truthFile, JSON.stringify(result.truth, null, 2) + '\n');
      const seconds = (performance.now() - t0) / 1000;
      if (o.json) return printJson({ where, truthFile, rows: result.rows, seconds: Number(seconds.toFixed(2)), truth: result.truth });
      process.stdout.write(renderSim(result, where, truthFile, seconds) + '\n');
    });
}

function grid(spec: string): number[] {
  const [from, to, step] = spec.split(':').map(Number) as [number, number, number];
  if (step <= 0 || from > to || (to - from) / step > 100) throw new LeversError('INVALID_OPTION', { option: '--truth-thresholds', detail: 'FROM ≤ TO, STEP > 0, at most 100 points' });
  const out: number[] = [];
  for (let t = from; t <= to; t += step) out.push(t * 100);
  return out;
}

async function intoStore(store: Store, o: Options, simOpts: Parameters<typeof simulate>[0], onDay: (d: number) => void) {
  const has = await store.one<{ n: number }>(`SELECT (SELECT count(*) FROM orders) + (SELECT count(*) FROM sessions) AS n`);
  if (Number(has.n) > 0) {
    if (!o.replace) throw new LeversError('STORE_NOT_EMPTY', { dir: store.dir });
    for (const t of TABLE_NAMES) await store.conn.run(`DELETE FROM ${ident(t)}`);
  }
  const load = await BulkLoad.begin(store);
  const result = simulate(simOpts, load, onDay);
  await load.commit();
  return result;
}

function renderSim(r: SimResult, where: string, truthFile: string, seconds: number): string {
  const m = r.truth.realized.overall;
  const rows: [string, string][] = [
    ['sessions', `${int(r.rows.sessions)}  (bots ${pct(m.botShare, 1)})`],
    ['events', int(r.rows.events)],
    ['orders', `${int(r.rows.orders)}  (${int(r.rows.orderLines)} lines)`],
    ['customers', int(r.rows.customers)],
    ['CVR / AOV / RPS', `${pct(m.cvr)} / ${money(m.aovMinor, 'USD')} / ${money(m.rpsMinor, 'USD')}`],
  ];
  for (const [d, x] of Object.entries(m.byDevice)) {
    rows.push([`  ${d}`, `share ${pct(x.share, 1)}, CVR ${pct(x.cvr)}, AOV ${money(x.aovMinor, 'USD')}`]);
  }
  const e = r.truth.effect;
  if (e) {
    const rel = (x: number | null) => (x == null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
    rows.push([`effect of ${r.truth.scenario.name}`, `CVR ${rel(e.cvr.relative)}, AOV ${rel(e.aovMinor.relative)}, RPS ${rel(e.rpsMinor.relative)} vs counterfactual (${r.truth.scenario.effectWindow?.from}..${r.truth.scenario.effectWindow?.to})`]);
  }
  if (r.truth.thresholds) rows.push(['best free-shipping threshold', `${money(r.truth.thresholds.bestMinor, 'USD')} (most profit per session of ${r.truth.thresholds.grid.length} replays)`]);
  return [`simulated ${r.truth.options.days} days, scenario ${r.truth.scenario.name}, seed ${r.truth.options.seed} → ${where}  (${seconds.toFixed(1)} s)`,
    table(rows), `truth: ${truthFile}`].join('\n');
}
