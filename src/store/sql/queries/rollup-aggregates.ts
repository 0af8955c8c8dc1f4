import type { RevenueBasis } from '../../../core/metrics/identity.js';
import { currencyExponent } from '../../../core/money.js';
import type { AggregateKey, AggregateRow, SegmentDimension } from '../../port.js';
import type { SqlConn } from '../conn.js';
import { periodStart } from '../definitions.js';
import { FACT_ROW_COLUMNS, type FactRow, toAggregate } from './facts.js';

/** The key of a rollup row's day (a window's name, a period's first day, or 'all'), and its bound parameters. */
function dayKey(key: AggregateKey, first: number): { sql: string; params: string[] } {
  if (key.by === 'all') return { sql: `'all'`, params: [] };
  if (key.by === 'period') return { sql: periodStart(key.period, 'day'), params: [] };
  const [a, b, c, d] = [first, first + 1, first + 2, first + 3].map((i) => `$${i}`);
  // Whole days: the same sessions and orders as inDays() over their timestamps.
  const w = `CASE WHEN day >= ${a}::DATE AND day <= ${b}::DATE THEN 'current'
    WHEN day >= ${c}::DATE AND day <= ${d}::DATE THEN 'previous' END`;
  return { sql: w, params: [key.current.from, key.current.to, key.previous.from, key.previous.to] };
}

/**
 * aggregates() read from the daily rollups (src/store/sql/rollups.ts) instead of the fact tables: the same rows,
 * the same sums (exact decimals summed again are the same decimals), in the same order. For the whole store or one
 * of the rollups' dimensions; an experiment's variants are read from the facts.
 */
export async function aggregatesFromRollups(
  db: SqlConn,
  currency: string,
  key: AggregateKey,
  by: SegmentDimension | 'assignment' | null,
  basis: RevenueBasis,
): Promise<AggregateRow[]> {
  const k = dayKey(key, 3);
  const b = (basis.includeShipping ? 1 : 0) + (basis.includeTax ? 2 : 0);
  const keyed = (table: string, currencyFilter: boolean) =>
    `SELECT *, ${k.sql} AS k FROM ${table} WHERE dim = $2${currencyFilter ? ' AND currency = $1' : ''}`;
  const rows = await db.all<FactRow>(
    `
    WITH s AS (
      SELECT k, seg AS sg, sum(sessions)::INTEGER AS sessions, sum(agent_known)::INTEGER AS agent_known,
        sum(bot_agent)::INTEGER AS bot_agent, sum(bot_behaviour)::INTEGER AS bot_behaviour, sum(n)::INTEGER AS n
      FROM (${keyed('rf_daily_sessions', false)}) x WHERE k IS NOT NULL GROUP BY 1, 2),
    u AS (
      SELECT k, seg AS sg, sum(so) AS so, sum(soo) AS soo, sum(sr${b}) AS sr, sum(srr${b}) AS srr,
        sum(sor${b}) AS sor
      FROM (${keyed('rf_daily_units', true)}) x WHERE k IS NOT NULL GROUP BY 1, 2),
    m AS (
      SELECT k, seg AS sg, sum(orders)::INTEGER AS orders, sum(bot_orders)::INTEGER AS bot_orders,
        sum(bot_net)::VARCHAR AS bot_net, sum(linked_orders)::INTEGER AS linked_orders,
        sum(client_orders)::INTEGER AS client_orders, sum(unpriced)::INTEGER AS unpriced,
        sum(gross)::VARCHAR AS gross, sum(discount)::VARCHAR AS discount, sum(refunded)::VARCHAR AS refunded,
        sum(returns)::VARCHAR AS returns, sum(shipping)::VARCHAR AS shipping, sum(tax)::VARCHAR AS tax,
        sum(items)::INTEGER AS items, sum(lines)::INTEGER AS lines, sum(uu)::INTEGER AS uu, sum(uo) AS uo,
        sum(ur${b}) AS ur, sum(urr${b}) AS urr, sum(uor${b}) AS uor
      FROM (${keyed('rf_daily_orders', true)}) x WHERE k IS NOT NULL GROUP BY 1, 2),
    su AS (
      SELECT s.*, coalesce(u.so, 0) AS so, coalesce(u.soo, 0) AS soo, coalesce(u.sr, 0) AS sr,
        coalesce(u.srr, 0) AS srr, coalesce(u.sor, 0) AS sor
      FROM s LEFT JOIN u ON s.k = u.k AND s.sg IS NOT DISTINCT FROM u.sg)
    SELECT ${FACT_ROW_COLUMNS}
    FROM su s FULL OUTER JOIN m ON s.k = m.k AND s.sg IS NOT DISTINCT FROM m.sg ORDER BY 1, 2`,
    [currency, by ?? 'all', ...k.params],
  );
  const exp = currencyExponent(currency);
  return rows.map((r) => ({
    key: r.key.slice(0, 10),
    segment: r.seg ?? 'unknown',
    aggregate: toAggregate(r, exp),
  }));
}
