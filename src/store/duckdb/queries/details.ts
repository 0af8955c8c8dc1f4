import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { CustomerStats, DataRange, OfferEventRow, ValueBinRow, Window } from '../../port.js';
import type { DuckDb } from '../connection.js';
import { inDays } from '../definitions.js';

/**
 * Sale orders in a window by merchandise value after discounts, in whole major units, and what shipping they
 * paid.
 */
export async function orderValueBins(db: DuckDb, currency: string, w: Window): Promise<ValueBinRow[]> {
  const rows = await db.all<{ unit: number; orders: number; paid: number; shipping: string }>(
    `SELECT floor(gross - discount)::INTEGER AS unit, count(*)::INTEGER AS orders,
      count(*) FILTER (WHERE shipping > 0)::INTEGER AS paid, coalesce(sum(shipping), 0)::VARCHAR AS shipping
    FROM rf_orders WHERE kind = 'sale' AND currency = $1 AND ${inDays('placed_at', '$2', '$3')}
    GROUP BY 1 ORDER BY 1`,
    [currency, w.from, w.to],
  );
  const exp = currencyExponent(currency);
  return rows.map((r) => ({
    unit: r.unit,
    orders: r.orders,
    paidShipping: r.paid,
    shippingMinor: decimalToMinor(r.shipping, exp),
  }));
}

const perCustomer = `SELECT customer_id, count(*) AS n, sum(gross - discount - refunded) AS net FROM rf_orders
  WHERE kind = 'sale' AND customer_id IS NOT NULL AND currency = $1 AND placed_at < $2::TIMESTAMP + INTERVAL
    1 DAY GROUP BY 1`;

export async function customerStats(db: DuckDb, currency: string, to: string): Promise<CustomerStats> {
  const t = await db.one<{ customers: number; repeat: number; orders: number; net: string }>(
    `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE n >= 2)::INTEGER AS repeat,
       coalesce(sum(n), 0)::INTEGER AS orders, coalesce(sum(net), 0)::VARCHAR AS net FROM (${perCustomer})`,
    [currency, to],
  );
  const distribution = await db.all<{ orders: number; customers: number }>(
    `SELECT least(n, 10)::INTEGER AS orders, count(*)::INTEGER AS customers FROM (${perCustomer}) GROUP BY ` +
      `1 ORDER BY 1`,
    [currency, to],
  );
  return {
    customers: t.customers,
    repeatCustomers: t.repeat,
    orders: t.orders,
    netMinor: decimalToMinor(t.net, currencyExponent(currency)),
    distribution,
  };
}

export async function cohorts(
  db: DuckDb,
  currency: string,
  to: string,
): Promise<{ cohort: string; offset: number; customers: number }[]> {
  return db.all(
    `WITH o AS (
      SELECT customer_id, date_trunc('month', placed_at) AS m FROM rf_orders
      WHERE kind = 'sale' AND customer_id IS NOT NULL AND currency = $1 AND placed_at < $2::TIMESTAMP +
        INTERVAL 1 DAY),
    f AS (SELECT customer_id, min(m) AS cohort FROM o GROUP BY 1)
    SELECT strftime(f.cohort, '%Y-%m') AS cohort, datediff('month', f.cohort, o.m)::INTEGER AS "offset",
      count(DISTINCT o.customer_id)::INTEGER AS customers
    FROM o JOIN f USING (customer_id) GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, to],
  );
}

export async function offerEvents(db: DuckDb, w: Window): Promise<OfferEventRow[]> {
  return db.all(
    `SELECT offer_id, count(*) FILTER (WHERE type = 'offer_shown')::INTEGER AS shown,
      count(*) FILTER (WHERE type = 'offer_accepted')::INTEGER AS accepted,
      count(*) FILTER (WHERE type = 'offer_declined')::INTEGER AS declined
    FROM events WHERE offer_id IS NOT NULL AND type IN ('offer_shown', 'offer_accepted', 'offer_declined')
      AND ${inDays('occurred_at', '$1', '$2')} GROUP BY 1 ORDER BY shown DESC, offer_id`,
    [w.from, w.to],
  );
}

/** The data's date range (sessions and sales), as YYYY-MM-DD. */
export async function dataRange(db: DuckDb): Promise<DataRange> {
  const r = await db.one<{ first: string | null; last: string | null; s: number }>(`SELECT
      least((SELECT min(started_at) FROM rf_sessions), (SELECT min(placed_at) FROM
        rf_orders))::DATE::VARCHAR AS first,
      greatest((SELECT max(started_at) FROM rf_sessions), (SELECT max(placed_at) FROM
        rf_orders))::DATE::VARCHAR AS last,
      (SELECT count(*) FROM rf_sessions)::INTEGER AS s`);
  return { first: r.first, last: r.last, hasSessions: r.s > 0 };
}
