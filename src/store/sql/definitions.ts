import type { Dialect } from './dialect.js';

/**
 * Each metric's definition in SQL, written once; every query of the adapter builds on these. `t` is the alias
 * of the table the condition applies to ('' for none).
 */
const col = (t: string, c: string) => (t ? `${t}.${c}` : c);

/**
 * An order: a sale that was not cancelled. Returns are credit notes, counted against revenue, never as
 * orders.
 */
export const isSale = (t = ''): string => `${col(t, 'kind')} = 'sale' AND ${col(t, 'status')} <> 'cancelled'`;

/** A return: a credit note without its original order (netted into revenue). */
export const isReturn = (t = ''): string => `${col(t, 'kind')} = 'return'`;

/**
 * Net merchandise of an order: gross − discounts − refunds (shipping and tax are added by the report's
 * basis).
 */
export const netOf = (t = ''): string =>
  `${col(t, 'gross_merchandise')} - ${col(t, 'discount')} - ${col(t, 'refunded')}`;

/** A product line that sold something. */
export const isSoldProductLine = (t = ''): string =>
  `${col(t, 'line_type')} = 'product' AND ${col(t, 'quantity')} > 0 AND ${col(t, 'product_id')} IS NOT NULL`;

/**
 * Bot by behaviour: a session of zero seconds that views several pages, or that arrives in a burst (three or
 * more zero-second sessions sharing one user agent within one second). Unknown is not a value: a session with
 * no duration is never judged by it, and sessions without a user agent never share one, so they never form a
 * burst.
 */
export const BURSTS_SQL = `SELECT user_agent, date_trunc('second', started_at) AS second FROM sessions
  WHERE duration_s = 0 AND user_agent IS NOT NULL GROUP BY 1, 2 HAVING count(*) >= 3`;
export const botByBehaviour = (s: string, burst: string): string =>
  `coalesce(${s}.duration_s = 0 AND (coalesce(${s}.page_views, 0) >= 3 OR ${burst}.second IS NOT NULL), ` +
  `false)`;

/** Landing pages grouped to their first two path segments ("/products/cm-basic", "/collections/coffee"). */
export const landingOf = (d: Dialect, c: string): string =>
  `coalesce(nullif(${d.regexGroup(c, `'^(/[^/?#]*(/[^/?#]*)?)'`)}, ''), 'unknown')`;

/** A calendar period's first day, for the periods the port allows (validated before they reach SQL). */
export const periodStart = (period: 'day' | 'week' | 'month', c: string): string =>
  `date_trunc('${period}', ${c})::DATE`;

/**
 * An offer experiment's variant in a session's "experiment=variant;…" list; `experiment` is a bound parameter
 * (NULL outside the experiment).
 */
export const variantOf = (d: Dialect, list: string, experiment: string): string =>
  `nullif(${d.regexGroup(`';' || coalesce(${list}, '') || ';'`, `';' || ${experiment}::VARCHAR || '=([^;]+);'`)}, '')`;

/**
 * Money per unit (a session's, a visitor's revenue) as an exact decimal wide enough for its square summed over
 * millions of units: sums of money stay exact in both engines and are read as text, so DuckDB and PostgreSQL
 * give the same figures to the last digit (a float sum depends on the order it adds in).
 */
export const EXACT = (expr: string): string => `(${expr})::DECIMAL(38, 3)`;
/** Profit per unit: money less a margin's share of it, exact to a millionth of a major unit. */
export const EXACT6 = (expr: string): string => `(${expr})::DECIMAL(38, 6)`;

/** Inside an inclusive window of days: $from and $to are bound parameters. */
export const inDays = (c: string, from: string, to: string): string =>
  `${c} >= ${from}::TIMESTAMP AND ${c} < ${to}::TIMESTAMP + INTERVAL '1 day'`;
