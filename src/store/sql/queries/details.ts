import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { CustomerSpend } from '../../../core/metrics/customers.js';
import type {
  CustomerStats,
  DataRange,
  OfferEventRow,
  ShippingResponseRows,
  ValueBinMarginRow,
  ValueBinRow,
  Window,
} from '../../port.js';
import type { SqlConn } from '../conn.js';
import { inDays, isSale } from '../definitions.js';

/**
 * Sale orders in a window by merchandise value after discounts, in whole major units, and what shipping they
 * paid.
 */
export async function orderValueBins(db: SqlConn, currency: string, w: Window): Promise<ValueBinRow[]> {
  const rows = await db.all<{ unit: number; orders: number; paid: number; shipping: string }>(
    `SELECT floor(gross - discount)::INTEGER AS unit, count(*)::INTEGER AS orders,
      count(*) FILTER (WHERE shipping > 0)::INTEGER AS paid, coalesce(sum(shipping), 0)::VARCHAR AS shipping
    FROM rf_orders WHERE kind = 'sale' AND NOT from_bot AND gross IS NOT NULL AND currency = $1 AND ${inDays('placed_at', '$2', '$3')}
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

/**
 * What the sale orders of each value bin (the bins orderValueBins counts) sold, over the orders whose every product
 * line has a known cost: at price, and at what the store gave up for them (their goods' cost, the discount and the
 * refunds), so 1 − cost / revenue is what a cart of that value leaves the store. Charging
 * shipping on a cart costs that margin when the shopper leaves, so the threshold estimate prices each value at its
 * own margin rather than the store's average (big carts often carry the low-margin items), net of what is refunded
 * (a refunded order still cost its goods).
 */
export async function valueBinMargins(
  db: SqlConn,
  currency: string,
  w: Window,
): Promise<ValueBinMarginRow[]> {
  // Orders whose every product line has a cost, so the order's own sums need no share taken (and stay exact).
  const rows = await db.all<{ unit: number; revenue: string; cost: string }>(
    `WITH x AS (SELECT o.order_id, floor(o.gross - o.discount)::INTEGER AS unit, o.gross AS g,
          o.discount + o.refunded AS given, sum(p.cost * l.quantity) AS cogs, count(*) AS lines,
          count(p.cost) AS costed
        FROM rf_orders o JOIN order_lines l ON l.order_id = o.order_id
          LEFT JOIN products p ON p.product_id = l.product_id
        WHERE o.kind = 'sale' AND NOT o.from_bot AND o.gross > 0 AND o.currency = $1
          AND ${inDays('o.placed_at', '$2', '$3')} AND l.line_type = 'product' AND l.quantity > 0
        GROUP BY 1, 2, 3, 4)
    SELECT unit, sum(g)::VARCHAR AS revenue, sum(cogs + given)::VARCHAR AS cost
    FROM x WHERE lines = costed GROUP BY 1 ORDER BY 1`,
    [currency, w.from, w.to],
  );
  return rows.map((r) => ({ unit: r.unit, revenue: Number(r.revenue), cost: Number(r.cost) }));
}

/**
 * Carts shown the free-shipping progress bar (its value is the gap) and whether the session topped up; checkouts
 * (the begin_checkout event's value is the cart) and whether the session's order followed. Sessions flagged as
 * bots are out, as everywhere.
 */
export async function shippingResponse(
  db: SqlConn,
  currency: string,
  w: Window,
): Promise<ShippingResponseRows> {
  const human = `session_id IN (SELECT session_id FROM rf_sessions WHERE NOT bot_agent AND NOT bot_behaviour)`;
  const progress = await db.all<ShippingResponseRows['progress'][number]>(
    `WITH s AS (SELECT session_id, min(value) AS gap FROM events
        WHERE type = 'offer_shown' AND offer_id = 'free-shipping-progress' AND value > 0 AND ${human}
          AND ${inDays('occurred_at', '$1', '$2')} GROUP BY 1),
      a AS (SELECT DISTINCT session_id FROM events WHERE type = 'offer_accepted'
        AND offer_id = 'free-shipping-progress'),
      c AS (SELECT session_id, max(value) AS v FROM events WHERE type = 'begin_checkout' GROUP BY 1)
    SELECT floor(s.gap)::INTEGER AS gap, count(*)::INTEGER AS shown, count(a.session_id)::INTEGER AS accepted,
      count(c.v) FILTER (WHERE a.session_id IS NOT NULL)::INTEGER AS checkouts,
      coalesce(sum(c.v) FILTER (WHERE a.session_id IS NOT NULL), 0)::FLOAT8 AS "checkoutValue"
    FROM s LEFT JOIN a USING (session_id) LEFT JOIN c USING (session_id) GROUP BY 1 ORDER BY 1`,
    [w.from, w.to],
  );
  const checkouts = await db.all<{ unit: number; checkouts: number; orders: number; stratum: string }>(
    `WITH c AS (SELECT session_id, max(value) AS v FROM events
        WHERE type = 'begin_checkout' AND value > 0 AND ${human} AND ${inDays('occurred_at', '$2', '$3')}
        GROUP BY 1),
      o AS (SELECT DISTINCT unit_session AS session_id FROM rf_orders
        WHERE kind = 'sale' AND currency = $1 AND unit_session IS NOT NULL)
    SELECT floor(c.v)::INTEGER AS unit, coalesce(s.device, 'unknown') AS stratum, count(*)::INTEGER AS checkouts,
      count(o.session_id)::INTEGER AS orders
    FROM c LEFT JOIN o USING (session_id) LEFT JOIN rf_sessions s USING (session_id) GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, w.from, w.to],
  );
  const accepted = `SELECT DISTINCT session_id, product_id FROM events
    WHERE type = 'offer_accepted' AND offer_id = 'free-shipping-progress' AND product_id IS NOT NULL
      AND ${human} AND ${inDays('occurred_at', '$2', '$3')}`;
  return { progress, checkouts, ...(await topUps(db, currency, w, accepted)) };
}

/**
 * What the accepted progress bars' top-ups added and the orders they made, given `accepted`: a query of the
 * (session_id, product_id) of each accepted bar in the window ($2 to $3), from the events or from their rollup.
 * - topUpLines: the lines of the product each accepted bar named, in the orders of those sessions, at their price
 *   and (where known) cost;
 * - toppedUp: the same orders as orderValueBins counts (rf_orders, sales not from bots, by placed_at), by order
 *   value and by the cart before the top-up, so the measured top-ups can be taken out of those bins and put back at
 *   the carts they came from.
 */
export async function topUps(
  db: SqlConn,
  currency: string,
  w: Window,
  accepted: string,
): Promise<Pick<ShippingResponseRows, 'topUpLines' | 'toppedUp'>> {
  const t = await db.one<{ revenue: string | null; cost: string | null; lines: number }>(
    `WITH a AS (${accepted})
    SELECT sum(l.unit_price * l.quantity)::VARCHAR AS revenue,
      sum(p.cost * l.quantity)::VARCHAR AS cost, count(*)::INTEGER AS lines
    FROM a JOIN orders o USING (session_id)
      JOIN order_lines l ON l.order_id = o.order_id AND l.product_id = a.product_id
      JOIN products p ON p.product_id = l.product_id
    WHERE ${isSale('o')} AND o.currency = $1 AND l.line_type = 'product' AND l.quantity > 0
      AND p.cost IS NOT NULL`,
    [currency, w.from, w.to],
  );
  const toppedUp = await db.all<ShippingResponseRows['toppedUp'][number]>(
    `WITH a AS (${accepted}),
      t AS (SELECT o.order_id, o.gross - o.discount AS v,
          sum(l.unit_price * l.quantity - coalesce(l.line_discount, 0)) AS added
        FROM rf_orders o JOIN a ON a.session_id = o.unit_session
          JOIN order_lines l ON l.order_id = o.order_id AND l.product_id = a.product_id
        WHERE o.kind = 'sale' AND NOT o.from_bot AND o.gross IS NOT NULL AND o.currency = $1
          AND ${inDays('o.placed_at', '$2', '$3')} AND l.line_type = 'product' AND l.quantity > 0
        GROUP BY 1, 2)
    SELECT floor(greatest(v - added, 0))::INTEGER AS before, floor(v)::INTEGER AS unit,
      count(*)::INTEGER AS orders
    FROM t GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, w.from, w.to],
  );
  return { topUpLines: { revenue: t.revenue ?? '0', cost: t.cost, lines: t.lines }, toppedUp };
}

const perCustomer = `SELECT customer_id, count(*) AS n, sum(gross - discount - refunded) AS net FROM rf_orders
  WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL AND currency = $1 AND placed_at < $2::TIMESTAMP
    + INTERVAL '1 day' GROUP BY 1`;

export async function customerStats(db: SqlConn, currency: string, to: string): Promise<CustomerStats> {
  const t = await db.one<{ customers: number; repeat: number; orders: number; net: string }>(
    `SELECT count(*)::INTEGER AS customers, count(*) FILTER (WHERE n >= 2)::INTEGER AS repeat,
       coalesce(sum(n), 0)::INTEGER AS orders, coalesce(sum(net), 0)::VARCHAR AS net FROM (${perCustomer}) pc`,
    [currency, to],
  );
  const distribution = await db.all<{ orders: number; customers: number }>(
    `SELECT least(n, 10)::INTEGER AS orders, count(*)::INTEGER AS customers FROM (${perCustomer}) pc GROUP BY ` +
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
  db: SqlConn,
  currency: string,
  to: string,
): Promise<{ cohort: string; offset: number; customers: number }[]> {
  const d = db.dialect;
  return db.all(
    `WITH o AS (
      SELECT customer_id, date_trunc('month', placed_at) AS m FROM rf_orders
      WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL AND currency = $1 AND placed_at < $2::TIMESTAMP +
        INTERVAL '1 day'),
    f AS (SELECT customer_id, min(m) AS cohort FROM o GROUP BY 1)
    SELECT ${d.monthText('f.cohort')} AS cohort, (${d.monthsBetween('f.cohort', 'o.m')})::INTEGER AS "offset",
      count(DISTINCT o.customer_id)::INTEGER AS customers
    FROM o JOIN f USING (customer_id) GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, to],
  );
}

/**
 * Offer impressions and answers of the sessions in the window, each event on its session's first day (an offer
 * shown before midnight and accepted after it is one session's, as the report's sessions and holdout are);
 * an event without a known session on its own day.
 */
export async function offerEvents(db: SqlConn, w: Window): Promise<OfferEventRow[]> {
  return db.all(
    `SELECT e.offer_id, coalesce(e.channel, 'web') AS channel,
      count(*) FILTER (WHERE e.type = 'offer_shown')::INTEGER AS shown,
      count(*) FILTER (WHERE e.type = 'offer_accepted')::INTEGER AS accepted,
      count(*) FILTER (WHERE e.type = 'offer_declined')::INTEGER AS declined,
      count(*) FILTER (WHERE e.type = 'offer_replied')::INTEGER AS replied
    FROM events e LEFT JOIN sessions s USING (session_id)
    WHERE e.offer_id IS NOT NULL
      AND e.type IN ('offer_shown', 'offer_accepted', 'offer_declined', 'offer_replied')
      AND ${inDays('coalesce(s.started_at, e.occurred_at)', '$1', '$2')}
    GROUP BY 1, 2 ORDER BY shown DESC, e.offer_id, 2`,
    [w.from, w.to],
  );
}

/** The data's date range (sessions and sales), as YYYY-MM-DD. */
export async function dataRange(db: SqlConn): Promise<DataRange> {
  const r = await db.one<{ first: string | null; last: string | null; s: number }>(`SELECT
      least((SELECT min(started_at) FROM rf_sessions), (SELECT min(placed_at) FROM
        rf_orders))::DATE::VARCHAR AS first,
      greatest((SELECT max(started_at) FROM rf_sessions), (SELECT max(placed_at) FROM
        rf_orders))::DATE::VARCHAR AS last,
      (SELECT count(*) FROM rf_sessions)::INTEGER AS s`);
  return { first: r.first, last: r.last, hasSessions: r.s > 0 };
}

/** Known customers' actual spend over the whole history, and by first-order cohort within 90 and 365 days. */
export async function customerSpend(db: SqlConn, currency: string): Promise<CustomerSpend> {
  const exp = currencyExponent(currency);
  const per = `WITH o AS (SELECT customer_id, placed_at, gross - discount - refunded AS net FROM rf_orders
      WHERE kind = 'sale' AND customer_id IS NOT NULL AND currency = $1 AND NOT from_bot),
    f AS (SELECT customer_id, min(placed_at) AS first_at FROM o GROUP BY 1)`;
  const t = await db.one<SpendTotalsRow>(
    `${per}
    SELECT min(placed_at)::DATE::VARCHAR AS "from", max(placed_at)::DATE::VARCHAR AS "to",
      count(DISTINCT customer_id)::INTEGER AS customers, coalesce(sum(net), 0)::VARCHAR AS net FROM o`,
    [currency],
  );
  const rows = await db.all<SpendCohortRow>(
    `${per},
    last AS (SELECT max(placed_at) AS last_at FROM o)
    SELECT ${db.dialect.monthText("date_trunc('month', f.first_at)")} AS cohort, count(DISTINCT f.customer_id)::INTEGER AS customers,
      coalesce(sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '90 days'), 0)::VARCHAR AS s90,
      coalesce(sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '365 days'), 0)::VARCHAR AS s365,
      bool_and(f.first_at + INTERVAL '365 days' <= (SELECT last_at FROM last)) AS "full"
    FROM f JOIN o USING (customer_id) GROUP BY 1 ORDER BY 1`,
    [currency],
  );
  return spendOf(exp, t, rows);
}

export interface SpendTotalsRow {
  from: string | null;
  to: string | null;
  customers: number;
  net: string;
}
export interface SpendCohortRow {
  cohort: string;
  customers: number;
  s90: string;
  s365: string;
  full: boolean;
}

/** CustomerSpend from its totals and cohort rows, whether grouped from the orders or read from their rollups. */
export function spendOf(exp: number, t: SpendTotalsRow, rows: readonly SpendCohortRow[]): CustomerSpend {
  const m = (v: string) => decimalToMinor(v, exp);
  return {
    from: t.from,
    to: t.to,
    customers: t.customers,
    netMinor: m(t.net),
    cohorts: rows.map((r) => ({
      cohort: r.cohort,
      customers: r.customers,
      spend90Minor: m(r.s90) / r.customers,
      spend365Minor: m(r.s365) / r.customers,
      full365: r.full,
    })),
  };
}
