import { isbot } from 'isbot';
import { EMPTY_AGGREGATE, type Aggregate, type RevenueBasis } from '../../../core/metrics/identity.js';
import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { AggregateBy, AggregateKey, AggregateRow, Window } from '../../port.js';
import type { SqlConn } from '../conn.js';
import {
  botByBehaviour,
  BURSTS_SQL,
  inDays,
  isReturn,
  isSale,
  landingOf,
  EXACT,
  periodStart,
  variantOf,
} from '../definitions.js';
import type { Dialect } from '../dialect.js';
import { ident } from '../conn.js';

/**
 * Builds the fact tables every metric aggregates from. rf_sessions: one row per session with its segments and bot
 * flags (by user agent, isbot once per distinct agent; by behaviour only when it placed no order). rf_orders: one row
 * per sale or return with its session's segments, `at` its session's start (an order belongs to the visit that made
 * it; one without a human session is at its own time), and whether a bot's session placed it.
 *
 * With a scope (tables of session_id and order_id), only the rows of those sessions and orders are made, from
 * everything they depend on (their customers' orders, the sessions of their bursts), for an incremental update;
 * `make` then replaces those rows, and rf_orders reads rf_sessions once its scope's rows are made.
 */
export async function buildFacts(
  db: SqlConn,
  make: (db: SqlConn, name: string, select: string) => Promise<void> = (c, name, select) =>
    c.tempTable(name, select),
  scope?: { sessions: string; orders: string },
): Promise<void> {
  const inS = (col: string) => (scope ? ` AND ${col} IN (SELECT session_id FROM ${scope.sessions})` : '');
  const scoped = scope
    ? `(SELECT * FROM sessions WHERE session_id IN (SELECT session_id FROM ${scope.sessions}))`
    : 'sessions';
  const agents = await db.all<{ user_agent: string }>(
    `SELECT DISTINCT user_agent FROM ${scoped} x WHERE user_agent IS NOT NULL`,
  );
  await db.tempStrings(
    'rf_bot_agents',
    'user_agent',
    agents.map((a) => a.user_agent).filter((a) => isbot(a)),
  );
  await db.tempTable(
    'rf_first_order',
    `SELECT customer_id, min(placed_at) AS first_at FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL${
      scope ? ` AND customer_id IN (SELECT customer_id FROM ${scoped} x)` : ''
    }
    GROUP BY 1`,
  );
  await db.tempTable(
    'rf_ordered',
    `SELECT DISTINCT session_id FROM orders WHERE ${isSale()} AND session_id IS NOT NULL${inS('session_id')}`,
  );
  // Bursts are looked for among zero-second sessions only, and landing pages are grouped once per distinct page:
  // both keep the fact table a single pass over the sessions. A session without a landing page matches no row
  // and is 'unknown', as landingOf(NULL) says: joined on equality, which PostgreSQL hashes (IS NOT DISTINCT FROM
  // made it compare every session with every page, 8 of the 11 s of this table at a million sessions).
  await db.tempTable(
    'rf_bursts',
    scope
      ? // BURSTS_SQL's groups, of the scope's (agent, second) pairs only.
        `SELECT s.user_agent, date_trunc('second', s.started_at) AS second FROM sessions s
          JOIN (SELECT DISTINCT user_agent, date_trunc('second', started_at) AS second FROM ${scoped} x
            WHERE duration_s = 0 AND user_agent IS NOT NULL) p
          ON p.user_agent = s.user_agent AND p.second = date_trunc('second', s.started_at)
        WHERE s.duration_s = 0 GROUP BY 1, 2 HAVING count(*) >= 3`
      : BURSTS_SQL,
  );
  await db.tempTable(
    'rf_landing',
    `SELECT landing_page, ${landingOf(db.dialect, 'landing_page')} AS landing
    FROM (SELECT DISTINCT landing_page FROM ${scoped} x) p`,
  );
  await make(
    db,
    'rf_sessions',
    `SELECT s.session_id, s.started_at, s.device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(l.landing, 'unknown') AS landing, coalesce(s.country, 'unknown') AS country,
      CASE WHEN f.first_at IS NOT NULL AND f.first_at < s.started_at THEN 'returning' ELSE 'new' END
        AS customer_type,
      s.assignment, s.experiments, s.user_agent IS NOT NULL AS agent_known,
      b.user_agent IS NOT NULL AS bot_agent,
      ${botByBehaviour('s', 'u')} AND p.session_id IS NULL AS bot_behaviour
    FROM ${scoped} s LEFT JOIN rf_bot_agents b USING (user_agent) LEFT JOIN rf_first_order f USING (customer_id)
    LEFT JOIN rf_ordered p USING (session_id)
    LEFT JOIN rf_landing l ON l.landing_page = s.landing_page
    LEFT JOIN rf_bursts u ON u.user_agent = s.user_agent AND u.second = date_trunc('second', s.started_at)`,
  );
  // A return follows a purchase: its customer is a returning one (or a guest), never a new one. A customer's orders
  // are numbered among their sales and returns (all of them, also in a scope: the numbering is over the customer).
  const inO = scope ? `order_id IN (SELECT order_id FROM ${scope.orders})` : '';
  const numbered = `SELECT *, row_number() OVER (PARTITION BY customer_id, kind ORDER BY placed_at, order_id) AS nth
    FROM orders WHERE ((${isSale()}) OR ${isReturn()})${
      scope
        ? ` AND (${inO} OR customer_id IN (SELECT customer_id FROM orders WHERE ${inO} AND customer_id IS NOT NULL))`
        : ''
    }`;
  await make(
    db,
    'rf_orders',
    `SELECT o.order_id, o.placed_at, o.kind, o.currency, o.customer_id, o.source = 'client' AS client,
      s.session_id IS NOT NULL AND NOT s.bot_agent AS human_session, coalesce(s.bot_agent, false) AS from_bot,
      CASE WHEN s.session_id IS NOT NULL AND NOT s.bot_agent THEN s.started_at ELSE o.placed_at END AS unit_at,
      o.session_id AS unit_session,
      o.gross_merchandise AS gross, o.discount, o.refunded, o.shipping, o.tax,
      coalesce(s.device, 'unknown') AS device, coalesce(s.channel, 'unknown') AS channel,
      coalesce(s.landing, 'unknown') AS landing, coalesce(s.country, o.country, 'unknown') AS country,
      CASE WHEN o.customer_id IS NULL THEN 'guest' WHEN o.kind = 'return' THEN 'returning'
           WHEN o.nth > 1 THEN 'returning'
           ELSE 'new' END AS customer_type,
      s.assignment, s.experiments, coalesce(l.items, 0) AS items, coalesce(l.lines, 0) AS lines
    FROM (${numbered}) o
    LEFT JOIN rf_sessions s USING (session_id)
    LEFT JOIN (SELECT order_id, sum(quantity) AS items, count(*) AS lines FROM order_lines
      WHERE line_type = 'product'${scope ? ` AND ${inO}` : ''} GROUP BY 1) l USING (order_id)${
        scope
          ? `
    WHERE o.${inO}`
          : ''
      }`,
  );
}

/**
 * The columns of a FactRow from the sessions' (s) and the orders' (m) sums per key and segment: written once for the
 * fact tables and the rollups, whose rows must read alike.
 */
export const FACT_ROW_COLUMNS = `coalesce(s.k, m.k)::VARCHAR AS key, coalesce(s.sg, m.sg)::VARCHAR AS seg,
      coalesce(s.sessions, 0) AS sessions, coalesce(s.agent_known, 0) AS agent_known,
      coalesce(s.bot_agent, 0) AS bot_agent, coalesce(s.bot_behaviour, 0) AS bot_behaviour,
      coalesce(m.orders, 0) AS orders, coalesce(m.bot_orders, 0) AS bot_orders, coalesce(m.bot_net, '0') AS bot_net,
      coalesce(m.client_orders, 0) AS client_orders, coalesce(m.linked_orders, 0) AS linked_orders,
      coalesce(m.unpriced, 0) AS unpriced,
      coalesce(m.gross, '0') AS gross, coalesce(m.discount, '0') AS discount, coalesce(m.refunded, '0') AS refunded,
      coalesce(m.returns, '0') AS returns, coalesce(m.shipping, '0') AS shipping, coalesce(m.tax, '0') AS tax,
      coalesce(m.items, 0) AS items, coalesce(m.lines, 0) AS lines,
      coalesce(s.n, 0) AS n, coalesce(m.uu, 0) AS extra,
      (coalesce(s.so, 0) + coalesce(m.uo, 0))::FLOAT8 AS so, (coalesce(s.soo, 0) + coalesce(m.uo, 0))::FLOAT8 AS soo,
      (coalesce(s.sr, 0) + coalesce(m.ur, 0))::VARCHAR AS sr, (coalesce(s.srr, 0) + coalesce(m.urr, 0))::VARCHAR AS srr,
      (coalesce(s.sor, 0) + coalesce(m.uor, 0))::VARCHAR AS sor`;

export interface FactRow {
  key: string;
  seg: string | null;
  sessions: number;
  agent_known: number;
  bot_agent: number;
  bot_behaviour: number;
  orders: number;
  bot_orders: number;
  bot_net: string;
  client_orders: number;
  linked_orders: number;
  unpriced: number;
  gross: string;
  discount: string;
  refunded: string;
  returns: string;
  shipping: string;
  tax: string;
  items: number;
  lines: number;
  n: number;
  extra: number;
  so: number;
  soo: number;
  /** Exact decimal text: both engines then give the same double (a float sum depends on its order). */
  sr: string;
  srr: string;
  sor: string;
}

/** The SQL key of sessions (by their start) and orders (by their session's start), and its bound parameters. */
/**
 * The segment expression of a grouping; an experiment's variant is read out of the session's
 * "experiment=variant;…" list, the experiment id bound as `param`.
 */
export function segmentOf(d: Dialect, by: AggregateBy, param: string, table = ''): string {
  const col = (c: string) => (table ? `${table}.${ident(c)}` : ident(c));
  if (by == null) return `'all'`;
  if (typeof by === 'object') return variantOf(d, col('experiments'), param);
  return col(by);
}

function keyOf(key: AggregateKey, first: number): { sessions: string; orders: string; params: string[] } {
  if (key.by === 'all') return { sessions: `'all'`, orders: `'all'`, params: [] };
  if (key.by === 'period') {
    return {
      sessions: periodStart(key.period, 'started_at'),
      orders: periodStart(key.period, 'unit_at'),
      params: [],
    };
  }
  const [a, b, c, d] = [first, first + 1, first + 2, first + 3].map((i) => `$${i}`) as [
    string,
    string,
    string,
    string,
  ];
  const w = (col: string) =>
    `CASE WHEN ${inDays(col, a, b)} THEN 'current' WHEN ${inDays(col, c, d)} THEN 'previous' END`;
  return {
    sessions: w('started_at'),
    orders: w('unit_at'),
    params: [key.current.from, key.current.to, key.previous.from, key.previous.to],
  };
}

/**
 * Sessions and the orders of one currency grouped by a key and a segment, with the per-unit sums of orders and revenue
 * (on the basis asked) that the intervals need. Returns (credit notes with no original order) count against revenue
 * but are not orders.
 */
export async function aggregates(
  db: SqlConn,
  currency: string,
  key: AggregateKey,
  by: AggregateBy,
  basis: RevenueBasis,
): Promise<AggregateRow[]> {
  const k = keyOf(key, 4);
  const seg = segmentOf(db.dialect, by, `$${4 + k.params.length}`);
  const sale = `kind = 'sale'`;
  const human = `NOT from_bot`;
  const rows = await db.all<FactRow>(
    `
    WITH o AS (
      SELECT *, ${k.orders} AS k, ${seg} AS sg,
        coalesce(gross, 0) - discount - refunded + CASE WHEN $2::BOOLEAN THEN shipping ELSE 0 END
          + CASE WHEN $3::BOOLEAN THEN tax ELSE 0 END AS r
      FROM rf_orders WHERE currency = $1),
    per AS (SELECT unit_session AS session_id, count(*) FILTER (WHERE ${sale})::INTEGER AS po, ${EXACT('sum(r)')} AS pr
      FROM o WHERE human_session GROUP BY 1),
    s AS (
      SELECT k, sg, count(*)::INTEGER AS sessions, count(*) FILTER (WHERE agent_known)::INTEGER AS agent_known,
        count(*) FILTER (WHERE bot_agent)::INTEGER AS bot_agent,
        count(*) FILTER (WHERE bot_behaviour AND NOT bot_agent)::INTEGER AS bot_behaviour,
        count(*) FILTER (WHERE hu)::INTEGER AS n,
        coalesce(sum(po) FILTER (WHERE hu), 0) AS so, coalesce(sum(po * po) FILTER (WHERE hu), 0) AS soo,
        coalesce(sum(pr) FILTER (WHERE hu), 0) AS sr, coalesce(sum(pr * pr) FILTER (WHERE hu), 0) AS srr,
        coalesce(sum(po * pr) FILTER (WHERE hu), 0) AS sor
      FROM (SELECT x.*, ${k.sessions} AS k, ${seg} AS sg, NOT (bot_agent OR bot_behaviour) AS hu,
              coalesce(per.po, 0) AS po, coalesce(per.pr, 0) AS pr
            FROM rf_sessions x LEFT JOIN per USING (session_id)) xs WHERE k IS NOT NULL GROUP BY k, sg),
    m AS (
      SELECT k, sg,
        count(*) FILTER (WHERE ${sale} AND ${human})::INTEGER AS orders,
        count(*) FILTER (WHERE ${sale} AND from_bot)::INTEGER AS bot_orders,
        coalesce(sum(coalesce(gross, 0) - discount - refunded) FILTER (WHERE ${sale} AND from_bot), 0)::VARCHAR AS bot_net,
        count(*) FILTER (WHERE ${sale} AND human_session)::INTEGER AS linked_orders,
        count(*) FILTER (WHERE ${sale} AND ${human} AND client)::INTEGER AS client_orders,
        count(*) FILTER (WHERE ${sale} AND ${human} AND gross IS NULL)::INTEGER AS unpriced,
        coalesce(sum(gross) FILTER (WHERE ${sale} AND ${human}), 0)::VARCHAR AS gross,
        coalesce(sum(discount) FILTER (WHERE ${sale} AND ${human}), 0)::VARCHAR AS discount,
        coalesce(sum(refunded) FILTER (WHERE ${sale} AND ${human}), 0)::VARCHAR AS refunded,
        coalesce(sum(refunded) FILTER (WHERE kind = 'return' AND ${human}), 0)::VARCHAR AS returns,
        coalesce(sum(shipping) FILTER (WHERE ${sale} AND ${human}), 0)::VARCHAR AS shipping,
        coalesce(sum(tax) FILTER (WHERE ${sale} AND ${human}), 0)::VARCHAR AS tax,
        coalesce(sum(items) FILTER (WHERE ${sale} AND ${human}), 0)::INTEGER AS items,
        coalesce(sum(lines) FILTER (WHERE ${sale} AND ${human}), 0)::INTEGER AS lines,
        -- An order or return no human session holds is a unit of its own (never a session in the denominator).
        count(*) FILTER (WHERE NOT human_session AND ${human})::INTEGER AS uu,
        coalesce(sum(CASE WHEN ${sale} THEN 1 ELSE 0 END) FILTER (WHERE NOT human_session AND ${human}), 0) AS uo,
        coalesce(sum(r) FILTER (WHERE NOT human_session AND ${human}), 0) AS ur,
        coalesce(sum(${EXACT('r')} * ${EXACT('r')}) FILTER (WHERE NOT human_session AND ${human}), 0) AS urr,
        coalesce(sum(CASE WHEN ${sale} THEN r ELSE 0 END) FILTER (WHERE NOT human_session AND ${human}), 0) AS uor
      FROM o WHERE k IS NOT NULL GROUP BY k, sg)
    SELECT ${FACT_ROW_COLUMNS}
    FROM s FULL OUTER JOIN m ON s.k = m.k AND s.sg IS NOT DISTINCT FROM m.sg ORDER BY 1, 2`,
    [
      currency,
      basis.includeShipping,
      basis.includeTax,
      ...k.params,
      ...(by != null && typeof by === 'object' ? [by.experiment] : []),
    ],
  );
  const exp = currencyExponent(currency);
  return rows.map((r) => ({
    key: r.key.slice(0, 10),
    segment: r.seg ?? 'unknown',
    aggregate: toAggregate(r, exp),
  }));
}

export function toAggregate(r: FactRow, exp: number): Aggregate {
  const m = (v: string) => decimalToMinor(v, exp);
  // The sums are in major units from SQL (revenue is DECIMAL there); the statistics work in minor units.
  const u = 10 ** exp;
  return {
    ...EMPTY_AGGREGATE,
    sessions: r.sessions,
    sessionsWithAgent: r.agent_known,
    botAgent: r.bot_agent,
    botBehaviour: r.bot_behaviour,
    orders: r.orders,
    botOrders: r.bot_orders,
    botNetMinor: m(r.bot_net),
    clientOrders: r.client_orders,
    linkedOrders: r.linked_orders,
    unpricedOrders: r.unpriced,
    grossMinor: m(r.gross),
    discountMinor: m(r.discount),
    refundedMinor: m(r.refunded),
    returnsMinor: m(r.returns),
    shippingMinor: m(r.shipping),
    taxMinor: m(r.tax),
    items: r.items,
    lines: r.lines,
    units: {
      n: r.n,
      extra: r.extra,
      so: r.so,
      soo: r.soo,
      sr: Number(r.sr) * u,
      srr: Number(r.srr) * u * u,
      sor: Number(r.sor) * u,
    },
  };
}

/**
 * CUPED's covariate per segment over a window's human sessions (the units of aggregates()): Σx, Σx², Σrx and Σox,
 * where x is the net revenue the session's customer spent before the window (0 for a guest or a new customer), r
 * and o the session's own net revenue and orders as aggregates() counts them. In minor units.
 */
export async function covariates(
  db: SqlConn,
  currency: string,
  w: Window,
  by: AggregateBy,
): Promise<{ segment: string; sx: number; sxx: number; srx: number; sox: number }[]> {
  const rows = await db.all<{ sg: string | null; sx: string; sxx: string; srx: string; sox: string }>(
    `WITH o AS (SELECT *, coalesce(gross, 0) - discount - refunded AS r FROM rf_orders WHERE currency = $1),
      per AS (SELECT unit_session AS session_id, count(*) FILTER (WHERE kind = 'sale')::INTEGER AS po,
          ${EXACT('sum(r)')} AS pr
        FROM o WHERE human_session GROUP BY 1),
      pre AS (SELECT customer_id, ${EXACT('sum(r)')} AS x FROM o
        WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP GROUP BY 1),
      u AS (SELECT ${segmentOf(db.dialect, by, '$4', 'x')} AS sg, coalesce(per.po, 0) AS po, coalesce(per.pr, 0) AS pr,
          coalesce(pre.x, 0) AS x
        FROM rf_sessions x JOIN sessions c USING (session_id) LEFT JOIN per USING (session_id)
          LEFT JOIN pre ON pre.customer_id = c.customer_id
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$2', '$3')})
    SELECT sg, sum(x)::VARCHAR AS sx, sum(x * x)::VARCHAR AS sxx, sum(pr * x)::VARCHAR AS srx,
      sum(po * x)::VARCHAR AS sox
    FROM u GROUP BY 1`,
    by != null && typeof by === 'object' ? [currency, w.from, w.to, by.experiment] : [currency, w.from, w.to],
  );
  const u = 10 ** currencyExponent(currency);
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    sx: Number(r.sx) * u,
    sxx: Number(r.sxx) * u * u,
    srx: Number(r.srx) * u * u,
    sox: Number(r.sox) * u,
  }));
}
