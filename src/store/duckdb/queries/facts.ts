import { isbot } from 'isbot';
import { EMPTY_AGGREGATE, type Aggregate } from '../../../core/metrics/identity.js';
import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { AggregateKey, AggregateRow, SegmentDimension } from '../../port.js';
import type { DuckDb } from '../connection.js';
import {
  botByBehaviour,
  BURSTS_SQL,
  inDays,
  isReturn,
  isSale,
  landingOf,
  periodStart,
} from '../definitions.js';
import { ident } from '../schema.js';

/**
 * Builds the fact tables every metric aggregates from: rf_sessions (one row per session, with its segments
 * and bot flags) and rf_orders (one row per sale or return, with its session's segments). Bots by user agent
 * come from isbot, classified once per distinct agent; by behaviour from the definitions.
 */
export async function buildFacts(db: DuckDb): Promise<void> {
  const agents = await db.all<{ user_agent: string }>(
    `SELECT DISTINCT user_agent FROM sessions WHERE user_agent IS NOT NULL`,
  );
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_bot_agents (user_agent VARCHAR)`);
  const app = await db.conn.createAppender('rf_bot_agents', 'main', 'temp');
  for (const a of agents) {
    if (!isbot(a.user_agent)) continue;
    app.appendVarchar(a.user_agent);
    app.endRow();
  }
  app.closeSync();
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_first_order AS
    SELECT customer_id, min(placed_at) AS first_at FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL
      GROUP BY 1`);
  // Bursts are looked for among zero-second sessions only, and landing pages are grouped once per distinct
  // page: both keep the fact table a single pass over the sessions.
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_bursts AS ${BURSTS_SQL}`);
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_landing AS
    SELECT landing_page, ${landingOf('landing_page')} AS landing FROM (SELECT DISTINCT landing_page FROM
      sessions)`);
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_sessions AS
    SELECT s.session_id, s.started_at, s.device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(l.landing, 'unknown') AS landing, coalesce(s.country, 'unknown') AS country,
      CASE WHEN f.first_at IS NOT NULL AND f.first_at < s.started_at THEN 'returning' ELSE 'new' END AS
        customer_type,
      s.assignment, s.user_agent IS NOT NULL AS agent_known,
      b.user_agent IS NOT NULL AS bot_agent,
      ${botByBehaviour('s', 'u')} AS bot_behaviour
    FROM sessions s LEFT JOIN rf_bot_agents b USING (user_agent) LEFT JOIN rf_first_order f USING
      (customer_id)
    LEFT JOIN rf_landing l ON l.landing_page IS NOT DISTINCT FROM s.landing_page
    LEFT JOIN rf_bursts u ON u.user_agent = s.user_agent AND u.second = date_trunc('second', s.started_at)`);
  await db.run(`CREATE OR REPLACE TEMP TABLE rf_orders AS
    SELECT o.order_id, o.placed_at, o.kind, o.currency, o.customer_id, o.session_id IS NOT NULL AS
      has_session, o.source = 'client' AS client,
      o.gross_merchandise AS gross, o.discount, o.refunded, o.shipping, o.tax,
      coalesce(s.device, 'unknown') AS device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(s.landing, 'unknown') AS landing, coalesce(s.country, o.country, 'unknown') AS country,
      CASE WHEN o.customer_id IS NULL THEN 'guest'
           WHEN row_number() OVER (PARTITION BY o.customer_id, o.kind ORDER BY o.placed_at, o.order_id) > 1
             THEN 'returning'
           ELSE 'new' END AS customer_type,
      s.assignment, coalesce(s.bot_agent OR s.bot_behaviour, false) AS from_bot,
      coalesce(l.items, 0) AS items, coalesce(l.lines, 0) AS lines
    FROM orders o
    LEFT JOIN rf_sessions s USING (session_id)
    LEFT JOIN (SELECT order_id, sum(quantity) AS items, count(*) AS lines FROM order_lines WHERE line_type =
      'product' GROUP BY 1) l
      USING (order_id)
    WHERE (${isSale('o')}) OR ${isReturn('o')}`);
}

interface FactRow {
  key: string;
  seg: string;
  sessions: number;
  agent_known: number;
  bot_agent: number;
  bot_behaviour: number;
  orders: number;
  bot_orders: number;
  client_orders: number;
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

/** The SQL key expression for sessions and orders, and its bound parameters. */
function keyOf(key: AggregateKey): { sessions: string; orders: string; params: string[] } {
  if (key.by === 'all') return { sessions: `'all'`, orders: `'all'`, params: [] };
  if (key.by === 'period') {
    return {
      sessions: periodStart(key.period, 'started_at'),
      orders: periodStart(key.period, 'placed_at'),
      params: [],
    };
  }
  const w = (c: string) =>
    `CASE WHEN ${inDays(c, '$2', '$3')} THEN 'current' WHEN ${inDays(c, '$4', '$5')} THEN 'previous' END`;
  return {
    sessions: w('started_at'),
    orders: w('placed_at'),
    params: [key.current.from, key.current.to, key.previous.from, key.previous.to],
  };
}

/**
 * Sessions and the orders of one currency grouped by a key and a segment. Returns (credit notes with no
 * original order) count against revenue but are not orders.
 */
export async function aggregates(
  db: DuckDb,
  currency: string,
  key: AggregateKey,
  by: SegmentDimension | 'assignment' | null,
): Promise<AggregateRow[]> {
  const k = keyOf(key);
  const seg = by ? ident(by) : `'all'`;
  const sale = `kind = 'sale'`;
  const rows = await db.all<FactRow>(
    `
    WITH s AS (
      SELECT k, sg, count(*)::INTEGER AS sessions, count(*) FILTER (WHERE agent_known)::INTEGER AS
        agent_known,
        count(*) FILTER (WHERE bot_agent)::INTEGER AS bot_agent,
        count(*) FILTER (WHERE bot_behaviour AND NOT bot_agent)::INTEGER AS bot_behaviour
      FROM (SELECT *, ${k.sessions} AS k, ${seg} AS sg FROM rf_sessions) WHERE k IS NOT NULL GROUP BY k, sg),
    o AS (
      SELECT k, sg,
        count(*) FILTER (WHERE ${sale})::INTEGER AS orders,
        count(*) FILTER (WHERE ${sale} AND from_bot)::INTEGER AS bot_orders,
        count(*) FILTER (WHERE ${sale} AND has_session)::INTEGER AS linked_orders,
        count(*) FILTER (WHERE ${sale} AND client)::INTEGER AS client_orders,
        coalesce(sum(gross) FILTER (WHERE ${sale}), 0)::VARCHAR AS gross,
        coalesce(sum(discount) FILTER (WHERE ${sale}), 0)::VARCHAR AS discount,
        coalesce(sum(refunded) FILTER (WHERE ${sale}), 0)::VARCHAR AS refunded,
        coalesce(sum(refunded) FILTER (WHERE kind = 'return'), 0)::VARCHAR AS returns,
        coalesce(sum(shipping) FILTER (WHERE ${sale}), 0)::VARCHAR AS shipping,
        coalesce(sum(tax) FILTER (WHERE ${sale}), 0)::VARCHAR AS tax,
        coalesce(sum(items) FILTER (WHERE ${sale}), 0)::INTEGER AS items,
        coalesce(sum(lines) FILTER (WHERE ${sale}), 0)::INTEGER AS lines
      FROM (SELECT *, ${k.orders} AS k, ${seg} AS sg FROM rf_orders WHERE currency = $1) WHERE k IS NOT NULL
        GROUP BY k, sg)
    SELECT coalesce(s.k, o.k)::VARCHAR AS key, coalesce(s.sg, o.sg)::VARCHAR AS seg,
      coalesce(s.sessions, 0) AS sessions, coalesce(s.agent_known, 0) AS agent_known,
      coalesce(s.bot_agent, 0) AS bot_agent, coalesce(s.bot_behaviour, 0) AS bot_behaviour,
      coalesce(o.orders, 0) AS orders, coalesce(o.bot_orders, 0) AS bot_orders, coalesce(o.client_orders, 0) AS client_orders, coalesce(o.linked_orders, 0)
        AS linked_orders,
      coalesce(o.gross, '0') AS gross, coalesce(o.discount, '0') AS discount, coalesce(o.refunded, '0') AS
        refunded,
      coalesce(o.returns, '0') AS returns, coalesce(o.shipping, '0') AS shipping, coalesce(o.tax, '0') AS tax,
      coalesce(o.items, 0) AS items, coalesce(o.lines, 0) AS lines
    FROM s FULL OUTER JOIN o ON s.k = o.k AND s.sg IS NOT DISTINCT FROM o.sg ORDER BY 1, 2`,
    [currency, ...k.params],
  );
  const exp = currencyExponent(currency);
  return rows.map((r) => ({
    key: r.key.slice(0, 10),
    segment: r.seg ?? 'unknown',
    aggregate: toAggregate(r, exp),
  }));
}

function toAggregate(r: FactRow, exp: number): Aggregate {
  const m = (v: string) => decimalToMinor(v, exp);
  return {
    ...EMPTY_AGGREGATE,
    sessions: r.sessions,
    sessionsWithAgent: r.agent_known,
    botAgent: r.bot_agent,
    botBehaviour: r.bot_behaviour,
    orders: r.orders,
    botOrders: r.bot_orders,
    clientOrders: r.client_orders,
    linkedOrders: r.linked_orders,
    grossMinor: m(r.gross),
    discountMinor: m(r.discount),
    refundedMinor: m(r.refunded),
    returnsMinor: m(r.returns),
    shippingMinor: m(r.shipping),
    taxMinor: m(r.tax),
    items: r.items,
    lines: r.lines,
  };
}
