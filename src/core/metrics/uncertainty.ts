import { compare, type Change } from '../stats/compare.js';
import { meanOf, ratioOf, type Estimate } from '../stats/estimate.js';
import type { Aggregate, LeverSums, Levers } from './identity.js';

/** Each lever as an estimate with its variance: what the report's intervals are computed from. */
export interface LeverEstimates {
  sessions: Estimate | null;
  cvr: Estimate | null;
  aov: Estimate | null;
  rps: Estimate | null;
  revenue: Estimate | null;
}

/** The changes between two periods (or groups), each with its 95% interval; null where a side is unknown. */
export interface LeverChanges {
  sessions: Change | null;
  cvr: Change | null;
  aov: Change | null;
  rps: Change | null;
  revenue: Change | null;
}

const mean = (u: LeverSums, x: 'o' | 'r'): Estimate | null =>
  meanOf({
    n: u.n,
    sx: x === 'o' ? u.so : u.sr,
    sxx: x === 'o' ? u.soo : u.srr,
    sy: u.n,
    syy: u.n,
    sxy: x === 'o' ? u.so : u.sr,
  });

/** Each day's human sessions and revenue in a window: totals vary from day to day more than a count would. */
export interface DailyTotals {
  sessions: number[];
  revenueMinor: number[];
}

/** A total over days, its variance from the days themselves: n × s² of the daily values (days as units). */
function dailyTotal(values: readonly number[], total: number): Estimate | null {
  const n = values.length;
  if (n < 2) return null;
  const m = values.reduce((s, x) => s + x, 0) / n;
  const s2 = values.reduce((s, x) => s + (x - m) ** 2, 0) / (n - 1);
  return { value: total, variance: n * s2, n };
}

/**
 * Sessions as units (orders or returns no session holds are units of their own): CVR and RPS are means per session,
 * AOV the ratio revenue / orders by the delta method. Totals (sessions, revenue) take days as units, since traffic
 * varies from day to day well beyond a Poisson count (weekdays, campaigns); without daily figures, revenue falls back
 * to a compound Poisson total (Σr²) and sessions to a Poisson count. Each estimate is only given where the lever itself
 * is known, so an interval never stands beside an unknown; AOV's only from MIN_ORDERS_FOR_AOV orders.
 */
/**
 * Orders a side needs before its AOV gets an interval: the delta method leans on the normal approximation,
 * which a handful of orders (one large order in a small holdout) does not support.
 */
export const MIN_ORDERS_FOR_AOV = 30;

export function leverEstimates(a: Aggregate, l: Levers, days?: DailyTotals): LeverEstimates {
  const u = a.units;
  const units = u.n + u.extra;
  const sessions =
    l.sessions == null
      ? null
      : days
        ? dailyTotal(days.sessions, l.sessions)
        : { value: l.sessions, variance: l.sessions, n: l.sessions };
  const revenue = !(a.orders > 0 || u.extra > 0)
    ? null
    : days && l.sessions != null
      ? dailyTotal(days.revenueMinor, u.sr)
      : { value: u.sr, variance: u.srr, n: units };
  return {
    sessions,
    cvr: l.cvr != null ? mean(u, 'o') : null,
    rps: l.rpsMinor != null ? mean(u, 'r') : null,
    aov:
      l.aovMinor != null && u.so >= MIN_ORDERS_FOR_AOV
        ? ratioOf({ n: units, sx: u.sr, sxx: u.srr, sy: u.so, syy: u.soo, sxy: u.sor })
        : null,
    revenue,
  };
}

export function leverChanges(before: LeverEstimates, after: LeverEstimates, alpha = 0.05): LeverChanges {
  const c = (k: keyof LeverEstimates) => {
    const b = before[k];
    const a = after[k];
    return b && a ? compare(b, a, { alpha }) : null;
  };
  return { sessions: c('sessions'), cvr: c('cvr'), aov: c('aov'), rps: c('rps'), revenue: c('revenue') };
}
