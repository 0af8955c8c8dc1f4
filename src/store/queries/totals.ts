import type { Store } from '../connection.js';

/** Raw totals per currency, money as exact decimal text; ratios are computed in the core. */
export interface TotalsRow {
  currency: string;
  orders: number;
  orders_with_session: number;
  customers: number;
  gross: string;
  discount: string;
  returns: string;
  net: string;
  first_order: string | null;
  last_order: string | null;
}

export interface SessionTotals {
  sessions: number;
  first_session: string | null;
  last_session: string | null;
  by_user_agent: { user_agent: string | null; sessions: number; orders: number }[];
}

// A sale counts as an order unless cancelled; its net is gross − discount − refunded, and return
// notes (credits with no original order) are netted into revenue as their own rows.
const ORDER_TOTALS = `
  SELECT currency,
    count(*) FILTER (WHERE kind = 'sale' AND status <> 'cancelled')::INTEGER AS orders,
    count(*) FILTER (WHERE kind = 'sale' AND status <> 'cancelled' AND session_id IS NOT NULL)::INTEGER AS orders_with_session,
    count(DISTINCT customer_id) FILTER (WHERE kind = 'sale' AND status <> 'cancelled')::INTEGER AS customers,
    coalesce(sum(gross_merchandise) FILTER (WHERE kind = 'sale' AND status <> 'cancelled'), 0)::VARCHAR AS gross,
    coalesce(sum(discount) FILTER (WHERE kind = 'sale' AND status <> 'cancelled'), 0)::VARCHAR AS discount,
    coalesce(sum(refunded) FILTER (WHERE kind = 'return' OR (kind = 'sale' AND status <> 'cancelled')), 0)::VARCHAR AS returns,
    coalesce(sum(gross_merchandise - discount - refunded) FILTER (WHERE kind = 'sale' AND status <> 'cancelled')
      - coalesce(sum(refunded) FILTER (WHERE kind = 'return'), 0), 0)::VARCHAR AS net,
    min(placed_at)::VARCHAR AS first_order, max(placed_at)::VARCHAR AS last_order
  FROM orders GROUP BY currency ORDER BY orders DESC`;

export async function orderTotals(store: Store): Promise<TotalsRow[]> {
  return store.all<TotalsRow>(ORDER_TOTALS);
}

export async function sessionTotals(store: Store): Promise<SessionTotals> {
  const t = await store.one<{ sessions: number; first_session: string | null; last_session: string | null }>(
    `SELECT count(*)::INTEGER AS sessions, min(started_at)::VARCHAR AS first_session, max(started_at)::VARCHAR AS last_session FROM sessions`,
  );
  // Few distinct user agents against many sessions: classify each agent once in the core.
  const by_user_agent = await store.all<{ user_agent: string | null; sessions: number; orders: number }>(
    `SELECT s.user_agent, count(*)::INTEGER AS sessions, count(o.order_id)::INTEGER AS orders
     FROM sessions s LEFT JOIN (SELECT DISTINCT ON (session_id) session_id, order_id FROM orders
       WHERE kind = 'sale' AND status <> 'cancelled' AND session_id IS NOT NULL) o USING (session_id)
     GROUP BY s.user_agent`,
  );
  return { ...t, by_user_agent };
}
