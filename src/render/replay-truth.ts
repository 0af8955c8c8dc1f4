import type { ReplayTruth } from '../app/replay-truth.js';
import { signedPercent } from '../core/signed.js';
import { int, money, pct } from './format.js';

/** `levers replay --truth`: each variant's CVR, AOV and RPS on the same shoppers, and the true lifts. */
export function renderReplayTruth(t: ReplayTruth, days: string): string {
  const c = t.variants[0]!;
  const rows: string[][] = [
    ['variant', 'sessions', 'orders', 'CVR', 'AOV', 'RPS'],
    ...t.variants.map((v) => [
      v === c && v.id !== 'control' ? `${v.id} (control)` : v.id,
      int(v.sessions),
      int(v.orders),
      pct(v.cvr),
      money(v.aovMinor, 'USD'),
      money(v.rpsMinor, 'USD'),
    ]),
  ];
  const w = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    `  ${r.map((x, i) => (i ? x.padStart(w[i]!) : x.padEnd(w[i]!))).join('  ')}`.trimEnd();
  return [
    `True effect of ${t.id} on the shoppers of ${days}`,
    `  every treated session replayed in process under each variant (${int(t.botsSkipped)} bot sessions skipped)`,
    ...rows.map(line),
    ...Object.entries(t.effect).map(
      ([id, e]) =>
        `  true lift ${id} vs ${c.id}: CVR ${signedPercent(e.cvr)}, AOV ${signedPercent(e.aov)}, RPS ${signedPercent(e.rps)}`,
    ),
  ].join('\n');
}
