/**
 * What differs between the SQL engines the store runs on, and nothing else: the metric SQL is written once
 * (src/store/sql/queries) in the part of SQL both speak (FILTER, window functions, INTERVAL '1 day', ::FLOAT8,
 * array_agg), and asks its dialect for the rest, as GrowthBook's back-end keeps one small class per warehouse.
 */
export interface Dialect {
  readonly name: 'duckdb' | 'postgres';
  /** The first capture group of a regular expression over text; NULL or '' when it does not match. */
  regexGroup(text: string, pattern: string): string;
  /** A timestamp's month as 'YYYY-MM'. */
  monthText(ts: string): string;
  /** Whole calendar months from one month's first instant to another's. */
  monthsBetween(from: string, to: string): string;
  /** The discrete percentile q (a bound parameter) of an ordered column. */
  percentileDisc(q: string, expr: string): string;
  /** A timestamp as 'YYYY-MM-DD HH:MM:SS' (UTC). */
  timestampText(ts: string): string;
}

export const DUCKDB: Dialect = {
  name: 'duckdb',
  regexGroup: (text, pattern) => `regexp_extract(${text}, ${pattern}, 1)`,
  monthText: (ts) => `strftime(${ts}, '%Y-%m')`,
  monthsBetween: (from, to) => `datediff('month', ${from}, ${to})`,
  percentileDisc: (q, expr) => `quantile_disc(${expr}, ${q})`,
  timestampText: (ts) => `${ts}::VARCHAR`,
};

/** PostgreSQL 15: timestamps are timestamptz read in the session's time zone, which the adapter sets to UTC. */
export const POSTGRES: Dialect = {
  name: 'postgres',
  regexGroup: (text, pattern) => `(regexp_match(${text}, ${pattern}))[1]`,
  monthText: (ts) => `to_char(${ts}, 'YYYY-MM')`,
  monthsBetween: (from, to) =>
    `((extract(year FROM ${to}) - extract(year FROM ${from})) * 12 + extract(month FROM ${to}) - extract(month FROM ${from}))`,
  percentileDisc: (q, expr) => `percentile_disc(${q}::FLOAT8) WITHIN GROUP (ORDER BY ${expr})`,
  timestampText: (ts) => `to_char(${ts}, 'YYYY-MM-DD HH24:MI:SS')`,
};
