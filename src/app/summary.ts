import { EMPTY_AGGREGATE } from '../core/metrics/identity.js';
import { NET_BASIS, summarize, type Summary } from '../core/metrics/summary.js';
import { withDatabase, type Database, type Store } from '../store/port.js';

export interface StoreSummary {
  period: { from: string | null; to: string | null };
  summaries: Summary[];
}

/** Sessions, orders, CVR, AOV, RPS and revenue of everything loaded, per currency. */
export async function summary(store: Store): Promise<StoreSummary> {
  return withDatabase(store, summaryOf);
}

export async function summaryOf(db: Database): Promise<StoreSummary> {
  const range = await db.dataRange();
  const currencies = (await db.currencies()).map((c) => c.currency);
  // Sessions alone (no sale yet) still have a summary: in the currency the store would report in.
  if (!currencies.length && range.hasSessions) currencies.push('USD');
  const summaries: Summary[] = [];
  for (const currency of currencies) {
    const [row] = await db.aggregates(currency, { by: 'all' }, null, NET_BASIS);
    const customers = range.last ? (await db.customerStats(currency, range.last)).customers : 0;
    summaries.push(summarize(currency, row?.aggregate ?? EMPTY_AGGREGATE, customers, range.hasSessions));
  }
  return { period: { from: range.first, to: range.last }, summaries };
}
