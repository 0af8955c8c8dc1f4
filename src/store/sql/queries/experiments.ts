import { currencyExponent } from '../../../core/money.js';
import type {
  AggregateBy,
  ExperimentUnit,
  ExperimentUnitRow,
  ExperimentUnitOptions,
  GuardrailRow,
  Window,
} from '../../port.js';
import type { SqlConn, SqlValue } from '../conn.js';
import type { Dialect } from '../dialect.js';
import { EXACT, EXACT6, inDays } from '../definitions.js';
import { segmentOf } from './facts.js';
import { sessionProfitCtes, sessionProfitParams } from './rewards.js';

/** A unit's id in SQL over rf_sessions x joined with sessions c: what levers serve assigns by. */
function unitOf(unit: ExperimentUnit): string {
  return {
    session: 'x.session_id',
    visitor: 'coalesce(c.customer_id, x.session_id)',
    customer: 'c.customer_id',
  }[unit];
}

/**
 * Units uc: u with r, p and x each capped at their discrete percentile (a bound parameter) over the units in a group
 * whose value is above zero; percentiles over everyone would be 0 where most units buy nothing.
 */
function cappedUnits(d: Dialect, q: string): string {
  const at = (c: string) => `${d.percentileDisc(q, c)} FILTER (WHERE ${c} > 0) AS c${c}`;
  return `cap AS (SELECT ${at('r')}, ${at('p')}, ${at('x')} FROM u WHERE sg IS NOT NULL),
      uc AS (SELECT sg, s, o, least(r, coalesce(cr, r)) AS r, least(p, coalesce(cp, p)) AS p,
          least(x, coalesce(cx, x)) AS x, cr, r > coalesce(cr, r) AS capped FROM u, cap)`;
}

/**
 * Per-variant sums over an experiment's units, each unit's human sessions s, orders o and net revenue r summed
 * (the same sessions, orders and revenue as aggregates() counts): n units and Σs, Σs², Σo, Σo², Σr, Σr², Σor,
 * Σos, Σrs; and x, what the unit's customer spent before the window (CUPED's covariate, 0 for a visitor never
 * seen to buy), as Σx, Σx², Σrx, Σox, Σsx. A visitor is the customer when known, else the session, as levers serve
 * assigns them; customers are known customers only. With sessions as units every s is 1. Grouped by an
 * experiment's variants or by the global holdout's assignment, each unit with all its sessions in the group of
 * its first session (its first exposure): a guest who buys becomes a customer, whose later sessions are assigned
 * by the customer id and may land elsewhere, but the unit is counted once. Money in minor units.
 */
export async function experimentUnits(
  db: SqlConn,
  currency: string,
  w: Window,
  by: AggregateBy,
  unit: ExperimentUnit,
  options: ExperimentUnitOptions = {},
): Promise<ExperimentUnitRow[]> {
  const { basis, cap } = options;
  // Profit per session as the bandit's rewards count it, when asked (it needs the store's economics).
  const named = by != null && typeof by === 'object' ? [by.experiment] : [];
  const profit = basis
    ? `LEFT JOIN (WITH ${sessionProfitCtes(4 + named.length)} SELECT session_id, p FROM per) pp USING (session_id)`
    : '';
  const params: SqlValue[] = [
    currency,
    w.from,
    w.to,
    ...named,
    ...(basis ? sessionProfitParams(currency, basis) : []),
  ];
  if (cap != null) params.push(cap);
  const capped = cap == null ? 'u' : cappedUnits(db.dialect, `$${params.length}`);
  const rows = await db.all<Record<string, number | string> & { sg: string | null }>(
    `WITH o AS (SELECT *, coalesce(gross, 0) - discount - refunded AS r FROM rf_orders WHERE currency = $1),
      per AS (SELECT unit_session AS session_id, count(*) FILTER (WHERE kind = 'sale')::INTEGER AS po,
          ${EXACT('sum(r)')} AS pr
        FROM o WHERE human_session GROUP BY 1),
      pre AS (SELECT customer_id, ${EXACT('sum(r)')} AS x FROM o
        WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP GROUP BY 1),
      s AS (SELECT ${segmentOf(db.dialect, by, '$4', 'x')} AS sg, ${unitOf(unit)} AS u,
          coalesce(per.po, 0) AS po, coalesce(per.pr, 0) AS pr, ${EXACT6(basis ? 'coalesce(pp.p, 0)' : '0')} AS pp,
          coalesce(pre.x, 0) AS x, x.started_at AS t, x.session_id AS sid
        FROM rf_sessions x JOIN sessions c USING (session_id) LEFT JOIN per USING (session_id) ${profit}
          LEFT JOIN pre ON pre.customer_id = c.customer_id
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$2', '$3')}),
      u AS (SELECT (array_agg(sg ORDER BY t, sid))[1] AS sg, u, count(*) AS s, sum(po) AS o, ${EXACT('sum(pr)')} AS r,
          ${EXACT6('sum(pp)')} AS p, max(x) AS x FROM s WHERE u IS NOT NULL GROUP BY u)${
            capped === 'u'
              ? ''
              : `,
      ${capped}`
          }
    SELECT sg, count(*)::INTEGER AS n, sum(s)::FLOAT8 AS ss, sum(s * s)::FLOAT8 AS sss, sum(o)::FLOAT8 AS so,
      sum(o * o)::FLOAT8 AS soo, sum(r)::VARCHAR AS sr, sum(r * r)::VARCHAR AS srr, sum(o * r)::VARCHAR AS sor,
      sum(o * s)::FLOAT8 AS sos, sum(r * s)::VARCHAR AS srs, sum(p)::VARCHAR AS sp, sum(p * p)::VARCHAR AS spp,
      sum(p * s)::VARCHAR AS sps, sum(x)::VARCHAR AS sx, sum(x * x)::VARCHAR AS sxx, sum(r * x)::VARCHAR AS srx,
      sum(o * x)::VARCHAR AS sox, sum(s * x)::VARCHAR AS ssx${cap == null ? '' : ', max(cr)::VARCHAR AS cr, count(*) FILTER (WHERE capped)::INTEGER AS capped'}
    FROM ${cap == null ? 'u' : 'uc'} GROUP BY 1`,
    params,
  );
  const k = 10 ** currencyExponent(currency);
  // Money sums come as exact decimal text (see EXACT), counts as numbers.
  const x = (v: number | string | undefined) => Number(v);
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    n: x(r.n),
    ss: x(r.ss),
    sss: x(r.sss),
    so: x(r.so),
    soo: x(r.soo),
    sr: x(r.sr) * k,
    srr: x(r.srr) * k * k,
    sor: x(r.sor) * k,
    sos: x(r.sos),
    srs: x(r.srs) * k,
    pre: {
      sx: x(r.sx) * k,
      sxx: x(r.sxx) * k * k,
      srx: x(r.srx) * k * k,
      sox: x(r.sox) * k,
      ssx: x(r.ssx) * k,
    },
    ...(basis ? { profit: { sp: x(r.sp) * k, spp: x(r.spp) * k * k, sps: x(r.sps) * k } } : {}),
    ...(cap == null
      ? {}
      : { capped: { at: r.cr == null ? null : Math.round(x(r.cr) * k), units: x(r.capped) } }),
  }));
}

/**
 * Guardrail sums per segment over the same human sessions as aggregates(), summed per unit (a session unless
 * asked; a unit in the group of its first session, as experimentUnits() counts it): f, the refunded amount of the unit's sale orders, and g, what they charged for merchandise (the refund
 * share Σf/Σg, a ratio over units); s, its sessions shown an offer, and a, those that accepted one (acceptance
 * Σa/Σs). Money in minor units.
 */
export async function guardrailSums(
  db: SqlConn,
  currency: string,
  w: Window,
  by: AggregateBy,
  unit: ExperimentUnit = 'session',
): Promise<GuardrailRow[]> {
  const rows = await db.all<Record<string, number | string> & { sg: string | null }>(
    `WITH per AS (SELECT unit_session AS session_id, ${EXACT('sum(coalesce(gross, 0) - discount)')} AS g,
          ${EXACT('sum(refunded)')} AS f
        FROM rf_orders WHERE currency = $1 AND kind = 'sale' AND human_session GROUP BY 1),
      ev AS (SELECT session_id, bool_or(type = 'offer_accepted') AS a FROM events
        WHERE type IN ('offer_shown', 'offer_accepted') GROUP BY 1),
      s AS (SELECT ${segmentOf(db.dialect, by, '$4', 'x')} AS sg, ${unitOf(unit)} AS u, coalesce(per.g, 0) AS g,
          coalesce(per.f, 0) AS f, (ev.session_id IS NOT NULL)::INTEGER AS s, coalesce(ev.a, false)::INTEGER AS a,
          x.started_at AS t, x.session_id AS sid
        FROM rf_sessions x JOIN sessions c USING (session_id) LEFT JOIN per USING (session_id)
          LEFT JOIN ev USING (session_id)
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$2', '$3')}),
      u AS (SELECT (array_agg(sg ORDER BY t, sid))[1] AS sg, u, ${EXACT('sum(g)')} AS g, ${EXACT('sum(f)')} AS f,
          sum(s) AS s, sum(a) AS a FROM s WHERE u IS NOT NULL GROUP BY u)
    SELECT sg, count(*)::INTEGER AS n, sum(f)::VARCHAR AS sf, sum(f * f)::VARCHAR AS sff, sum(g)::VARCHAR AS sgm,
      sum(g * g)::VARCHAR AS sgg, sum(f * g)::VARCHAR AS sfg, sum(s)::FLOAT8 AS ss, sum(s * s)::FLOAT8 AS sss,
      sum(a)::FLOAT8 AS sa, sum(a * a)::FLOAT8 AS saa, sum(a * s)::FLOAT8 AS sas
    FROM u GROUP BY 1`,
    by != null && typeof by === 'object' ? [currency, w.from, w.to, by.experiment] : [currency, w.from, w.to],
  );
  const k = 10 ** currencyExponent(currency);
  const x = (v: number | string | undefined) => Number(v);
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    n: x(r.n),
    refunds: {
      n: x(r.n),
      sx: x(r.sf) * k,
      sxx: x(r.sff) * k * k,
      sy: x(r.sgm) * k,
      syy: x(r.sgg) * k * k,
      sxy: x(r.sfg) * k * k,
    },
    acceptance: { n: x(r.n), sx: x(r.sa), sxx: x(r.saa), sy: x(r.ss), syy: x(r.sss), sxy: x(r.sas) },
  }));
}
