import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { CustomerSpend } from '../../../core/metrics/customers.js';
import type { CustomerStats, OfferEventRow, ShippingResponseRows, Window } from '../../port.js';
import type { SqlConn } from '../conn.js';
import {
  cohorts,
  customerStats,
  type SpendCohortRow,
  type SpendTotalsRow,
  spendOf,
  topUps,
} from './details.js';

/** Whole days of a window, over a rollup's `day` column; $from and $to are bound parameters. */
const inWindow = (from: string, to: string) => `day >= ${from}::DATE AND day <= ${to}::DATE`;

/** offerEvents() read from the daily offer rollup (src/store/sql/rollups.ts): the same rows in the same order. */
export async function offerEventsFromRollups(db: SqlConn, w: Window): Promise<OfferEventRow[]> {
  return db.all(
    `SELECT offer_id, channel, sum(shown)::INTEGER AS shown, sum(accepted)::INTEGER AS accepted,
      sum(declined)::INTEGER AS declined, sum(replied)::INTEGER AS replied
    FROM rf_offer_daily WHERE ${inWindow('$1', '$2')}
    GROUP BY 1, 2 ORDER BY shown DESC, offer_id, 2`,
    [w.from, w.to],
  );
}

/**
 * shippingResponse() read from the per-session summaries of the progress bar's and checkouts' events
 * (src/store/sql/rollups.ts) instead of the events: the same rows.
 */
export async function shippingResponseFromRollups(
  db: SqlConn,
  currency: string,
  w: Window,
): Promise<ShippingResponseRows> {
  // A session's answer, checkout and currencies are the same on each of its rows: bool_or and max read them.
  const progress = await db.all<ShippingResponseRows['progress'][number]>(
    `WITH s AS (SELECT session_id, min(gap) AS gap, bool_or(accepted) AS accepted, max(v) AS v FROM rf_fsp_shown
        WHERE ${inWindow('$1', '$2')} GROUP BY 1)
    SELECT floor(gap)::INTEGER AS gap, count(*)::INTEGER AS shown,
      count(*) FILTER (WHERE accepted)::INTEGER AS accepted,
      count(v) FILTER (WHERE accepted)::INTEGER AS checkouts,
      coalesce(sum(v) FILTER (WHERE accepted), 0)::FLOAT8 AS "checkoutValue"
    FROM s GROUP BY 1 ORDER BY 1`,
    [w.from, w.to],
  );
  const checkouts = await db.all<{ unit: number; checkouts: number; orders: number; stratum: string }>(
    `WITH c AS (SELECT session_id, max(v) AS v, min(device) AS device,
        bool_or(coalesce((',' || sold_in || ',') LIKE ('%,' || $1::VARCHAR || ',%'), false)) AS ordered
      FROM rf_checkouts WHERE ${inWindow('$2', '$3')} GROUP BY 1)
    SELECT floor(v)::INTEGER AS unit, device AS stratum, count(*)::INTEGER AS checkouts,
      count(*) FILTER (WHERE ordered)::INTEGER AS orders
    FROM c GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, w.from, w.to],
  );
  const accepted = `SELECT DISTINCT session_id, product_id FROM rf_fsp_accepted WHERE ${inWindow('$2', '$3')}`;
  return { progress, checkouts, ...(await topUps(db, currency, w, accepted)) };
}

/**
 * Whether every human sale of known customers in the currency was placed by the end of `to` (as a report up to
 * the data's last day asks): then the per-customer rollups hold the answer whole.
 */
async function customersCoveredBy(db: SqlConn, currency: string, to: string): Promise<boolean> {
  const r = await db.one<{ covered: boolean }>(
    `SELECT coalesce(max(last_at) < $2::TIMESTAMP + INTERVAL '1 day', true) AS covered FROM rf_customer_totals
    WHERE currency = $1`,
    [currency, to],
  );
  return r.covered;
}

/**
 * customerStats() read from the per-currency customer rollups when `to` takes in all their orders (a report up
 * to the data's last day); over the orders otherwise. The same figures.
 */
export async function customerStatsFromRollups(
  db: SqlConn,
  currency: string,
  to: string,
): Promise<CustomerStats> {
  if (!(await customersCoveredBy(db, currency, to))) return customerStats(db, currency, to);
  const t = await db.all<{ customers: number; repeat: number; orders: number; net: string }>(
    `SELECT customers, repeat, orders, net::VARCHAR AS net FROM rf_customer_totals WHERE currency = $1`,
    [currency],
  );
  const distribution = await db.all<{ orders: number; customers: number }>(
    `SELECT orders, customers FROM rf_customer_orders WHERE currency = $1 ORDER BY 1`,
    [currency],
  );
  return {
    customers: t[0]?.customers ?? 0,
    repeatCustomers: t[0]?.repeat ?? 0,
    orders: t[0]?.orders ?? 0,
    netMinor: decimalToMinor(t[0]?.net ?? '0', currencyExponent(currency)),
    distribution,
  };
}

/** cohorts() read from the cohort rollup (rf_cohorts) when `to` takes in every order; over the orders otherwise. */
export async function cohortsFromRollups(
  db: SqlConn,
  currency: string,
  to: string,
): Promise<{ cohort: string; offset: number; customers: number }[]> {
  if (!(await customersCoveredBy(db, currency, to))) return cohorts(db, currency, to);
  return db.all(`SELECT cohort, "offset", customers FROM rf_cohorts WHERE currency = $1 ORDER BY 1, 2`, [
    currency,
  ]);
}

/** customerSpend() read from the per-currency customer rollups (rf_customer_totals, rf_customer_cohorts). */
export async function customerSpendFromRollups(db: SqlConn, currency: string): Promise<CustomerSpend> {
  const exp = currencyExponent(currency);
  const t = await db.all<SpendTotalsRow>(
    `SELECT first_at::DATE::VARCHAR AS "from", last_at::DATE::VARCHAR AS "to", customers, net::VARCHAR AS net
    FROM rf_customer_totals WHERE currency = $1`,
    [currency],
  );
  const rows = await db.all<SpendCohortRow>(
    `SELECT cohort, customers, s90::VARCHAR AS s90, s365::VARCHAR AS s365, "full" FROM rf_customer_cohorts
    WHERE currency = $1 ORDER BY 1`,
    [currency],
  );
  return spendOf(exp, t[0] ?? { from: null, to: null, customers: 0, net: '0' }, rows);
}
