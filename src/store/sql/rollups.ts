import { randomUUID } from 'node:crypto';
import type { SqlConn } from './conn.js';
import { ident } from './conn.js';
import { EXACT, isSale, netOf } from './definitions.js';
import { buildFacts } from './queries/facts.js';

/**
 * The report's facts kept in the store: per-session and per-order fact tables (rf_sessions, rf_orders, as
 * buildFacts defines them) and daily rollups of them (day × segment dimension × segment, and currency for
 * orders) holding every sum aggregates() reads, the sums of squares and cross-products the intervals need among
 * them. They are rebuilt in SQL after a load changed the store (SqlDatabase.beginLoad's commit, the one place that
 * calls refreshRollups), so a report reads a few thousand rollup rows instead of scanning every session.
 *
 * Whether they are current is a row of levers_rollups: marked stale before a load merges its rows and fresh in the
 * transaction that rebuilt them, so a crash between the two leaves them stale and the next reader rebuilds them
 * (as it does for a store made before rollups existed).
 */
export const ROLLUP_VERSION = '4';

/** The segment dimensions the rollups are grouped by ('all' is no dimension); the rest is read from the facts. */
export const ROLLUP_DIMENSIONS = [
  'device',
  'channel',
  'landing',
  'country',
  'customer_type',
  'assignment',
] as const;

/** The tables the facts are built from: a load that changed none of them leaves the rollups current. */
export const FACT_SOURCES = ['sessions', 'orders', 'order_lines', 'events'] as const;

/** Revenue on each basis: index = (shipping ? 1 : 0) + (tax ? 2 : 0), the same expression aggregates() used. */
export const BASES = [0, 1, 2, 3] as const;
export const revenueOn = (b: number): string =>
  `coalesce(gross, 0) - discount - refunded + CASE WHEN ${b & 1 ? 'TRUE' : 'FALSE'} THEN shipping ELSE 0 END
    + CASE WHEN ${b & 2 ? 'TRUE' : 'FALSE'} THEN tax ELSE 0 END`;

export const STATE_TABLE = 'levers_rollups';
export const STATE_TABLE_SQL = `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (key VARCHAR PRIMARY KEY, value VARCHAR)`;

async function setState(db: SqlConn, value: string): Promise<void> {
  await db.run(`DELETE FROM ${STATE_TABLE} WHERE key = 'state'`);
  await db.run(`INSERT INTO ${STATE_TABLE} VALUES ('state', $1)`, [value]);
}

/** Whether the stored facts and rollups are those of the data as it is now. */
export async function rollupsFresh(db: SqlConn): Promise<boolean> {
  const rows = await db.all<{ value: string }>(`SELECT value FROM ${STATE_TABLE} WHERE key = 'state'`);
  return rows[0]?.value === `fresh ${ROLLUP_VERSION}`;
}

/**
 * Before the data changes: committed on its own, so that a reader never takes old rollups (nor results cached
 * with them) for current ones.
 */
export async function markRollupsStale(db: SqlConn): Promise<void> {
  await setState(db, 'stale');
}

/** Drops every cached result (a rebuild does; a benchmark does, to time a first report after a load). */
export async function forgetCachedResults(db: SqlConn): Promise<void> {
  await db.run(`DELETE FROM ${STATE_TABLE} WHERE key LIKE 'cache:%'`);
}

/**
 * Results computed from the data (the CLV fit and its top customers) are kept beside the rollups, keyed by the
 * rollups' generation: a random id each rebuild sets, so a result is only ever read back for the data it was
 * computed from (a result computed while a load changed the data is stored under a generation no reader will
 * ask for again); a rebuild drops the older generations' results. Nothing is read or cached while the rollups
 * are not current. Numbers JSON cannot hold (NaN, ±Infinity)
 * are kept as such.
 */
export async function cachedResult<T>(
  db: SqlConn,
  name: string,
  params: unknown,
  compute: () => Promise<T>,
): Promise<T> {
  const s = await db.one<{ state: string | null; generation: string | null }>(
    `SELECT (SELECT value FROM ${STATE_TABLE} WHERE key = 'state') AS state,
      (SELECT value FROM ${STATE_TABLE} WHERE key = 'generation') AS generation`,
  );
  if (s.state !== `fresh ${ROLLUP_VERSION}` || !s.generation) return compute();
  const key = `cache:${s.generation}:${name}:${JSON.stringify(params)}`;
  const hit = await db.all<{ value: string }>(`SELECT value FROM ${STATE_TABLE} WHERE key = $1`, [key]);
  if (hit[0]) return JSON.parse(hit[0].value, (_k, v) => (v?.$number != null ? Number(v.$number) : v)) as T;
  const value = await compute();
  const text = JSON.stringify(value, (_k, v) =>
    typeof v === 'number' && !Number.isFinite(v) ? { $number: String(v) } : v,
  );
  await db.run(
    `INSERT INTO ${STATE_TABLE} VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
    [key, text],
  );
  return value;
}

/** After a load that changed no row: the rollups it found current still are, and so are the cached results. */
export async function markRollupsFresh(db: SqlConn): Promise<void> {
  await setState(db, `fresh ${ROLLUP_VERSION}`);
}

async function persist(db: SqlConn, name: string, select: string): Promise<void> {
  await db.run(`DROP TABLE IF EXISTS ${ident(name)}`);
  await db.run(`CREATE TABLE ${ident(name)} AS ${select}`);
  // PostgreSQL's planner needs statistics at once (autovacuum analyzes in its own time).
  if (db.dialect.name === 'postgres') await db.run(`ANALYZE ${ident(name)}`);
}

const groupingSets = (fixed: string[]): string =>
  `GROUPING SETS (${[[], ...ROLLUP_DIMENSIONS.map((d) => [d])]
    .map((extra) => `(${[...fixed, ...extra.map(ident)].join(', ')})`)
    .join(', ')})`;
/** The dimension a grouping-set row belongs to, and its segment ('all' for the row of no dimension). */
const dimOf = (): string =>
  `CASE ${ROLLUP_DIMENSIONS.map((d) => `WHEN grouping(${ident(d)}) = 0 THEN '${d}'`).join(' ')} ELSE 'all' END`;
const segOf = (): string =>
  `CASE ${ROLLUP_DIMENSIONS.map((d) => `WHEN grouping(${ident(d)}) = 0 THEN ${ident(d)}`).join(' ')} ELSE 'all' END`;

/**
 * Rebuilds the fact tables and the daily rollups from the store's rows, in one transaction that also marks them
 * fresh. rf_daily_sessions: sessions by their start's day (counts, bot flags, human units). rf_daily_units: per
 * currency, the human sessions' order counts and revenue (each basis), with their squares and cross-products.
 * rf_daily_orders: per currency, orders and returns by their unit's day (the session's start, or their own time).
 */
export async function refreshRollups(db: SqlConn): Promise<void> {
  await db.run('BEGIN');
  try {
    await buildFacts(db, persist);
    await persist(
      db,
      'rf_daily_sessions',
      `SELECT day, ${dimOf()} AS dim, ${segOf()} AS seg, count(*) AS sessions,
        count(*) FILTER (WHERE agent_known) AS agent_known, count(*) FILTER (WHERE bot_agent) AS bot_agent,
        count(*) FILTER (WHERE bot_behaviour AND NOT bot_agent) AS bot_behaviour,
        count(*) FILTER (WHERE NOT (bot_agent OR bot_behaviour)) AS n
      FROM (SELECT *, started_at::DATE AS day FROM rf_sessions) x GROUP BY ${groupingSets(['day'])}`,
    );
    await persist(
      db,
      'rf_daily_units',
      `WITH per AS (SELECT unit_session AS session_id, currency,
          count(*) FILTER (WHERE kind = 'sale')::INTEGER AS po,
          ${BASES.map((b) => `${EXACT(`sum(${revenueOn(b)})`)} AS pr${b}`).join(', ')}
        FROM rf_orders WHERE human_session GROUP BY 1, 2)
      SELECT day, currency, ${dimOf()} AS dim, ${segOf()} AS seg, sum(po) AS so, sum(po * po) AS soo,
        ${BASES.map((b) => `sum(pr${b}) AS sr${b}, sum(pr${b} * pr${b}) AS srr${b}, sum(po * pr${b}) AS sor${b}`).join(', ')}
      FROM (SELECT x.started_at::DATE AS day, x.device, x.channel, x.landing, x.country, x.customer_type,
          x.assignment, per.currency, per.po, ${BASES.map((b) => `coalesce(per.pr${b}, 0) AS pr${b}`).join(', ')}
        FROM rf_sessions x JOIN per USING (session_id) WHERE NOT (x.bot_agent OR x.bot_behaviour)) u
      GROUP BY ${groupingSets(['day', 'currency'])}`,
    );
    const sale = `kind = 'sale'`;
    const human = `NOT from_bot`;
    const unit = `NOT human_session AND ${human}`;
    await persist(
      db,
      'rf_daily_orders',
      `SELECT day, currency, ${dimOf()} AS dim, ${segOf()} AS seg,
        count(*) FILTER (WHERE ${sale} AND ${human}) AS orders,
        count(*) FILTER (WHERE ${sale} AND from_bot) AS bot_orders,
        coalesce(sum(coalesce(gross, 0) - discount - refunded) FILTER (WHERE ${sale} AND from_bot), 0) AS bot_net,
        count(*) FILTER (WHERE ${sale} AND human_session) AS linked_orders,
        count(*) FILTER (WHERE ${sale} AND ${human} AND client) AS client_orders,
        count(*) FILTER (WHERE ${sale} AND ${human} AND gross IS NULL) AS unpriced,
        coalesce(sum(gross) FILTER (WHERE ${sale} AND ${human}), 0) AS gross,
        coalesce(sum(discount) FILTER (WHERE ${sale} AND ${human}), 0) AS discount,
        coalesce(sum(refunded) FILTER (WHERE ${sale} AND ${human}), 0) AS refunded,
        coalesce(sum(refunded) FILTER (WHERE kind = 'return' AND ${human}), 0) AS returns,
        coalesce(sum(shipping) FILTER (WHERE ${sale} AND ${human}), 0) AS shipping,
        coalesce(sum(tax) FILTER (WHERE ${sale} AND ${human}), 0) AS tax,
        coalesce(sum(items) FILTER (WHERE ${sale} AND ${human}), 0) AS items,
        coalesce(sum(lines) FILTER (WHERE ${sale} AND ${human}), 0) AS lines,
        count(*) FILTER (WHERE ${unit}) AS uu,
        coalesce(sum(CASE WHEN ${sale} THEN 1 ELSE 0 END) FILTER (WHERE ${unit}), 0) AS uo,
        ${BASES.map(
          (b) => `coalesce(sum(r${b}) FILTER (WHERE ${unit}), 0) AS ur${b},
        coalesce(sum(${EXACT(`r${b}`)} * ${EXACT(`r${b}`)}) FILTER (WHERE ${unit}), 0) AS urr${b},
        coalesce(sum(CASE WHEN ${sale} THEN r${b} ELSE 0 END) FILTER (WHERE ${unit}), 0) AS uor${b}`,
        ).join(',\n        ')}
      FROM (SELECT *, unit_at::DATE AS day, ${BASES.map((b) => `${revenueOn(b)} AS r${b}`).join(', ')}
        FROM rf_orders) o
      GROUP BY ${groupingSets(['day', 'currency'])}`,
    );
    await eventRollups(db);
    await customerRollups(db);
    await persist(
      db,
      'rf_days',
      `SELECT DISTINCT d FROM (SELECT started_at::DATE AS d FROM rf_sessions UNION
        SELECT placed_at::DATE FROM rf_orders) days`,
    );
    await forgetCachedResults(db);
    await db.run(`DELETE FROM ${STATE_TABLE} WHERE key = 'generation'`);
    await db.run(`INSERT INTO ${STATE_TABLE} VALUES ('generation', $1)`, [randomUUID()]);
    await setState(db, `fresh ${ROLLUP_VERSION}`);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

/**
 * The customers the report reads, summed per currency instead of over every order: rf_customers, one row per
 * known customer and currency with their human sale orders (first and last order, count, net, net within 90 and
 * 365 days of the first), from which rf_customer_totals (customers, repeat customers, orders, net, first and last
 * order), rf_customer_orders (customers by order count, 10 for 10 or more) and rf_customer_cohorts (first-order
 * cohorts by month with their spend within 90 and 365 days, and whether each has had 365 days) for customerStats
 * and customerSpend; rf_cohorts, first-order cohorts by month and how many of each ordered k months later
 * (cohorts); rf_customer_days, each customer's sale days with the day's net (every sale, as the CLV models read
 * them).
 */
async function customerRollups(db: SqlConn): Promise<void> {
  const d = db.dialect;
  const sales = `SELECT currency, customer_id, placed_at, gross - discount - refunded AS net FROM rf_orders
    WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL`;
  await persist(
    db,
    'rf_customers',
    `WITH o AS (${sales}),
      f AS (SELECT currency, customer_id, min(placed_at) AS first_at FROM o GROUP BY 1, 2)
    SELECT o.currency, o.customer_id, f.first_at, ${d.monthText("date_trunc('month', f.first_at)")} AS cohort,
      max(o.placed_at) AS last_at, count(*) AS n, sum(o.net) AS net,
      sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '90 days') AS net90,
      sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '365 days') AS net365
    FROM o JOIN f USING (currency, customer_id) GROUP BY 1, 2, 3`,
  );
  await persist(
    db,
    'rf_customer_totals',
    `SELECT currency, count(*)::INTEGER AS customers, count(*) FILTER (WHERE n >= 2)::INTEGER AS repeat,
      sum(n)::INTEGER AS orders, coalesce(sum(net), 0) AS net, min(first_at) AS first_at, max(last_at) AS last_at
    FROM rf_customers GROUP BY 1`,
  );
  await persist(
    db,
    'rf_customer_orders',
    `SELECT currency, least(n, 10)::INTEGER AS orders, count(*)::INTEGER AS customers FROM rf_customers
    GROUP BY 1, 2`,
  );
  await persist(
    db,
    'rf_customer_cohorts',
    `SELECT c.currency, c.cohort, count(*)::INTEGER AS customers, coalesce(sum(c.net90), 0) AS s90,
      coalesce(sum(c.net365), 0) AS s365, bool_and(c.first_at + INTERVAL '365 days' <= t.last_at) AS "full"
    FROM rf_customers c JOIN rf_customer_totals t USING (currency) GROUP BY 1, 2`,
  );
  await persist(
    db,
    'rf_cohorts',
    `WITH o AS (SELECT currency, customer_id, date_trunc('month', placed_at) AS m FROM (${sales}) s),
      f AS (SELECT currency, customer_id, min(m) AS cohort FROM o GROUP BY 1, 2)
    SELECT o.currency, ${d.monthText('f.cohort')} AS cohort, (${d.monthsBetween('f.cohort', 'o.m')})::INTEGER AS "offset",
      count(DISTINCT o.customer_id)::INTEGER AS customers
    FROM o JOIN f USING (currency, customer_id) GROUP BY 1, 2, 3`,
  );
  await persist(
    db,
    'rf_customer_days',
    `SELECT currency, customer_id, (placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
      coalesce(sum(${netOf()}), 0) AS net
    FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL GROUP BY 1, 2, 3`,
  );
}

/**
 * The events the report reads, kept small: offer events per day of their session (offerEvents), and the
 * free-shipping progress bar's and checkouts' per-session summaries by day of the event (shippingResponse), human
 * sessions only where those queries keep only them: each shown bar with whether its session accepted one and its
 * checkout, each checkout with the currencies its session bought in (sold_in, comma-separated in no order), so
 * that a report joins none of them with the sessions or the orders. Days are whole UTC days, as inDays() windows
 * are.
 */
async function eventRollups(db: SqlConn): Promise<void> {
  const fsp = `offer_id = 'free-shipping-progress'`;
  const human = `session_id IN (SELECT session_id FROM rf_sessions WHERE NOT bot_agent AND NOT bot_behaviour)`;
  await persist(
    db,
    'rf_offer_daily',
    `SELECT coalesce(s.started_at, e.occurred_at)::DATE AS day, e.offer_id, coalesce(e.channel, 'web') AS channel,
      count(*) FILTER (WHERE e.type = 'offer_shown') AS shown,
      count(*) FILTER (WHERE e.type = 'offer_accepted') AS accepted,
      count(*) FILTER (WHERE e.type = 'offer_declined') AS declined,
      count(*) FILTER (WHERE e.type = 'offer_replied') AS replied
    FROM events e LEFT JOIN sessions s USING (session_id)
    WHERE e.offer_id IS NOT NULL
      AND e.type IN ('offer_shown', 'offer_accepted', 'offer_declined', 'offer_replied')
    GROUP BY 1, 2, 3`,
  );
  await persist(
    db,
    'rf_session_offers',
    `SELECT session_id, bool_or(type = 'offer_accepted' AND ${fsp}) AS accepted,
      max(value) FILTER (WHERE type = 'begin_checkout') AS v
    FROM events WHERE session_id IS NOT NULL AND ((type = 'offer_accepted' AND ${fsp}) OR type = 'begin_checkout')
    GROUP BY 1`,
  );
  // Each shown bar with its session's answer and checkout (rf_session_offers), so a report joins nothing.
  await persist(
    db,
    'rf_fsp_shown',
    `SELECT s.session_id, s.day, s.gap, o.accepted, o.v FROM (SELECT session_id, occurred_at::DATE AS day,
        min(value) AS gap FROM events
      WHERE type = 'offer_shown' AND ${fsp} AND value > 0 AND ${human} GROUP BY 1, 2) s
    LEFT JOIN rf_session_offers o USING (session_id)`,
  );
  await persist(
    db,
    'rf_checkouts',
    `SELECT c.session_id, c.day, c.v, coalesce(s.device, 'unknown') AS device, so.sold_in
    FROM (SELECT session_id, occurred_at::DATE AS day, max(value) AS v FROM events
      WHERE type = 'begin_checkout' AND value > 0 AND ${human} GROUP BY 1, 2) c
    LEFT JOIN rf_sessions s USING (session_id)
    LEFT JOIN (SELECT session_id, string_agg(currency, ',') AS sold_in FROM (SELECT DISTINCT unit_session AS
        session_id, currency FROM rf_orders WHERE kind = 'sale' AND unit_session IS NOT NULL) d
      GROUP BY 1) so USING (session_id)`,
  );
  await persist(
    db,
    'rf_fsp_accepted',
    `SELECT DISTINCT session_id, product_id, occurred_at::DATE AS day FROM events
    WHERE type = 'offer_accepted' AND ${fsp} AND product_id IS NOT NULL AND ${human}`,
  );
}
