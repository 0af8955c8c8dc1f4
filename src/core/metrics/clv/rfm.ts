import { DAY_MS } from '../../time.js';
import type { RfmSummary } from './bgnbd.js';

/** A customer's purchases as (day, value in minor units); same-day purchases count as one transaction. */
export interface CustomerPurchases {
  customerId: string;
  days: number[];
  values: number[];
}

export interface CustomerRfm extends RfmSummary {
  customerId: string;
  /** Mean value of the repeat transactions in calibration (minor units); 0 without repeats. */
  meanRepeatMinor: number;
  /** Transactions after the calibration end, up to the holdout end. */
  holdoutX: number;
  /** Week of the first purchase, counted from the first purchase in the data. */
  birthWeek: number;
}

const WEEK_DAYS = 7;

/**
 * First and last purchase day over all customers (a loop: spreading millions of days would overflow the
 * stack).
 */
export function dayRange(customers: readonly CustomerPurchases[]): { first: number; last: number } {
  let first = Infinity;
  let last = -Infinity;
  for (const c of customers) {
    for (const d of c.days) {
      if (d < first) first = d;
      if (d > last) last = d;
    }
  }
  return { first, last };
}
export const toDay = (ms: number) => Math.floor(ms / DAY_MS);

/**
 * Calibration summaries in weeks, as in Fader, Hardie & Lee (2005): x repeat transactions up to the
 * calibration end, t_x the time of the last, T the time observed, all from the customer's first purchase.
 */
export function rfmSummaries(
  customers: readonly CustomerPurchases[],
  calibrationEndDay: number,
  holdoutEndDay: number,
): CustomerRfm[] {
  const start = dayRange(customers).first;
  const out: CustomerRfm[] = [];
  for (const c of customers) {
    const byDay = new Map<number, number>();
    for (const [i, d] of c.days.entries()) byDay.set(d, (byDay.get(d) ?? 0) + c.values[i]!);
    const days = [...byDay.keys()].sort((a, b) => a - b);
    // A customer without purchases has nothing to model (and would put NaN into the fit).
    if (!days.length) continue;
    const first = days[0]!;
    if (first > calibrationEndDay) continue;
    const cal = days.filter((d) => d <= calibrationEndDay);
    const repeats = cal.slice(1);
    out.push({
      customerId: c.customerId,
      x: repeats.length,
      tx: (cal[cal.length - 1]! - first) / WEEK_DAYS,
      T: (calibrationEndDay - first) / WEEK_DAYS,
      meanRepeatMinor: repeats.length ? repeats.reduce((s, d) => s + byDay.get(d)!, 0) / repeats.length : 0,
      holdoutX: days.filter((d) => d > calibrationEndDay && d <= holdoutEndDay).length,
      birthWeek: (first - start) / WEEK_DAYS,
    });
  }
  return out;
}

/** Actual cumulative repeat transactions by the end of each week since the first purchase in the data. */
export function actualCumulativeRepeats(customers: readonly CustomerPurchases[], weeks: number): number[] {
  const start = dayRange(customers).first;
  const perWeek = new Array<number>(weeks).fill(0);
  for (const c of customers) {
    const days = [...new Set(c.days)].sort((a, b) => a - b);
    for (const d of days.slice(1)) {
      const w = Math.floor((d - start) / WEEK_DAYS);
      if (w < weeks) perWeek[w]!++;
    }
  }
  let s = 0;
  return perWeek.map((n) => (s += n));
}
