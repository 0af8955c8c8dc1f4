import type { OfferEventRow, ShippingResponseRows, Window } from '../../port.js';
import type { SqlConn } from '../conn.js';
import { topUps } from './details.js';

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
  const accepted = `SELECT DISTINCT session_id, product_id FROM rf_fsp_accepted WHERE ${inWindow('$2', '$3')}`;
  return { progress, checkouts, ...(await topUps(db, currency, w, accepted)) };
}
