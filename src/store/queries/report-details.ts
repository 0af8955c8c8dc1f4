import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../connection.js';

/** Sale orders in a window by merchandise value (after discounts), in whole major units, and whether they paid shipping. */
export async function orderValueBins(store: Store, from: string, to: string): Promise<{ unit: number; orders: number; paidShipping: number; shippingSum: string }[]> {
  return store.all(`SELECT floor(gross - discount)::INTEGER AS unit, count(*)::INTEGER AS orders,
      count(*) FILTER (WHERE shipping > 0)::INTEGER AS "paidShipping", coalesce(sum(shipping), 0)::VARCHAR AS "shippingSum"
    FROM rf_orders WHERE kind = 'sale' AND placed_at >= $1::TIMESTAMP AND placed_at < $2::TIMESTAMP + INTERVAL 1 DAY
    GROUP BY 1 ORDER BY 1`, [from, to]);
}

export interface CustomerStats {
  customers: number;
  repeatCustomers: number;
  orders: number;
  net: string;
  distribution: { orders: number; customers: number }[];
}

/** Known customers' orders up to a date (history matters for repeat rate, so no lower bound). */
export async function customerStats(store: Store, to: string): Promise<CustomerStats> {
  const params: DuckDBValue[] = [to];
  const per = `SELECT customer_id, count(*) AS n, sum(gross - discount - refunded) AS net FROM rf_orders
    WHERE kind = 'sale' AND customer_id IS NOT NULL AND placed_at < $1::TIMESTAMP + INTERVAL 1 DAY GROUP BY 1`;
  const t = await store.one<{ customers: number; repeat: number; orders: number; net: string }>(
    `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE n >= 2)::INTEGER AS repeat, coalesce(sum(n), 0)::INTEGER AS orders,
       coalesce(sum(net), 0)::VARCHAR AS net FROM (${per})`, params);
  const distribution = await store.all<{ orders: number; customers: number }>(
    `SELECT least(n, 10)::INTEGER AS orders, count(*)::INTEGER AS customers FROM (${per}) GROUP BY 1 ORDER BY 1`, params);
  return { customers: t.customers, repeatCustomers: t.repeat, orders: t.orders, net: t.net, distribution };
}

/** First-order cohorts by month and the share of each cohort that ordered again k months later. */
export async function cohorts(store: Store, to: string): Promise<{ cohort: string; offset: number; customers: number }[]> {
  return store.all(`WITH o AS (
      SELECT customer_id, date_trunc('month', placed_at) AS m FROM rf_orders
      WHERE kind = 'sale' AND customer_id IS NOT NULL AND placed_at < $1::TIMESTAMP + INTERVAL 1 DAY),
    f AS (SELECT customer_id, min(m) AS cohort FROM o GROUP BY 1)
    SELECT strftime(f.cohort, '%Y-%m') AS cohort, datediff('month', f.cohort, o.m)::INTEGER AS "offset", count(DISTINCT o.customer_id)::INTEGER AS customers
    FROM o JOIN f USING (customer_id) GROUP BY 1, 2 ORDER BY 1, 2`, [to]);
}

export interface OfferRow {
  offer_id: string;
  shown: number;
  accepted: number;
  declined: number;
}

export async function offerEvents(store: Store, from: string, to: string): Promise<OfferRow[]> {
  return store.all(`SELECT offer_id, count(*) FILTER (WHERE type = 'offer_shown')::INTEGER AS shown,
      count(*) FILTER (WHERE type = 'offer_accepted')::INTEGER AS accepted, count(*) FILTER (WHERE type = 'offer_declined')::INTEGER AS declined
    FROM events WHERE offer_id IS NOT NULL AND type IN ('offer_shown', 'offer_accepted', 'offer_declined')
      AND occurred_at >= $1::TIMESTAMP AND occurred_at < $2::TIMESTAMP + INTERVAL 1 DAY GROUP BY 1 ORDER BY shown DESC`, [from, to]);
}

/** The data's date range (sessions and sales), as YYYY-MM-DD. */
export async function dataRange(store: Store): Promise<{ first: string | null; last: string | null; hasSessions: boolean }> {
  const r = await store.one<{ first: string | null; last: string | null; s: number }>(`SELECT
      least((SELECT min(started_at) FROM rf_sessions), (SELECT min(placed_at) FROM rf_orders))::DATE::VARCHAR AS first,
      greatest((SELECT max(started_at) FROM rf_sessions), (SELECT max(placed_at) FROM rf_orders))::DATE::VARCHAR AS last,
      (SELECT count(*) FROM rf_sessions)::INTEGER AS s`);
  return { first: r.first, last: r.last, hasSessions: r.s > 0 };
}
