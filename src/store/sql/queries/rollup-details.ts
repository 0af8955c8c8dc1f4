import type { OfferEventRow, ShippingResponseRows, Window } from '../../port.js';
import type { SqlConn } from '../conn.js';
import { inDays, isSale } from '../definitions.js';

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
  const progress = await db.all<ShippingResponseRows['progress'][number]>(
    `WITH s AS (SELECT session_id, min(gap) AS gap FROM rf_fsp_shown WHERE ${inWindow('$1', '$2')} GROUP BY 1)
    SELECT floor(s.gap)::INTEGER AS gap, count(*)::INTEGER AS shown,
      count(*) FILTER (WHERE o.accepted)::INTEGER AS accepted,
      count(o.v) FILTER (WHERE o.accepted)::INTEGER AS checkouts,
      coalesce(sum(o.v) FILTER (WHERE o.accepted), 0)::FLOAT8 AS "checkoutValue"
    FROM s LEFT JOIN rf_session_offers o USING (session_id) GROUP BY 1 ORDER BY 1`,
    [w.from, w.to],
  );
  const checkouts = await db.all<{ unit: number; checkouts: number; orders: number; stratum: string }>(
    `WITH c AS (SELECT session_id, max(v) AS v, min(device) AS device FROM rf_checkouts
        WHERE ${inWindow('$2', '$3')} GROUP BY 1),
      o AS (SELECT DISTINCT unit_session AS session_id FROM rf_orders
        WHERE kind = 'sale' AND currency = $1 AND unit_session IS NOT NULL)
    SELECT floor(c.v)::INTEGER AS unit, c.device AS stratum, count(*)::INTEGER AS checkouts,
      count(o.session_id)::INTEGER AS orders
    FROM c LEFT JOIN o USING (session_id) GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency, w.from, w.to],
  );
  const t = await db.one<{ revenue: string | null; cost: string | null; lines: number }>(
    `WITH a AS (SELECT DISTINCT session_id, product_id FROM rf_fsp_accepted WHERE ${inWindow('$2', '$3')})
    SELECT sum(l.unit_price * l.quantity)::VARCHAR AS revenue,
      sum(p.cost * l.quantity)::VARCHAR AS cost, count(*)::INTEGER AS lines
    FROM a JOIN orders o USING (session_id)
      JOIN order_lines l ON l.order_id = o.order_id AND l.product_id = a.product_id
      JOIN products p ON p.product_id = l.product_id
    WHERE ${isSale('o')} AND o.currency = $1 AND l.line_type = 'product' AND l.quantity > 0
      AND p.cost IS NOT NULL`,
    [currency, w.from, w.to],
  );
  // As shippingResponse(): the orders orderValueBins counts whose session topped up, by order value and by the cart
  // before the top-up.
  const toppedUp = await db.all<ShippingResponseRows['toppedUp'][number]>(
    `WITH a AS (SELECT DISTINCT session_id, product_id FROM rf_fsp_accepted WHERE ${inWindow('$2', '$3')}),
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
  return {
    progress,
    checkouts,
    topUpLines: { revenue: t.revenue ?? '0', cost: t.cost, lines: t.lines },
    toppedUp,
  };
}
