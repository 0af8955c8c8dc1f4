import { currencyExponent } from '../../../core/money.js';
import type {
  AggregateBy,
  ExperimentUnit,
  ExperimentUnitRow,
  GuardrailRow,
  ProfitBasis,
  Window,
} from '../../port.js';
import type { DuckDb } from '../connection.js';
import { inDays } from '../definitions.js';
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
  db: DuckDb,
  currency: string,
  w: Window,
  by: AggregateBy,
  unit: ExperimentUnit,
  basis?: ProfitBasis,
): Promise<ExperimentUnitRow[]> {
  // Profit per session as the bandit's rewards count it, when asked (it needs the store's economics).
  const named = by != null && typeof by === 'object' ? [by.experiment] : [];
  const profit = basis
    ? `LEFT JOIN (WITH ${sessionProfitCtes(4 + named.length)} SELECT session_id, p FROM per) pp USING (session_id)`
    : '';
  const rows = await db.all<Record<string, number> & { sg: string | null }>(
    `WITH o AS (SELECT *, (coalesce(gross, 0) - discount - refunded)::DOUBLE AS r FROM rf_orders WHERE currency = $1),
      per AS (SELECT unit_session AS session_id, count(*) FILTER (WHERE kind = 'sale')::DOUBLE AS po, sum(r) AS pr
        FROM o WHERE human_session GROUP BY 1),
      pre AS (SELECT customer_id, sum(r) AS x FROM o
        WHERE kind = 'sale' AND NOT from_bot AND customer_id IS NOT NULL AND placed_at < $2::TIMESTAMP GROUP BY 1),
      s AS (SELECT ${segmentOf(by, '$4', 'x')} AS sg, ${unitOf(unit)} AS u, coalesce(per.po, 0) AS po,
          coalesce(per.pr, 0) AS pr, ${basis ? 'coalesce(pp.p, 0)' : '0'} AS pp, coalesce(pre.x, 0) AS x,
          x.started_at AS t, x.session_id AS sid
        FROM rf_sessions x JOIN sessions c USING (session_id) LEFT JOIN per USING (session_id) ${profit}
          LEFT JOIN pre ON pre.customer_id = c.customer_id
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$2', '$3')}),
      u AS (SELECT (array_agg(sg ORDER BY t, sid))[1] AS sg, u, count(*)::DOUBLE AS s, sum(po) AS o, sum(pr) AS r, sum(pp) AS p,
          max(x) AS x FROM s WHERE u IS NOT NULL GROUP BY u)
    SELECT sg, count(*)::INTEGER AS n, sum(s)::DOUBLE AS ss, sum(s * s)::DOUBLE AS sss, sum(o)::DOUBLE AS so,
      sum(o * o)::DOUBLE AS soo, sum(r)::DOUBLE AS sr, sum(r * r)::DOUBLE AS srr, sum(o * r)::DOUBLE AS sor,
      sum(o * s)::DOUBLE AS sos, sum(r * s)::DOUBLE AS srs, sum(p)::DOUBLE AS sp, sum(p * p)::DOUBLE AS spp,
      sum(p * s)::DOUBLE AS sps, sum(x)::DOUBLE AS sx, sum(x * x)::DOUBLE AS sxx, sum(r * x)::DOUBLE AS srx,
      sum(o * x)::DOUBLE AS sox, sum(s * x)::DOUBLE AS ssx
    FROM u GROUP BY 1`,
    [currency, w.from, w.to, ...named, ...(basis ? sessionProfitParams(currency, basis) : [])],
  );
  const k = 10 ** currencyExponent(currency);
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    n: r.n!,
    ss: r.ss!,
    sss: r.sss!,
    so: r.so!,
    soo: r.soo!,
    sr: r.sr! * k,
    srr: r.srr! * k * k,
    sor: r.sor! * k,
    sos: r.sos!,
    srs: r.srs! * k,
    pre: { sx: r.sx! * k, sxx: r.sxx! * k * k, srx: r.srx! * k * k, sox: r.sox! * k, ssx: r.ssx! * k },
    ...(basis ? { profit: { sp: r.sp! * k, spp: r.spp! * k * k, sps: r.sps! * k } } : {}),
  }));
}

/**
 * Guardrail sums per segment over the same human sessions as aggregates(), summed per unit (a session unless
 * asked; a unit in the group of its first session, as experimentUnits() counts it): f, the refunded amount of the unit's sale orders, and g, what they charged for merchandise (the refund
 * share Σf/Σg, a ratio over units); s, its sessions shown an offer, and a, those that accepted one (acceptance
 * Σa/Σs). Money in minor units.
 */
export async function guardrailSums(
  db: DuckDb,
  currency: string,
  w: Window,
  by: AggregateBy,
  unit: ExperimentUnit = 'session',
): Promise<GuardrailRow[]> {
  const rows = await db.all<Record<string, number> & { sg: string | null }>(
    `WITH per AS (SELECT unit_session AS session_id, sum(coalesce(gross, 0) - discount)::DOUBLE AS g,
          sum(refunded)::DOUBLE AS f
        FROM rf_orders WHERE currency = $1 AND kind = 'sale' AND human_session GROUP BY 1),
      ev AS (SELECT session_id, bool_or(type = 'offer_accepted') AS a FROM events
        WHERE type IN ('offer_shown', 'offer_accepted') GROUP BY 1),
      s AS (SELECT ${segmentOf(by, '$4', 'x')} AS sg, ${unitOf(unit)} AS u, coalesce(per.g, 0) AS g,
          coalesce(per.f, 0) AS f, (ev.session_id IS NOT NULL)::INTEGER AS s, coalesce(ev.a, false)::INTEGER AS a,
          x.started_at AS t, x.session_id AS sid
        FROM rf_sessions x JOIN sessions c USING (session_id) LEFT JOIN per USING (session_id)
          LEFT JOIN ev USING (session_id)
        WHERE NOT (x.bot_agent OR x.bot_behaviour) AND ${inDays('x.started_at', '$2', '$3')}),
      u AS (SELECT (array_agg(sg ORDER BY t, sid))[1] AS sg, u, sum(g) AS g, sum(f) AS f, sum(s) AS s, sum(a) AS a FROM s
        WHERE u IS NOT NULL GROUP BY u)
    SELECT sg, count(*)::INTEGER AS n, sum(f)::DOUBLE AS sf, sum(f * f)::DOUBLE AS sff, sum(g)::DOUBLE AS sgm,
      sum(g * g)::DOUBLE AS sgg, sum(f * g)::DOUBLE AS sfg, sum(s)::DOUBLE AS ss, sum(s * s)::DOUBLE AS sss,
      sum(a)::DOUBLE AS sa, sum(a * a)::DOUBLE AS saa, sum(a * s)::DOUBLE AS sas
    FROM u GROUP BY 1`,
    by != null && typeof by === 'object' ? [currency, w.from, w.to, by.experiment] : [currency, w.from, w.to],
  );
  const k = 10 ** currencyExponent(currency);
  return rows.map((r) => ({
    segment: r.sg ?? 'unknown',
    n: r.n!,
    refunds: {
      n: r.n!,
      sx: r.sf! * k,
      sxx: r.sff! * k * k,
      sy: r.sgm! * k,
      syy: r.sgg! * k * k,
      sxy: r.sfg! * k * k,
    },
    acceptance: { n: r.n!, sx: r.sa!, sxx: r.saa!, sy: r.ss!, syy: r.sss!, sxy: r.sas! },
  }));
}
