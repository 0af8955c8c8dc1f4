import type { ReplayTally } from '../sim/replay.js';
import { int, money, pct, table } from './format.js';

const plural = (n: number, what: string) => `${int(n)} ${what}${n === 1 ? '' : 's'}`;

export function renderReplay(
  t: ReplayTally,
  date: string,
  seconds: number,
  lat: { p50: number; p99: number },
): string {
  const rps = (g: 'treatment' | 'holdout') => (t.sessions[g] ? t.revenueMinor[g] / t.sessions[g] : null);
  const group = (g: 'treatment' | 'holdout') =>
    `${int(t.sessions[g])} sessions, ${plural(t.orders[g], 'order')}, revenue ` +
    `${money(t.revenueMinor[g], 'USD')}, RPS ${money(rps(g), 'USD')}`;
  return [
    `Replayed ${date}: ${int(t.sessions.treatment + t.sessions.holdout)} sessions (${int(t.botsSkipped)} ` +
      `bot sessions not replayed), ` +
      `${int(t.decisions)} decisions, ${int(t.events)} events in ${seconds.toFixed(1)} s; decide p50 ` +
      `${lat.p50} ms, p99 ${lat.p99} ms`,
    table([
      ['treated', group('treatment')],
      ['holdout', group('holdout')],
    ]),
    'offers (shown / accepted):',
    table(
      Object.entries(t.offers)
        .sort((a, b) => b[1].shown - a[1].shown)
        .map(
          ([k, v]) =>
            [
              k,
              v.accepted + v.declined
                ? `${int(v.shown)} / ${int(v.accepted)} (${pct(v.shown ? v.accepted / v.shown : null, 1)})`
                : `${int(v.shown)} (shown only)`,
            ] as [string, string],
        ),
      4,
    ),
    "Load the server's event log and report on it: levers ingest api-events && levers report",
  ].join('\n');
}
