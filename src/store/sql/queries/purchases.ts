import type { ClvRanking, ClvSummaries, CustomerSummary } from '../../../core/metrics/clv/clv.js';
import type { CustomerPurchases } from '../../../core/metrics/clv/rfm.js';
import { currencyExponent } from '../../../core/money.js';
import type { SqlConn } from '../conn.js';
import { isSale, netOf } from '../definitions.js';

/** Currencies of sale orders, most sales first. */
export async function currencies(db: SqlConn): Promise<{ currency: string; sales: number }[]> {
  return db.all(
    `SELECT currency, count(*)::INTEGER AS sales FROM orders WHERE ${isSale()} GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
}

/** Each known customer's sale days and net values in one currency. */
export async function customerPurchases(db: SqlConn, currency: string): Promise<CustomerPurchases[]> {
  const exp = currencyExponent(currency);
  // Net per customer-day as an exact integer of minor units (DECIMAL × 10^exponent), read column-wise: a
  // million customers as row objects would cost more than the model fit.
  const [ids, days, nets] = await db.columns<[string[], number[], number[]]>(
    `SELECT customer_id, (placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
       (coalesce(sum(${netOf()}), 0) * ${10 ** exp})::BIGINT::FLOAT8 AS net
     FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL AND currency = $1
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency],
  );
  const customers: CustomerPurchases[] = [];
  let last: CustomerPurchases | null = null;
  for (let i = 0; i < (ids ?? []).length; i++) {
    if (!last || last.customerId !== ids[i])
      customers.push((last = { customerId: ids[i]!, days: [], values: [] }));
    last.days.push(days[i]!);
    last.values.push(nets[i]!);
  }
  return customers;
}

/**
 * A customer's sale days in one currency with the day's net as an exact integer of minor units, from the days
 * the rollups keep (rf_customer_days). The net is a sum, DECIMAL(38,3), whose 128-bit arithmetic made this
 * conversion most of the table's cost (DuckDB, 980k customer-days: ~1 s against ~0.6 s); a net that fits 64 bits
 * (under 1e14, as every real one does) is converted as DECIMAL(18,3), the same exact value, and the rest as before.
 */
function customerDaysSql(currency: string): string {
  const minor = 10 ** currencyExponent(currency);
  return `SELECT customer_id, day,
       CASE WHEN abs(net) < 1e14 THEN (net::DECIMAL(18,3) * ${minor})::BIGINT ELSE (net * ${minor})::BIGINT END AS net
     FROM rf_customer_days WHERE currency = $1`;
}

/**
 * The CLV temp tables of a connection: clv_days (each customer's sale days in one currency, with the day's net
 * as an exact integer of minor units) and clv_customers (the calibration cohort one row per customer: first day,
 * x, t_x and T in days, repeat spend, holdout transactions), what rfmSummaries computed from every purchase in
 * JavaScript. customerDayRange starts each CLV run with fresh tables; the queries after it share them.
 */
const built = new WeakMap<SqlConn, { currency: string; calibration: string | null }>();
/** After a load or a clear the tables are stale: the next CLV builds them again. */
export function forgetCustomerTables(db: SqlConn): void {
  built.delete(db);
}

async function dayTable(db: SqlConn, currency: string) {
  built.delete(db);
  await db.tempTable('clv_days', customerDaysSql(currency), [currency]);
  const b = { currency, calibration: null };
  built.set(db, b);
  return b;
}

async function customerTables(db: SqlConn, currency: string, calEnd: number, holdoutEnd: number) {
  let b = built.get(db);
  if (b?.currency !== currency) b = await dayTable(db, currency);
  const key = JSON.stringify([calEnd, holdoutEnd]);
  if (b.calibration === key) return;
  b.calibration = null;
  await db.tempTable(
    'clv_customers',
    `WITH f AS (SELECT customer_id, min(day) AS first FROM clv_days GROUP BY 1 HAVING min(day) <= $1::INTEGER)
     SELECT d.customer_id, f.first,
       (count(*) FILTER (WHERE d.day <= $1::INTEGER) - 1)::INTEGER AS x,
       (max(d.day) FILTER (WHERE d.day <= $1::INTEGER) - f.first)::INTEGER AS tx_days,
       ($1::INTEGER - f.first)::INTEGER AS t_days,
       coalesce(sum(d.net) FILTER (WHERE d.day <= $1::INTEGER AND d.day > f.first), 0)::FLOAT8 AS repeat_minor,
       count(*) FILTER (WHERE d.day > $1::INTEGER AND d.day <= $2::INTEGER)::INTEGER AS holdout_x
     FROM clv_days d JOIN f USING (customer_id)
     GROUP BY d.customer_id, f.first`,
    [calEnd, holdoutEnd],
  );
  b.calibration = key;
}

/**
 * How many customers bought in one currency, and the first and last day they did (null without any): the start
 * of a CLV run, which reads the store's purchases into clv_days afresh.
 */
export async function customerDayRange(
  db: SqlConn,
  currency: string,
): Promise<{ customers: number; firstDay: number | null; lastDay: number | null }> {
  await dayTable(db, currency);
  return db.one(
    `SELECT count(DISTINCT customer_id)::INTEGER AS customers, min(day) AS "firstDay", max(day) AS "lastDay"
     FROM clv_days`,
  );
}

/**
 * What the CLV models need of the customers who bought by the calibration end, grouped in SQL: (x, t_x, T)
 * patterns and births with their counts, each in the order of its first customer (by id, the order the store
 * lists customers in), the Gamma-Gamma fit's repeat buyers, the holdout's transactions and the weekly repeats.
 */
export async function clvSummaries(
  db: SqlConn,
  currency: string,
  calEnd: number,
  holdoutEnd: number,
): Promise<ClvSummaries> {
  await customerTables(db, currency, calEnd, holdoutEnd);
  const { start, holdout } = await db.one<{ start: number; holdout: number }>(
    `SELECT (SELECT min(day) FROM clv_days) AS start,
       (SELECT coalesce(sum(holdout_x), 0)::INTEGER FROM clv_customers) AS holdout`,
  );
  const [px, ptx, pT, pn] = await db.columns<[number[], number[], number[], number[]]>(
    `SELECT x, tx_days, t_days, count(*)::INTEGER AS n FROM clv_customers GROUP BY 1, 2, 3
     ORDER BY min(customer_id)`,
  );
  const [bDay, bN] = await db.columns<[number[], number[]]>(
    `SELECT first, count(*)::INTEGER AS n FROM clv_customers GROUP BY 1 ORDER BY min(customer_id)`,
  );
  const [sx, sm] = await db.columns<[number[], number[]]>(
    `SELECT x, repeat_minor FROM clv_customers WHERE x > 0 AND repeat_minor > 0 ORDER BY customer_id`,
  );
  const [wk, wn] = await db.columns<[number[], number[]]>(
    `SELECT floor((d.day - $1::INTEGER)::FLOAT8 / 7)::INTEGER AS week, count(*)::INTEGER AS n
     FROM clv_days d JOIN clv_customers c USING (customer_id) WHERE d.day > c.first GROUP BY 1 ORDER BY 1`,
    [start],
  );
  return {
    startDay: start,
    patterns: (px ?? []).map((x, i) => ({ x, txDays: ptx[i]!, TDays: pT[i]!, n: pn[i]! })),
    births: (bDay ?? []).map((day, i) => ({ day, n: bN[i]! })),
    spenders: { x: sx ?? [], repeatMinor: sm ?? [] },
    holdoutRepeats: holdout,
    weeklyRepeats: (wk ?? []).map((week, i) => ({ week, n: wn[i]! })),
  };
}

const summaryColumns = 'customer_id, x, tx_days, t_days, repeat_minor';
function customerSummaries([ids, x, tx, T, repeat]: [string[], number[], number[], number[], number[]]) {
  return (ids ?? []).map(
    (customerId, i): CustomerSummary => ({
      customerId,
      x: x[i]!,
      txDays: tx[i]!,
      TDays: T[i]!,
      repeatMinor: repeat[i]!,
    }),
  );
}

/** Every customer of the calibration cohort, by id (clvSummaries' calibration). */
export async function clvCustomers(
  db: SqlConn,
  currency: string,
  calEnd: number,
  holdoutEnd: number,
): Promise<CustomerSummary[]> {
  await customerTables(db, currency, calEnd, holdoutEnd);
  return customerSummaries(
    await db.columns(`SELECT ${summaryColumns} FROM clv_customers ORDER BY customer_id`),
  );
}

/**
 * The customers who may be among the n most valuable, by id: SQL values every customer as margin × spend ×
 * the pattern's factor (see ClvRanking) and keeps those within a hair (1e-9 of the value) of the n-th, so that
 * the exact valuation of the few it returns (the same formula, its terms added in another order) ranks the same
 * top n as valuing everyone would.
 */
export async function clvTopCandidates(
  db: SqlConn,
  currency: string,
  calEnd: number,
  holdoutEnd: number,
  ranking: ClvRanking,
  n: number,
): Promise<CustomerSummary[]> {
  await customerTables(db, currency, calEnd, holdoutEnd);
  if (n <= 0) return [];
  const p = ranking.patterns;
  await db.tempNumbers('clv_factors', {
    x: p.map((r) => r.x),
    tx_days: p.map((r) => r.txDays),
    t_days: p.map((r) => r.TDays),
    factor: p.map((r) => r.factor),
  });
  const gg = ranking.gammaGamma;
  // Gamma-Gamma's E[M | x, z̄] in minor units, as conditionalExpectedSpend: a negative or undefined value (a
  // heavy-tailed fit) falls back to the customer's own mean, as the exact valuation does.
  const modelled = `(($3::FLOAT8 + c.x * (c.repeat_minor / c.x) / $4::FLOAT8) * $5::FLOAT8
    / nullif($5::FLOAT8 * c.x + $6::FLOAT8 - 1, 0)) * $4::FLOAT8`;
  const rows = await db.columns<[string[], number[], number[], number[], number[]]>(
    `WITH s AS (
       SELECT c.customer_id, c.x, c.tx_days, c.t_days, c.repeat_minor,
         $1::FLOAT8 * f.factor * CASE WHEN c.x = 0 THEN $2::FLOAT8
           WHEN $7::INTEGER = 1 AND ${modelled} >= 0 THEN ${modelled}
           ELSE c.repeat_minor / nullif(c.x, 0) END AS score
       FROM clv_customers c JOIN clv_factors f
         ON f.x = c.x AND f.tx_days = c.tx_days AND f.t_days = c.t_days),
     cut AS (SELECT score FROM s ORDER BY score DESC NULLS LAST LIMIT 1 OFFSET $8::INTEGER)
     SELECT ${summaryColumns} FROM s
     WHERE score >= coalesce((SELECT score FROM cut), score) - 1e-9 * abs(coalesce((SELECT score FROM cut), 0)) - 1e-6
     ORDER BY customer_id`,
    [
      ranking.margin,
      ranking.spendWithoutRepeats,
      gg?.gamma ?? 0,
      ranking.minorPerMajor,
      gg?.p ?? 0,
      gg?.q ?? 0,
      gg ? 1 : 0,
      n - 1,
    ],
  );
  return customerSummaries(rows);
}

/** Gross margin of what was sold, from product costs; null when costs are not known. */
export async function soldMargin(db: SqlConn): Promise<number | null> {
  // A ratio of two exact sums: the division is the only float step.
  const r = await db.one<{ revenue: string | null; cost: string | null }>(
    `SELECT sum(l.unit_price * l.quantity)::VARCHAR AS revenue, sum(p.cost * l.quantity)::VARCHAR AS cost
     FROM order_lines l JOIN products p USING (product_id)
     WHERE l.line_type = 'product' AND p.cost IS NOT NULL AND l.quantity > 0`,
  );
  const revenue = r.revenue == null ? 0 : Number(r.revenue);
  return revenue > 0 && r.cost != null ? 1 - Number(r.cost) / revenue : null;
}
