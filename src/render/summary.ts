import type { Summary } from '../core/metrics/summary.js';
import type { StoreSummary } from '../app/summary.js';
import { int, money, pct, table } from './format.js';

export function renderSummary(s: Summary): string {
  const c = s.currency;
  const l = s.levers;
  const bots = s.bots ? s.bots.byUserAgent + s.bots.byBehaviour : 0;
  const rows: [string, string][] = [
    [
      'sessions',
      l.sessions == null
        ? 'unknown (no sessions loaded)'
        : `${int(l.sessionsWithBots ?? 0)}  (${int(bots)} bots: ${int(s.bots!.byUserAgent)} by user agent, ` +
          `${int(s.bots!.byBehaviour)} by behaviour; left out of CVR)`,
    ],
    ['orders', int(l.orders)],
    ['customers', int(s.customers)],
    [
      'CVR',
      l.cvr == null ? 'unknown' : bots ? `${pct(l.cvr)}  (${pct(l.cvrWithBots)} counting bots)` : pct(l.cvr),
    ],
    ['AOV (net)', money(l.aovMinor, c)],
    ['RPS', money(l.rpsMinor, c)],
    ['revenue (net)', money(l.revenueMinor, c)],
    ['  gross merchandise', money(s.grossMinor, c)],
    ['  discounts', money(s.discountMinor, c)],
    ['  refunds and returns', money(s.refundsMinor, c)],
  ];
  return [c, table(rows), ...s.unknown.map((u) => `  note: ${u}`)].join('\n');
}

export function renderStoreSummary(r: StoreSummary): string {
  const head = `Store summary ${r.period.from ?? ''} .. ${r.period.to ?? ''}`;
  const body = r.summaries.length
    ? r.summaries.map(renderSummary).join('\n\n')
    : '  the store is empty: run levers ingest or levers simulate';
  return `${head}\n${body}`;
}
