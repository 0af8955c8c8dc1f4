import type { Command } from 'commander';
import { summarize, type Summary } from '../core/metrics/summary.js';
import type { Store } from '../store/connection.js';
import { orderTotals, sessionTotals } from '../store/queries/totals.js';
import { int, money, pct, printJson, table } from './output.js';
import { withStore } from './store-option.js';

export async function loadSummaries(store: Store): Promise<{ summaries: Summary[]; period: { from: string | null; to: string | null } }> {
  const [totals, sessions] = await Promise.all([orderTotals(store), sessionTotals(store)]);
  const summaries = totals.map((t) =>
    summarize({
      currency: t.currency, orders: t.orders, ordersWithSession: t.orders_with_session, customers: t.customers,
      gross: t.gross, discount: t.discount, returns: t.returns, net: t.net,
      sessions: sessions.sessions, userAgents: sessions.by_user_agent,
    }),
  );
  if (summaries.length === 0 && sessions.sessions > 0) {
    summaries.push(summarize({ currency: 'USD', orders: 0, ordersWithSession: 0, customers: 0, gross: '0', discount: '0',
      returns: '0', net: '0', sessions: sessions.sessions, userAgents: sessions.by_user_agent }));
  }
  const from = [totals[0]?.first_order, sessions.first_session].filter(Boolean).sort()[0] ?? null;
  const to = [totals[0]?.last_order, sessions.last_session].filter(Boolean).sort().reverse()[0] ?? null;
  return { summaries, period: { from, to } };
}

export function renderSummary(s: Summary): string {
  const c = s.currency;
  const rows: [string, string][] = [
    ['sessions', s.sessions == null ? 'unknown (no sessions loaded)'
      : s.botSessions == null ? `${int(s.sessions)}  (bots unknown: no user agents)`
      : `${int(s.sessions)}  (${int(s.botSessions)} bots by user agent, left out of CVR)`],
    ['orders', int(s.orders)],
    ['customers', int(s.customers)],
    ['CVR', s.cvr == null ? 'unknown' : s.botSessions ? `${pct(s.cvr)}  (${pct(s.cvrAllSessions)} counting bots)` : pct(s.cvr)],
    ['AOV (net)', money(s.aovMinor, c)],
    ['RPS', money(s.rpsMinor, c)],
    ['revenue (net)', money(s.netRevenueMinor, c)],
    ['  gross merchandise', money(s.grossMinor, c)],
    ['  discounts', money(s.discountMinor, c)],
    ['  refunds and returns', money(s.returnsMinor, c)],
  ];
  const notes = s.unknown.map((u) => `  note: ${u}`);
  return [`${c}`, table(rows), ...notes].join('\n');
}

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('sessions, orders, CVR, net AOV, RPS and revenue of what is in the store')
    .option('--json', 'print as JSON')
    .action(async (o: { json?: boolean }, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { store?: string; json?: boolean };
      const r = await withStore(opts.store, loadSummaries);
      if (opts.json) return printJson(r);
      const head = `Store summary ${r.period.from?.slice(0, 10) ?? ''} .. ${r.period.to?.slice(0, 10) ?? ''}`;
      const body = r.summaries.length ? r.summaries.map(renderSummary).join('\n\n') : '  the store is empty: run levers ingest or levers simulate';
      process.stdout.write(`${head}\n${body}\n`);
    });
}
