import type { WeightsResult } from '../app/bandit.js';
import { currencyExponent } from '../core/money.js';

/** `levers experiment weights ID` in the terminal: what was published, on what reward, and why each weight. */
export function renderWeights(r: WeightsResult): string {
  const w = r.weights;
  const cur = w.currency;
  // Per-session rewards are fractions of a cent apart: major units with four decimals, not rounded money.
  const x = (minor: number) => (minor / 10 ** currencyExponent(cur)).toFixed(4);
  const reward = w.rewardNote ?? (w.reward === 'rps' ? 'revenue per session' : 'profit per session');
  const head = r.published
    ? r.database
      ? `${w.experiment}: weights v${w.version} published to ${r.database} (and ${r.file}); every levers serve ` +
        'over it assigns by them within seconds'
      : `${w.experiment}: weights v${w.version} published (${r.file}); levers serve assigns by them from its next ` +
        'look (--watch, every 5 s by default) or SIGHUP'
    : `${w.experiment}: weights v${w.version} (published ${w.createdAt}) stay in force: not due until ${r.due} ` +
      '(--force to publish now)';
  const rows: string[][] = [
    ['arm', 'sessions', `reward/session, ${cur}`, 'P(best)', `expected loss, ${cur}`, 'weight'],
  ];
  for (const a of w.arms)
    rows.push([
      a.id,
      a.n.toLocaleString('en-US'),
      a.mean == null ? 'too few' : `${x(a.mean)} ± ${x(a.sd ?? 0)}`,
      a.probabilityBest.toFixed(3),
      a.expectedLoss == null ? '' : x(a.expectedLoss),
      a.weight.toFixed(3),
    ]);
  const width = rows[0]!.map((_, i) => Math.max(...rows.map((x) => x[i]!.length)));
  const table = rows.map(
    (x) => `  ${x.map((c, i) => (i ? c.padStart(width[i]!) : c.padEnd(width[i]!))).join('  ')}`,
  );
  return [
    head,
    `  reward  ${reward}`,
    `  window  ${w.window.from}..${w.window.to}, ${cur}; floor ${w.floor} per arm`,
    ...table,
    `  ${w.code}: ${w.reason}`,
    `  ± is the posterior sd of the arm's mean; expected loss is what choosing the arm costs per session if another is better`,
    r.published ? `  next due in ${r.every} (a run before then leaves these weights in force)` : '',
  ]
    .filter(Boolean)
    .join('\n');
}
