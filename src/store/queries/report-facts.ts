import { isbot } from 'isbot';
import type { DuckDBValue } from '@duckdb/node-api';
import type { Store } from '../connection.js';

export const SEGMENT_DIMENSIONS = ['device', 'channel', 'landing', 'country', 'customer_type'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
export type Period = 'day' | 'week' | 'month';

/**
 * Builds two temp tables the report aggregates from: rf_sessions (one row per session, with segments and
 * bot flags) and rf_orders (one row per sale or return, with the segments of its session). Bots are found
 * by user agent (isbot, classified once per distinct agent) and by behaviour: zero-duration sessions that
 * view several pages, or that arrive in a burst sharing agent and second.
 */
export async function buildReportFacts(store: Store): Promise<void> {
  const conn = store.conn;
  const agents = await store.all<{ user_agent: string }>(`SELECT DISTINCT user_agent FROM sessions WHERE user_agent IS NOT NULL`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_bot_agents (user_agent VARCHAR)`);
  const app = await conn.createAppender('rf_bot_agents', 'main', 'temp');
  for (const a of agents) if (isbot(a.user_agent)) {
    app.appendVarchar(a.user_agent);
    app.endRow();
  }
  app.closeSync();
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_first_order AS
    SELECT customer_id, min(placed_at) AS first_at FROM orders WHERE kind = 'sale' AND status <> 'cancelled' AND customer_id IS NOT NULL GROUP BY 1`);
  // Burst detection runs on zero-duration sessions only, and landing pages are grouped once per distinct
  // page: both keep the fact table a single pass over the sessions.
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_bursts AS
    SELECT user_agent, date_trunc('second', started_at) AS second FROM sessions WHERE duration_s = 0
    GROUP BY 1, 2 HAVING count(*) >= 3`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_landing AS
    SELECT landing_page, ${landingExpr('landing_page')} AS landing FROM (SELECT DISTINCT landing_page FROM sessions)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_sessions AS
    SELECT s.session_id, s.started_at, s.device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(l.landing, 'unknown') AS landing, coalesce(s.country, 'unknown') AS country,
      CASE WHEN f.first_at IS NOT NULL AND f.first_at < s.started_at THEN 'returning' ELSE 'new' END AS customer_type,
      s.assignment,
      b.user_agent IS NOT NULL AS bot_agent,
      (s.duration_s = 0 AND (coalesce(s.page_views, 0) >= 3 OR u.second IS NOT NULL)) AS bot_behaviour
    FROM sessions s LEFT JOIN rf_bot_agents b USING (user_agent) LEFT JOIN rf_first_order f USING (customer_id)
    LEFT JOIN rf_landing l ON l.landing_page IS NOT DISTINCT FROM s.landing_page
    LEFT JOIN rf_bursts u ON u.user_agent IS NOT DISTINCT FROM s.user_agent AND u.second = date_trunc('second', s.started_at)`);
  await conn.run(`CREATE OR REPLACE TEMP TABLE rf_orders AS
    SELECT o.order_id, o.placed_at, o.kind, o.customer_id, o.session_id IS NOT NULL AS has_session,
      o.gross_merchandise AS gross, o.discount, o.refunded, o.shipping, o.tax,
      coalesce(s.device, 'unknown') AS device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(s.landing, 'unknown') AS landing, coalesce(s.country, o.country, 'unknown') AS country,
      CASE WHEN o.customer_id IS NULL THEN 'guest'
           WHEN row_number() OVER (PARTITION BY o.customer_id, o.kind ORDER BY o.placed_at, o.order_id) > 1 THEN 'returning'
           ELSE 'new' END AS customer_type,
      s.assignment, coalesce(s.bot_agent OR s.bot_behaviour, false) AS from_bot,
      coalesce(l.items, 0) AS items, coalesce(l.lines, 0) AS lines
    FROM orders o
    LEFT JOIN rf_sessions s USING (session_id)
    LEFT JOIN (SELECT order_id, sum(quantity) AS items, count(*) AS lines FROM order_lines WHERE line_type = 'product' GROUP BY 1) l USING (order_id)
    WHERE (o.kind = 'sale' AND o.status <> 'cancelled') OR o.kind = 'return'`);
}

/** Landing pages grouped to their first two path segments ("/products/cm-basic", "/collections/coffee"). */
function landingExpr(col: string): string {
  return `coalesce(nullif(regexp_extract(${col}, '^(/[^/?#]*(/[^/?#]*)?)', 1), ''), 'unknown')`;
}

export interface FactRow {
  key: string;
  seg: string;
  sessions: number;
  bot_agent: number;
  bot_behaviour: number;
  orders: number;
  bot_orders: number;
  linked_orders: number;
  gross: string;
  discount: string;
  refunded: string;
  returns: string;
  shipping: string;
  tax: string;
  items: number;
  lines: number;
}

/**
 * Sessions and orders grouped by a key (a period or a window) and a segment. Returns (credit notes with no
 * original order) count against revenue but are not orders.
 */
export async function aggregateFacts(store: Store, keyExpr: { sessions: string; orders: string }, seg: SegmentDimension | 'assignment' | null, params: DuckDBValue[] = []): Promise<FactRow[]> {
  const segCol = seg ?? `'all'`;
  return store.all<FactRow>(`
    WITH s AS (
      SELECT k, sg, count(*)::INTEGER AS sessions,
        count(*) FILTER (WHERE bot_agent)::INTEGER AS bot_agent,
        count(*) FILTER (WHERE bot_behaviour AND NOT bot_agent)::INTEGER AS bot_behaviour
      FROM (SELECT *, ${keyExpr.sessions} AS k, ${segCol} AS sg FROM rf_sessions) WHERE k IS NOT NULL GROUP BY k, sg),
    o AS (
      SELECT k, sg,
        count(*) FILTER (WHERE kind = 'sale')::INTEGER AS orders,
        count(*) FILTER (WHERE kind = 'sale' AND from_bot)::INTEGER AS bot_orders,
        count(*) FILTER (WHERE kind = 'sale' AND has_session)::INTEGER AS linked_orders,
        coalesce(sum(gross) FILTER (WHERE kind = 'sale'), 0)::VARCHAR AS gross,
        coalesce(sum(discount) FILTER (WHERE kind = 'sale'), 0)::VARCHAR AS discount,
        coalesce(sum(refunded) FILTER (WHERE kind = 'sale'), 0)::VARCHAR AS refunded,
        coalesce(sum(refunded) FILTER (WHERE kind = 'return'), 0)::VARCHAR AS returns,
        coalesce(sum(shipping) FILTER (WHERE kind = 'sale'), 0)::VARCHAR AS shipping,
        coalesce(sum(tax) FILTER (WHERE kind = 'sale'), 0)::VARCHAR AS tax,
        coalesce(sum(items) FILTER (WHERE kind = 'sale'), 0)::INTEGER AS items,
        coalesce(sum(lines) FILTER (WHERE kind = 'sale'), 0)::INTEGER AS lines
      FROM (SELECT *, ${keyExpr.orders} AS k, ${segCol} AS sg FROM rf_orders) WHERE k IS NOT NULL GROUP BY k, sg)
    SELECT coalesce(s.k, o.k)::VARCHAR AS key, coalesce(s.sg, o.sg)::VARCHAR AS seg,
      coalesce(s.sessions, 0) AS sessions, coalesce(s.bot_agent, 0) AS bot_agent, coalesce(s.bot_behaviour, 0) AS bot_behaviour,
      coalesce(o.orders, 0) AS orders, coalesce(o.bot_orders, 0) AS bot_orders, coalesce(o.linked_orders, 0) AS linked_orders,
      coalesce(o.gross, '0') AS gross, coalesce(o.discount, '0') AS discount, coalesce(o.refunded, '0') AS refunded,
      coalesce(o.returns, '0') AS returns, coalesce(o.shipping, '0') AS shipping, coalesce(o.tax, '0') AS tax,
      coalesce(o.items, 0) AS items, coalesce(o.lines, 0) AS lines
    FROM s FULL OUTER JOIN o ON s.k = o.k AND s.sg = o.sg ORDER BY 1, 2`, params);
}
