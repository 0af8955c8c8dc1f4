import type { SimulateRun } from '../app/simulate.js';
import { int, money, pct, table } from './format.js';

export function renderSimulation(run: SimulateRun): string {
  const r = run.result;
  const m = r.truth.realized.overall;
  const rows: [string, string][] = [
    ['sessions', `${int(r.rows.sessions)}  (bots ${pct(m.botShare, 1)})`],
    ['events', int(r.rows.events)],
    ['orders', `${int(r.rows.orders)}  (${int(r.rows.orderLines)} lines)`],
    ['customers', int(r.rows.customers)],
    ['CVR / AOV / RPS', `${pct(m.cvr)} / ${money(m.aovMinor, 'USD')} / ${money(m.rpsMinor, 'USD')}`],
  ];
  for (const [d, x] of Object.entries(m.byDevice))
    rows.push([`  ${d}`, `share ${pct(x.share, 1)}, CVR ${pct(x.cvr)}, AOV ${money(x.aovMinor, 'USD')}`]);
  const e = r.truth.effect;
  if (e) {
    const rel = (x: number | null) => (x == null ? 'n/a' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)}%`);
    rows.push([
      `effect of ${r.truth.scenario.name}`,
      `CVR ${rel(e.cvr.relative)}, AOV ${rel(e.aovMinor.relative)}, RPS ${rel(e.rpsMinor.relative)} ` +
        `vs counterfactual (${r.truth.scenario.effectWindow?.from}..${r.truth.scenario.effectWindow?.to})`,
    ]);
  }
  if (r.truth.thresholds) {
    rows.push([
      'best free-shipping threshold',
      `${money(r.truth.thresholds.bestMinor, 'USD')} (most profit per session of ` +
        `${r.truth.thresholds.grid.length} replays)`,
    ]);
  }
  return [
    `simulated ${r.truth.options.days} days, scenario ${r.truth.scenario.name}, seed ` +
      `${r.truth.options.seed} → ${run.where}  (${run.seconds.toFixed(1)} s)`,
    table(rows),
    `truth: ${run.truthFile}`,
  ].join('\n');
}
