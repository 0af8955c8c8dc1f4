import { randomUUID } from 'node:crypto';
import type { SqlConn } from './conn.js';
import { ident } from './conn.js';
import { EXACT, isSale, netOf } from './definitions.js';
import { buildFacts } from './queries/facts.js';
import { ensureTouched, rollupEvents, touchedTable } from './touched.js';

/**
 * The report's facts kept in the store: per-session and per-order fact tables (rf_sessions, rf_orders, as
 * buildFacts defines them) and daily rollups of them (day × segment dimension × segment, and currency for
 * orders) holding every sum aggregates() reads, the sums of squares and cross-products the intervals need among
 * them. They follow the data in SQL after a load changed the store (SqlDatabase.beginLoad's commit, the one place
 * that calls updateRollups and refreshRollups), so a report reads a few thousand rollup rows instead of scanning
 * every session: updated from the rows the load touched when they were current before it (updateRollups, whose
 * comment lists what depends on what), rebuilt whole otherwise (the first load, a store made before them).
 *
 * Whether they are current is a row of levers_rollups: marked stale before a load merges its rows and fresh in the
 * transaction that updated or rebuilt them, so a crash between the two leaves them stale and the next reader
 * rebuilds them whole (as it does for a store made before rollups existed): what the load touched is kept in temp
 * tables of its connection (touched.ts), which a crash loses, so nothing is ever updated from a partial record.
 */
export const ROLLUP_VERSION = '5';

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

/** Whether the fact tables hold any session (a load into a store without them rebuilds them whole). */
export async function factsHeld(db: SqlConn): Promise<boolean> {
  const r = await db.one<{ n: number }>(
    `SELECT count(*)::INTEGER AS n FROM (SELECT 1 FROM rf_sessions LIMIT 1) x`,
  );
  return r.n > 0;
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
 * A new version of the data for the cached results: a new random generation, the older generations' results
 * dropped. Every rebuild and every update that follows a changing load sets one (a load that changed no row
 * keeps the generation, and so the results cached for it).
 */
async function newGeneration(db: SqlConn): Promise<void> {
  await forgetCachedResults(db);
  await db.run(`DELETE FROM ${STATE_TABLE} WHERE key = 'generation'`);
  await db.run(`INSERT INTO ${STATE_TABLE} VALUES ('generation', $1)`, [randomUUID()]);
}

/**
 * Results computed from the data (the CLV fit and its top customers) are kept beside the rollups, keyed by the
 * rollups' generation: a random id each rebuild or update sets (newGeneration), so a result is only ever read back
 * for the data it was computed from (a result computed while a load changed the data is stored under a generation
 * no reader will ask for again); a new generation drops the older generations' results. Nothing is read or cached
 * while the rollups are not current. Numbers JSON cannot hold (NaN, ±Infinity) are kept as such.
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
 * An aggregate of the rollups' sources, written once for the whole rebuild (rows counted) and for an incremental
 * update (rows weighted by w: +1 a row as it is now, −1 as it was, so the sums are the change to add).
 */
interface Agg {
  /** count(*) (FILTER cond). */
  n(cond?: string): string;
  /** sum(e) (FILTER cond), coalesced to 0. */
  sum(e: string, cond?: string): string;
  /** sum(e), not coalesced. */
  total(e: string): string;
}
const filter = (cond?: string) => (cond ? ` FILTER (WHERE ${cond})` : '');
const COUNTED: Agg = {
  n: (cond) => `count(*)${filter(cond)}`,
  sum: (e, cond) => `coalesce(sum(${e})${filter(cond)}, 0)`,
  total: (e) => `sum(${e})`,
};
const WEIGHTED: Agg = {
  n: (cond) => `coalesce(sum(w)${filter(cond)}, 0)`,
  sum: (e, cond) => `coalesce(sum(w * (${e}))${filter(cond)}, 0)`,
  total: (e) => `sum(w * (${e}))`,
};

/** rf_daily_sessions from rows shaped as rf_sessions' (with w when weighted). */
const dailySessionsSql = (from: string, a: Agg): string =>
  `SELECT day, ${dimOf()} AS dim, ${segOf()} AS seg, ${a.n()} AS sessions,
    ${a.n('agent_known')} AS agent_known, ${a.n('bot_agent')} AS bot_agent,
    ${a.n('bot_behaviour AND NOT bot_agent')} AS bot_behaviour,
    ${a.n('NOT (bot_agent OR bot_behaviour)')} AS n
  FROM (SELECT *, started_at::DATE AS day FROM ${from}) x GROUP BY ${groupingSets(['day'])}`;

/** The per-session units rf_daily_units sums: human sessions of `sessions` with their orders in `orders`. */
const unitsSql = (sessions: string, orders: string): string =>
  `WITH per AS (SELECT unit_session AS session_id, currency,
      count(*) FILTER (WHERE kind = 'sale')::INTEGER AS po,
      ${BASES.map((b) => `${EXACT(`sum(${revenueOn(b)})`)} AS pr${b}`).join(', ')}
    FROM ${orders} WHERE human_session GROUP BY 1, 2)
  SELECT x.started_at::DATE AS day, x.device, x.channel, x.landing, x.country, x.customer_type,
    x.assignment, per.currency, per.po, ${BASES.map((b) => `coalesce(per.pr${b}, 0) AS pr${b}`).join(', ')}
  FROM ${sessions} x JOIN per USING (session_id) WHERE NOT (x.bot_agent OR x.bot_behaviour)`;

/** rf_daily_units from unit rows (unitsSql's, with w when weighted); units counts them (a row's existence). */
const dailyUnitsSql = (from: string, a: Agg): string =>
  `SELECT day, currency, ${dimOf()} AS dim, ${segOf()} AS seg, ${a.total('po')} AS so, ${a.total('po * po')} AS soo,
    ${BASES.map((b) => `${a.total(`pr${b}`)} AS sr${b}, ${a.total(`pr${b} * pr${b}`)} AS srr${b}, ${a.total(`po * pr${b}`)} AS sor${b}`).join(', ')},
    ${a.n()} AS nunits
  FROM ${from} u GROUP BY ${groupingSets(['day', 'currency'])}`;

/** rf_daily_orders from rows shaped as rf_orders' (with w when weighted); rows counts them (a row's existence). */
function dailyOrdersSql(from: string, a: Agg): string {
  const sale = `kind = 'sale'`;
  const human = `NOT from_bot`;
  const unit = `NOT human_session AND ${human}`;
  return `SELECT day, currency, ${dimOf()} AS dim, ${segOf()} AS seg,
    ${a.n(`${sale} AND ${human}`)} AS orders,
    ${a.n(`${sale} AND from_bot`)} AS bot_orders,
    ${a.sum('coalesce(gross, 0) - discount - refunded', `${sale} AND from_bot`)} AS bot_net,
    ${a.n(`${sale} AND human_session`)} AS linked_orders,
    ${a.n(`${sale} AND ${human} AND client`)} AS client_orders,
    ${a.n(`${sale} AND ${human} AND gross IS NULL`)} AS unpriced,
    ${a.sum('gross', `${sale} AND ${human}`)} AS gross,
    ${a.sum('discount', `${sale} AND ${human}`)} AS discount,
    ${a.sum('refunded', `${sale} AND ${human}`)} AS refunded,
    ${a.sum('refunded', `kind = 'return' AND ${human}`)} AS returns,
    ${a.sum('shipping', `${sale} AND ${human}`)} AS shipping,
    ${a.sum('tax', `${sale} AND ${human}`)} AS tax,
    ${a.sum('items', `${sale} AND ${human}`)} AS items,
    ${a.sum('lines', `${sale} AND ${human}`)} AS lines,
    ${a.n(unit)} AS uu,
    ${a.sum(`CASE WHEN ${sale} THEN 1 ELSE 0 END`, unit)} AS uo,
    ${BASES.map(
      (b) => `${a.sum(`r${b}`, unit)} AS ur${b},
    ${a.sum(`${EXACT(`r${b}`)} * ${EXACT(`r${b}`)}`, unit)} AS urr${b},
    ${a.sum(`CASE WHEN ${sale} THEN r${b} ELSE 0 END`, unit)} AS uor${b}`,
    ).join(',\n    ')},
    ${a.n()} AS nrows
  FROM (SELECT *, unit_at::DATE AS day, ${BASES.map((b) => `${revenueOn(b)} AS r${b}`).join(', ')}
    FROM ${from}) o
  GROUP BY ${groupingSets(['day', 'currency'])}`;
}

/** rf_offer_daily from events (e, with w when weighted) and the sessions giving their day (s). */
const offerDailySql = (from: string, a: Agg, day = 'coalesce(s.started_at, e.occurred_at)::DATE'): string =>
  `SELECT ${day} AS day, e.offer_id, coalesce(e.channel, 'web') AS channel,
    ${a.n(`e.type = 'offer_shown'`)} AS shown,
    ${a.n(`e.type = 'offer_accepted'`)} AS accepted,
    ${a.n(`e.type = 'offer_declined'`)} AS declined,
    ${a.n(`e.type = 'offer_replied'`)} AS replied
  FROM ${from}
  WHERE e.offer_id IS NOT NULL
    AND e.type IN ('offer_shown', 'offer_accepted', 'offer_declined', 'offer_replied')
  GROUP BY 1, 2, 3`;

const rfDaysSql = (sessions: string, orders: string): string =>
  `SELECT DISTINCT d FROM (SELECT started_at::DATE AS d FROM ${sessions} UNION
    SELECT placed_at::DATE FROM ${orders}) days`;

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
    await persist(db, 'rf_daily_sessions', dailySessionsSql('rf_sessions', COUNTED));
    await persist(db, 'rf_daily_units', dailyUnitsSql(`(${unitsSql('rf_sessions', 'rf_orders')})`, COUNTED));
    await persist(db, 'rf_daily_orders', dailyOrdersSql('rf_orders', COUNTED));
    await eventRollups(db, persist);
    await persist(
      db,
      'rf_offer_daily',
      offerDailySql('events e LEFT JOIN sessions s USING (session_id)', COUNTED),
    );
    await customerRollups(db);
    await persist(db, 'rf_days', rfDaysSql('rf_sessions', 'rf_orders'));
    await newGeneration(db);
    await setState(db, `fresh ${ROLLUP_VERSION}`);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}

/** How a rollup table is written: made whole (persist), or its rows for a scope replaced. */
type Make = (db: SqlConn, name: string, select: string) => Promise<void>;

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
  await persist(db, 'rf_customers', customersSql(db));
  await persist(db, 'rf_customer_totals', customerTotalsSql());
  await persist(db, 'rf_customer_orders', customerOrdersSql());
  await persist(db, 'rf_customer_cohorts', customerCohortsSql());
  const d = db.dialect;
  await persist(
    db,
    'rf_cohorts',
    `WITH o AS (SELECT currency, customer_id, date_trunc('month', placed_at) AS m FROM (${customerSalesSql()}) s),
      f AS (SELECT currency, customer_id, min(m) AS cohort FROM o GROUP BY 1, 2)
    SELECT o.currency, ${d.monthText('f.cohort')} AS cohort, (${d.monthsBetween('f.cohort', 'o.m')})::INTEGER AS "offset",
      count(DISTINCT o.customer_id)::INTEGER AS customers
    FROM o JOIN f USING (currency, customer_id) GROUP BY 1, 2, 3`,
  );
  await persist(db, 'rf_customer_days', customerDaysSql());
}

/** `AND customer_id IN (the scope table's customers)`, or nothing (every customer). */
const ofCustomers = (scope?: string): string =>
  scope ? ` AND customer_id IN (SELECT customer_id FROM ${scope})` : '';
/** `WHERE` t's currency is one of the scope table's (NULL included), or nothing (every currency). */
const inCurrencies = (t: string, scope?: string): string =>
  scope ? ` WHERE EXISTS (SELECT 1 FROM ${scope} a WHERE a.currency IS NOT DISTINCT FROM ${t}.currency)` : '';

/** Known customers' human sale orders (of the scope table's customers). */
const customerSalesSql = (scope?: string): string =>
  `SELECT currency, customer_id, placed_at, gross - discount - refunded AS net FROM rf_orders
    WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL${ofCustomers(scope)}`;

/** rf_customers' rows (of the scope table's customers). */
const customersSql = (db: SqlConn, scope?: string): string =>
  `WITH o AS (${customerSalesSql(scope)}),
    f AS (SELECT currency, customer_id, min(placed_at) AS first_at FROM o GROUP BY 1, 2)
  SELECT o.currency, o.customer_id, f.first_at, ${db.dialect.monthText("date_trunc('month', f.first_at)")} AS cohort,
    max(o.placed_at) AS last_at, count(*) AS n, sum(o.net) AS net,
    sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '90 days') AS net90,
    sum(o.net) FILTER (WHERE o.placed_at < f.first_at + INTERVAL '365 days') AS net365
  FROM o JOIN f USING (currency, customer_id) GROUP BY 1, 2, 3`;

/** rf_customer_totals' rows from rf_customers (of the currencies in the scope table). */
const customerTotalsSql = (currencies?: string): string =>
  `SELECT currency, count(*)::INTEGER AS customers, count(*) FILTER (WHERE n >= 2)::INTEGER AS repeat,
    sum(n)::INTEGER AS orders, coalesce(sum(net), 0) AS net, min(first_at) AS first_at, max(last_at) AS last_at
  FROM rf_customers c${inCurrencies('c', currencies)} GROUP BY 1`;

/** rf_customer_orders' rows from rf_customers (of the currencies in the scope table). */
const customerOrdersSql = (currencies?: string): string =>
  `SELECT currency, least(n, 10)::INTEGER AS orders, count(*)::INTEGER AS customers
  FROM rf_customers c${inCurrencies('c', currencies)} GROUP BY 1, 2`;

/** rf_customer_cohorts' rows from rf_customers and rf_customer_totals (of the currencies in the scope table). */
const customerCohortsSql = (currencies?: string): string =>
  `SELECT c.currency, c.cohort, count(*)::INTEGER AS customers, coalesce(sum(c.net90), 0) AS s90,
    coalesce(sum(c.net365), 0) AS s365, bool_and(c.first_at + INTERVAL '365 days' <= t.last_at) AS "full"
  FROM rf_customers c JOIN rf_customer_totals t USING (currency)${inCurrencies('c', currencies)} GROUP BY 1, 2`;

/**
 * Each customer's place in rf_cohorts (of the scope table's customers): a row per month they ordered in, with
 * their cohort (first order's month) and the months since it; rf_cohorts counts these rows.
 */
const cohortMembersSql = (db: SqlConn, scope: string): string =>
  `WITH o AS (SELECT currency, customer_id, date_trunc('month', placed_at) AS m FROM (${customerSalesSql(scope)}) s),
    f AS (SELECT currency, customer_id, min(m) AS cohort FROM o GROUP BY 1, 2)
  SELECT DISTINCT o.currency, ${db.dialect.monthText('f.cohort')} AS cohort,
    (${db.dialect.monthsBetween('f.cohort', 'o.m')})::INTEGER AS "offset", o.customer_id
  FROM o JOIN f USING (currency, customer_id)`;

/** rf_customer_days' rows (of the scope table's customers): every sale of a known customer, from the orders. */
const customerDaysSql = (scope?: string): string =>
  `SELECT currency, customer_id, (placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
    coalesce(sum(${netOf()}), 0) AS net
  FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL${ofCustomers(scope)} GROUP BY 1, 2, 3`;

/**
 * The events the report reads, kept small: offer events per day of their session (offerEvents, rf_offer_daily made
 * by the caller), and the free-shipping progress bar's and checkouts' per-session summaries by day of the event
 * (shippingResponse), human sessions only where those queries keep only them: each shown bar with whether its
 * session accepted one and its checkout, each checkout with the currencies its session bought in (sold_in,
 * comma-separated in no order), so that a report joins none of them with the sessions or the orders. Days are whole
 * UTC days, as inDays() windows are. `scope` restricts the sessions read to some (an incremental update's), and
 * `events` is where their events are read: the events table, or a table of those of the scope's sessions holding
 * the rows these read (EVENT_ROWS).
 */
async function eventRollups(db: SqlConn, make: Make, scope = '', events = 'events'): Promise<void> {
  const fsp = `offer_id = 'free-shipping-progress'`;
  const and = scope ? ` AND ${scope}` : '';
  const human = `session_id IN (SELECT session_id FROM rf_sessions WHERE NOT bot_agent AND NOT bot_behaviour${and})`;
  await make(
    db,
    'rf_session_offers',
    `SELECT session_id, bool_or(type = 'offer_accepted' AND ${fsp}) AS accepted,
      max(value) FILTER (WHERE type = 'begin_checkout') AS v
    FROM ${events} WHERE session_id IS NOT NULL AND ((type = 'offer_accepted' AND ${fsp}) OR type = 'begin_checkout')${and}
    GROUP BY 1`,
  );
  // Each shown bar with its session's answer and checkout (rf_session_offers), so a report joins nothing.
  await make(
    db,
    'rf_fsp_shown',
    `SELECT s.session_id, s.day, s.gap, o.accepted, o.v FROM (SELECT session_id, occurred_at::DATE AS day,
        min(value) AS gap FROM ${events}
      WHERE type = 'offer_shown' AND ${fsp} AND value > 0 AND ${human}${and} GROUP BY 1, 2) s
    LEFT JOIN rf_session_offers o USING (session_id)`,
  );
  // The currencies each session bought in, by the orders' unit session (rf_orders.unit_session).
  await make(
    db,
    'rf_checkouts',
    `SELECT c.session_id, c.day, c.v, coalesce(s.device, 'unknown') AS device, so.sold_in
    FROM (SELECT session_id, occurred_at::DATE AS day, max(value) AS v FROM ${events}
      WHERE type = 'begin_checkout' AND value > 0 AND ${human}${and} GROUP BY 1, 2) c
    LEFT JOIN rf_sessions s USING (session_id)
    LEFT JOIN (SELECT session_id, string_agg(currency, ',') AS sold_in FROM (SELECT DISTINCT session_id, currency
        FROM (SELECT unit_session AS session_id, currency FROM rf_orders WHERE kind = 'sale') u
        WHERE session_id IS NOT NULL${and}) d
      GROUP BY 1) so USING (session_id)`,
  );
  await make(
    db,
    'rf_fsp_accepted',
    `SELECT DISTINCT session_id, product_id, occurred_at::DATE AS day FROM ${events}
    WHERE type = 'offer_accepted' AND ${fsp} AND product_id IS NOT NULL AND ${human}${and}`,
  );
}

/**
 * The events every rollup of events reads (eventRollups, rf_offer_daily): offer events and checkouts, with the
 * columns they read. An incremental update reads those of the sessions it makes again into a table of this once,
 * instead of scanning the events table for them six times over (as they were, as they are, each event rollup).
 */
const EVENT_ROWS = `SELECT event_id, session_id, occurred_at, type, offer_id, value, product_id, channel FROM events
  WHERE ${rollupEvents()}`;

/** Rows of `name` whose `key` is in the scope table's `col` replaced by the select's (an incremental update). */
const replaceIn =
  (key: string, scope: string, col = key): Make =>
  async (db, name, select) => {
    await db.run(`DELETE FROM ${ident(name)} WHERE ${key} IN (SELECT ${col} FROM ${scope})`);
    await db.run(`INSERT INTO ${ident(name)} ${select}`);
  };

/**
 * Adds a delta (rows keyed as the rollup's, their sums the change) to a rollup table: the rows it keys are summed
 * with it and written back, those left with no source row (`exists` sums to 0) removed. `eq` keys are never NULL
 * (compared with =, which both engines hash), the others may be.
 */
async function addDelta(
  db: SqlConn,
  table: string,
  eq: string[],
  nullable: string[],
  exists: string,
  delta: string,
): Promise<void> {
  await db.tempTable('rf_delta', delta);
  const cols = (
    await db.all<{ column_name: string }>(
      `SELECT column_name FROM information_schema.columns WHERE table_name = $1 AND table_schema = current_schema()
         AND table_catalog = current_database()
       ORDER BY ordinal_position`,
      [table],
    )
  ).map((r) => r.column_name);
  const keys = [...eq, ...nullable];
  const vals = cols.filter((c) => !keys.includes(c));
  const list = cols.map(ident).join(', ');
  const match = [
    ...eq.map((k) => `d.${ident(k)} = t.${ident(k)}`),
    ...nullable.map((k) => `d.${ident(k)} IS NOT DISTINCT FROM t.${ident(k)}`),
  ].join(' AND ');
  const held = `EXISTS (SELECT 1 FROM rf_delta d WHERE ${match})`;
  await db.tempTable(
    'rf_merged',
    `SELECT ${keys.map(ident).join(', ')}, ${vals.map((v) => `sum(${ident(v)}) AS ${ident(v)}`).join(', ')}
    FROM (SELECT ${list} FROM ${ident(table)} t WHERE ${held} UNION ALL SELECT ${list} FROM rf_delta) x
    GROUP BY ${keys.map(ident).join(', ')} HAVING sum(${exists}) > 0`,
  );
  await db.run(`DELETE FROM ${ident(table)} AS t WHERE ${held}`);
  await db.run(`INSERT INTO ${ident(table)} (${list}) SELECT ${list} FROM rf_merged`);
}

/**
 * The facts and rollups after a load, from what the load touched (touched.ts) instead of the whole store: the rows
 * of every session and order whose facts can have changed are made again, and the rollups get the difference
 * between those rows as they were and as they are. What a session's or order's facts depend on, and so what is
 * made again:
 * - a session's row: the session; its customer's first sale (made again when it moved: any sale of the customer,
 *   as it was or is, can move it); whether it placed a sale (its orders, as they were or are); the zero-second
 *   sessions of its agent and second (bursts);
 * - an order's row: the order and its lines; its session's row; its customer's other sales and returns (numbering);
 * - a session's units (rf_daily_units): its row and all its orders' rows;
 * - the per-session event tables: the session's offer events and checkouts (the only events any of them reads,
 *   EVENT_ROWS), its row (human, device) and its units' orders (sold_in), so the sessions of every unit above and
 *   those of the offer events and checkouts touched (the only events the load records, touched.ts);
 * - a customer's rows (rf_customers, rf_customer_days, its places in rf_cohorts): all its sales, so every customer
 *   of the orders touched or made again; the per-currency summaries (rf_customer_totals, rf_customer_orders,
 *   rf_customer_cohorts): every customer of the currency, re-derived from rf_customers for those customers'
 *   currencies (a few rows per currency, from one row per customer);
 * - rf_offer_daily: offer events by their session's day, so those of every session above and those touched;
 * - rf_days: the days of the rows made again, as they were and are.
 * Bot agents and landing pages are functions of one value each. In one transaction that marks them fresh and sets a
 * new generation for the cached results; a crash before it leaves them stale (marked so before the load merged),
 * and the next reader rebuilds them whole.
 */
export async function updateRollups(db: SqlConn): Promise<void> {
  await ensureTouched(db);
  const [ts, to, tl, te] = (['sessions', 'orders', 'order_lines', 'events'] as const).map(touchedTable);
  await db.run('BEGIN');
  try {
    await db.tempTable(
      'rf_a_customers',
      `SELECT DISTINCT customer_id FROM ${to} WHERE customer_id IS NOT NULL`,
    );
    // Of those, the customers whose first sale moved (a session's row reads only that of its customer): their
    // sales as they are, against them as they were (those stored less those the load brought, and those it
    // replaced). A load that adds later orders of known customers leaves their other sessions' rows as they are.
    await db.tempTable(
      'rf_a_first',
      `SELECT customer_id FROM (
        SELECT customer_id, min(placed_at) FILTER (WHERE cur) AS now_first, min(placed_at) FILTER (WHERE was) AS was_first
        FROM (SELECT customer_id, placed_at, true AS cur,
            NOT EXISTS (SELECT 1 FROM ${to} t WHERE NOT t.old AND t.order_id = o.order_id) AS was
          FROM orders o WHERE ${isSale()} AND customer_id IN (SELECT customer_id FROM rf_a_customers)
          UNION ALL SELECT customer_id, placed_at, false, true FROM ${to} WHERE old AND ${isSale()}
            AND customer_id IS NOT NULL) x
        GROUP BY 1) f
      WHERE now_first IS DISTINCT FROM was_first`,
    );
    await db.tempTable(
      'rf_a_sessions',
      `SELECT session_id FROM ${ts}
      UNION SELECT session_id FROM ${to} WHERE session_id IS NOT NULL
      UNION SELECT session_id FROM sessions WHERE customer_id IN (SELECT customer_id FROM rf_a_first)
      UNION SELECT s.session_id FROM sessions s
        JOIN (SELECT DISTINCT user_agent, date_trunc('second', started_at) AS second FROM ${ts}
          WHERE duration_s = 0 AND user_agent IS NOT NULL) p
        ON s.user_agent = p.user_agent AND date_trunc('second', s.started_at) = p.second`,
    );
    await db.tempTable(
      'rf_a_orders',
      `SELECT order_id FROM ${to} UNION SELECT order_id FROM ${tl}
      UNION SELECT order_id FROM orders WHERE customer_id IN (SELECT customer_id FROM rf_a_customers)
      UNION SELECT order_id FROM orders WHERE session_id IN (SELECT session_id FROM rf_a_sessions)`,
    );
    await db.tempTable(
      'rf_a_units',
      `SELECT session_id FROM rf_a_sessions
      UNION SELECT unit_session FROM rf_orders
        WHERE order_id IN (SELECT order_id FROM rf_a_orders) AND unit_session IS NOT NULL
      UNION SELECT session_id FROM orders
        WHERE order_id IN (SELECT order_id FROM rf_a_orders) AND session_id IS NOT NULL`,
    );
    await db.tempTable(
      'rf_a_events',
      `SELECT session_id FROM rf_a_units UNION SELECT session_id FROM ${te} WHERE session_id IS NOT NULL`,
    );
    const inSessions = (t: string, col = 'session_id') => `${col} IN (SELECT session_id FROM ${t})`;
    // The stored events of those sessions, as they are now (the load merged) and stay until the update ends.
    await db.tempTable('rf_a_event_rows', `${EVENT_ROWS} AND ${inSessions('rf_a_events')}`);
    const inOrders = `order_id IN (SELECT order_id FROM rf_a_orders)`;
    const units = () =>
      unitsSql(
        `(SELECT * FROM rf_sessions WHERE ${inSessions('rf_a_units')})`,
        `(SELECT * FROM rf_orders WHERE ${inSessions('rf_a_units', 'unit_session')}) o`,
      );
    const offerCols = 'session_id, occurred_at, offer_id, type, channel';
    // As they were (weight −1): the fact rows before they are made again, the events as they were: those stored
    // now less those the load brought (a stored offer event the load brought is the row it brought, so only the
    // brought offer events are looked at), and those it replaced.
    await db.tempTable(
      'rf_d_sessions',
      `SELECT *, -1 AS w FROM rf_sessions WHERE ${inSessions('rf_a_sessions')}`,
    );
    await db.tempTable('rf_d_orders', `SELECT *, -1 AS w FROM rf_orders WHERE ${inOrders}`);
    await db.tempTable('rf_d_units', `SELECT *, -1 AS w FROM (${units()}) u`);
    await db.tempTable(
      'rf_d_events',
      `SELECT coalesce(s.started_at, e.occurred_at)::DATE AS day, e.offer_id, e.type, e.channel, -1 AS w FROM (
        SELECT ${offerCols} FROM rf_a_event_rows e WHERE offer_id IS NOT NULL
          AND NOT EXISTS (SELECT 1 FROM ${te} t WHERE NOT t.old AND t.offer_id IS NOT NULL AND t.event_id = e.event_id)
        UNION ALL SELECT ${offerCols} FROM ${te} WHERE old AND offer_id IS NOT NULL) e
      LEFT JOIN (SELECT session_id, started_at FROM rf_sessions WHERE ${inSessions('rf_a_events')}) s
        USING (session_id)`,
    );
    // The customers whose rows can change: those of the orders touched (as they were and are) and of every order
    // made again (their rf_orders rows, as they were: an order whose customer changed was touched); the currencies
    // they bought in; their places in the cohorts as they were.
    await db.tempTable(
      'rf_a_buyers',
      `SELECT customer_id FROM rf_a_customers
      UNION SELECT customer_id FROM rf_orders WHERE ${inOrders} AND customer_id IS NOT NULL`,
    );
    const ofBuyers = `customer_id IN (SELECT customer_id FROM rf_a_buyers)`;
    await db.tempTable('rf_a_currencies', `SELECT DISTINCT currency FROM rf_customers WHERE ${ofBuyers}`);
    await db.tempTable('rf_d_cohorts', `SELECT *, -1 AS w FROM (${cohortMembersSql(db, 'rf_a_buyers')}) m`);
    // The facts made again.
    await buildFacts(
      db,
      (c, name, select) =>
        name === 'rf_sessions'
          ? replaceIn('session_id', 'rf_a_sessions')(c, name, select)
          : replaceIn('order_id', 'rf_a_orders')(c, name, select),
      { sessions: 'rf_a_sessions', orders: 'rf_a_orders' },
    );
    await eventRollups(
      db,
      replaceIn('session_id', 'rf_a_events'),
      inSessions('rf_a_events'),
      'rf_a_event_rows',
    );
    // The customers' rows made again (their sales as they are now), then the per-currency summaries of the
    // currencies they bought in (tiny: re-derived from rf_customers), and their places in the cohorts as a delta.
    for (const [table, select] of [
      ['rf_customers', customersSql(db, 'rf_a_buyers')],
      ['rf_customer_days', customerDaysSql('rf_a_buyers')],
    ] as const) {
      await db.run(`DELETE FROM ${table} WHERE ${ofBuyers}`);
      await db.run(`INSERT INTO ${table} ${select}`);
    }
    await db.run(`INSERT INTO rf_a_currencies SELECT DISTINCT currency FROM rf_customers WHERE ${ofBuyers}`);
    for (const [table, select] of [
      ['rf_customer_totals', customerTotalsSql('rf_a_currencies')],
      ['rf_customer_orders', customerOrdersSql('rf_a_currencies')],
      ['rf_customer_cohorts', customerCohortsSql('rf_a_currencies')],
    ] as const) {
      await db.run(`DELETE FROM ${table} AS t${inCurrencies('t', 'rf_a_currencies')}`);
      await db.run(`INSERT INTO ${table} ${select}`);
    }
    await db.run(`INSERT INTO rf_d_cohorts SELECT *, 1 FROM (${cohortMembersSql(db, 'rf_a_buyers')}) m`);
    await addDelta(
      db,
      'rf_cohorts',
      [],
      ['currency', 'cohort', 'offset'],
      'customers',
      `SELECT currency, cohort, "offset", sum(w) AS customers FROM rf_d_cohorts GROUP BY 1, 2, 3`,
    );
    // As they are (weight +1).
    await db.run(
      `INSERT INTO rf_d_sessions SELECT *, 1 FROM rf_sessions WHERE ${inSessions('rf_a_sessions')}`,
    );
    await db.run(`INSERT INTO rf_d_orders SELECT *, 1 FROM rf_orders WHERE ${inOrders}`);
    await db.run(`INSERT INTO rf_d_units SELECT *, 1 FROM (${units()}) u`);
    await db.run(
      // The events without a session are those the load brought (as recorded, so as stored): read from the record,
      // those of the sessions from the table of their events read once above.
      `INSERT INTO rf_d_events SELECT coalesce(s.started_at, e.occurred_at)::DATE, e.offer_id, e.type, e.channel, 1
      FROM (SELECT ${offerCols} FROM rf_a_event_rows WHERE offer_id IS NOT NULL
        UNION ALL SELECT ${offerCols} FROM ${te} WHERE NOT old AND session_id IS NULL AND offer_id IS NOT NULL) e
      LEFT JOIN (SELECT session_id, started_at FROM sessions WHERE ${inSessions('rf_a_events')}) s USING (session_id)`,
    );
    await addDelta(
      db,
      'rf_daily_sessions',
      ['dim'],
      ['day', 'seg'],
      'sessions',
      dailySessionsSql('rf_d_sessions', WEIGHTED),
    );
    await addDelta(
      db,
      'rf_daily_units',
      ['dim'],
      ['day', 'currency', 'seg'],
      'nunits',
      dailyUnitsSql('rf_d_units', WEIGHTED),
    );
    await addDelta(
      db,
      'rf_daily_orders',
      ['dim'],
      ['day', 'currency', 'seg'],
      'nrows',
      dailyOrdersSql('rf_d_orders', WEIGHTED),
    );
    await addDelta(
      db,
      'rf_offer_daily',
      ['offer_id', 'channel'],
      ['day'],
      'shown + accepted + declined + replied',
      offerDailySql('rf_d_events e', WEIGHTED, 'e.day'),
    );
    // Days: those the rows are on now, less those no row is on any more.
    const now = `SELECT started_at::DATE AS d FROM rf_d_sessions WHERE w = 1 UNION SELECT placed_at::DATE FROM rf_d_orders WHERE w = 1`;
    await db.run(
      `INSERT INTO rf_days SELECT d FROM (${now}) n WHERE NOT EXISTS (SELECT 1 FROM rf_days r WHERE r.d IS NOT DISTINCT FROM n.d)`,
    );
    await db.tempTable(
      'rf_gone',
      `SELECT d FROM (SELECT started_at::DATE AS d FROM rf_d_sessions WHERE w = -1
        UNION SELECT placed_at::DATE FROM rf_d_orders WHERE w = -1) o WHERE d IS NOT NULL AND d NOT IN (
        SELECT d FROM (${now}) n WHERE d IS NOT NULL)`,
    );
    const gone = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM rf_gone`);
    if (gone.n > 0) {
      await db.run(`DELETE FROM rf_days WHERE d IN (SELECT d FROM rf_gone)
        AND d NOT IN (SELECT started_at::DATE FROM rf_sessions WHERE started_at IS NOT NULL)
        AND d NOT IN (SELECT placed_at::DATE FROM rf_orders WHERE placed_at IS NOT NULL)`);
    }
    // The data changed: results cached for the old data are never read back.
    await newGeneration(db);
    await setState(db, `fresh ${ROLLUP_VERSION}`);
    await db.run('COMMIT');
  } catch (e) {
    await db.run('ROLLBACK');
    throw e;
  }
}
