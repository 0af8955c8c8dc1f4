import {
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbdPatterns,
  probabilityAlive,
  type BgNbdParams,
  type RfmSummary,
} from './bgnbd.js';
import { conditionalExpectedSpend, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js';
import { dayRange, type CustomerPurchases } from './rfm.js';

export interface ClvOptions {
  calibrationEndDay: number;
  holdoutEndDay: number;
  /** Months ahead to value. */
  horizonMonths: number;
  /** Monthly discount rate, e.g. 0.01. */
  discountRate: number;
  /** Gross margin applied to spend; null when unknown (CLV is then revenue, and says so). */
  margin: number | null;
  /**
   * 10^exponent of the currency: spend is modelled in major units, so γ and the likelihood read as in the
   * literature.
   */
  minorPerMajor: number;
  /** A millisecond clock to time the fits (the core has none of its own). */
  clock?: () => number;
}

export interface CustomerValue {
  customerId: string;
  x: number;
  tx: number;
  T: number;
  probabilityAlive: number;
  expectedPurchases: number;
  expectedSpendMinor: number;
  clvMinor: number;
}

export interface ClvResult {
  customers: number;
  repeaters: number;
  bgnbd: { params: BgNbdParams; logLik: number };
  gammaGamma: { params: GammaGammaParams; logLik: number; n: number } | null;
  holdout: { weeks: number; actualRepeats: number; predictedRepeats: number } | null;
  tracking: { week: number; actual: number; predicted: number }[];
  values: CustomerValue[];
  margin: number | null;
  /** Time of the two maximum-likelihood fits, when a clock was passed. */
  fitMs: number;
}

const WEEKS_PER_MONTH = 365.25 / 12 / 7;
const WEEK_DAYS = 7;

/**
 * One customer of the calibration cohort (first purchase by the calibration end) as the store summarises them
 * for valuing: whole days and minor units, so the summaries are exact in SQL and here.
 */
export interface CustomerSummary {
  customerId: string;
  /** Repeat transactions (purchase days after the first) up to the calibration end. */
  x: number;
  /** Days from the first purchase to the last one up to the calibration end (t_x). */
  txDays: number;
  /** Days from the first purchase to the calibration end (T). */
  TDays: number;
  /** Net value of the x repeat transactions, minor units. */
  repeatMinor: number;
}

/** Customers sharing one (x, t_x, T), in days. */
export interface ClvPattern {
  x: number;
  txDays: number;
  TDays: number;
  n: number;
}

/**
 * What the models need of the calibration cohort, far smaller than its purchases: what the store computes in SQL
 * (src/store/sql/queries/purchases.ts) and `summarisePurchases` computes from purchases. Lists are in the order
 * of their first customer (customers ordered by id), so the fits add the same terms in the same order either way.
 */
export interface ClvSummaries {
  /** The first purchase day in the data: weeks of birth and of the tracking count from it. */
  startDay: number;
  patterns: ClvPattern[];
  /** Customers per day of first purchase. */
  births: { day: number; n: number }[];
  /** The repeat buyers with a positive repeat spend, in customer order: the Gamma-Gamma fit's customers. */
  spenders: { x: number[]; repeatMinor: number[] };
  /** Transactions after the calibration end, up to the holdout end. */
  holdoutRepeats: number;
  /** The cohort's repeat transactions (all of them, calibration and after) per week since `startDay`. */
  weeklyRepeats: { week: number; n: number }[];
}

/** The fitted models and what they say of the cohort as a whole: everything in ClvResult but the values. */
export type ClvFit = Omit<ClvResult, 'values'>;

/** Summaries of purchases as the store's SQL computes them: the reference for that SQL, and the pure path. */
export function summarisePurchases(
  purchases: readonly CustomerPurchases[],
  calibrationEndDay: number,
  holdoutEndDay: number,
): { summaries: ClvSummaries; customers: CustomerSummary[] } {
  const start = dayRange(purchases).first;
  const customers: CustomerSummary[] = [];
  const patterns = new Map<string, ClvPattern>();
  const births = new Map<number, { day: number; n: number }>();
  const weekly = new Map<number, number>();
  const spenders = { x: [] as number[], repeatMinor: [] as number[] };
  let holdoutRepeats = 0;
  for (const c of purchases) {
    const byDay = new Map<number, number>();
    for (const [i, d] of c.days.entries()) byDay.set(d, (byDay.get(d) ?? 0) + c.values[i]!);
    const days = [...byDay.keys()].sort((a, b) => a - b);
    const first = days[0];
    if (first === undefined || first > calibrationEndDay) continue;
    const cal = days.filter((d) => d <= calibrationEndDay);
    const s: CustomerSummary = {
      customerId: c.customerId,
      x: cal.length - 1,
      txDays: cal[cal.length - 1]! - first,
      TDays: calibrationEndDay - first,
      repeatMinor: cal.slice(1).reduce((sum, d) => sum + byDay.get(d)!, 0),
    };
    customers.push(s);
    const key = `${s.x}|${s.txDays}|${s.TDays}`;
    const p = patterns.get(key);
    if (p) p.n++;
    else patterns.set(key, { x: s.x, txDays: s.txDays, TDays: s.TDays, n: 1 });
    const b = births.get(first);
    if (b) b.n++;
    else births.set(first, { day: first, n: 1 });
    if (s.x > 0 && s.repeatMinor > 0) {
      spenders.x.push(s.x);
      spenders.repeatMinor.push(s.repeatMinor);
    }
    holdoutRepeats += days.filter((d) => d > calibrationEndDay && d <= holdoutEndDay).length;
    for (const d of days.slice(1)) {
      const w = Math.floor((d - start) / WEEK_DAYS);
      weekly.set(w, (weekly.get(w) ?? 0) + 1);
    }
  }
  return {
    summaries: {
      startDay: start,
      patterns: [...patterns.values()],
      births: [...births.values()],
      spenders,
      holdoutRepeats,
      weeklyRepeats: [...weekly].map(([week, n]) => ({ week, n })).sort((a, b) => a.week - b.week),
    },
    customers,
  };
}

/** Every customer valued from their purchases: the pure path (the store's use cases go through SQL summaries). */
export function customerLifetimeValue(purchases: readonly CustomerPurchases[], o: ClvOptions): ClvResult {
  const { summaries, customers } = summarisePurchases(purchases, o.calibrationEndDay, o.holdoutEndDay);
  const fit = fitClv(summaries, o);
  return withValues(fit, valueCustomers(clvValuer(fit, o), customers));
}

/** The fit with its values, in ClvResult's order of fields (JSON output keeps its shape). */
export function withValues(fit: ClvFit, values: CustomerValue[]): ClvResult {
  const { customers, repeaters, bgnbd, gammaGamma, holdout, tracking, ...rest } = fit;
  return { customers, repeaters, bgnbd, gammaGamma, holdout, tracking, values, ...rest };
}

/** BG/NBD and Gamma-Gamma fitted on the summaries, the holdout check and the weekly tracking. */
export function fitClv(s: ClvSummaries, o: ClvOptions): ClvFit {
  if (!s.patterns.some((p) => p.x > 0))
    throw new RangeError(
      'no customer bought again before the calibration end, so repeat buying cannot be modelled',
    );
  const patterns = s.patterns.map((p) => ({ c: rfmOf(p), n: p.n }));
  const t0 = o.clock?.() ?? 0;
  const bg = fitBgNbdPatterns(patterns);
  const repeaters = s.spenders.x.length;
  // Gamma-Gamma needs spend that varies across repeaters; below a handful it is not identifiable.
  const gg =
    repeaters >= 10
      ? fitGammaGamma(
          s.spenders.x.map((x, i) => ({ x, mean: s.spenders.repeatMinor[i]! / x / o.minorPerMajor })),
        )
      : null;
  const fitMs = (o.clock?.() ?? 0) - t0;
  const holdoutWeeks = (o.holdoutEndDay - o.calibrationEndDay) / 7;
  const holdout =
    holdoutWeeks > 0
      ? {
          weeks: holdoutWeeks,
          actualRepeats: s.holdoutRepeats,
          predictedRepeats: patterns.reduce(
            (sum, { c, n }) => sum + n * conditionalExpectedPurchases(bg.params, c, holdoutWeeks),
            0,
          ),
        }
      : null;
  // Birth week + T is the calibration end in weeks from the start, computed as the customers' own were.
  const births = new Map<number, number>();
  let lastWeek = 0;
  for (const b of s.births) {
    const birthWeek = (b.day - s.startDay) / WEEK_DAYS;
    births.set(birthWeek, (births.get(birthWeek) ?? 0) + b.n);
    lastWeek = Math.max(lastWeek, birthWeek + (o.calibrationEndDay - b.day) / WEEK_DAYS);
  }
  const totalWeeks = Math.ceil(lastWeek + holdoutWeeks);
  const perWeek = new Array<number>(totalWeeks).fill(0);
  for (const { week, n } of s.weeklyRepeats) if (week >= 0 && week < totalWeeks) perWeek[week]! += n;
  let cumulative = 0;
  const tracking = perWeek.map((n, i) => ({
    week: i + 1,
    actual: (cumulative += n),
    predicted: predictedCumulative(bg.params, births, i + 1),
  }));
  return {
    customers: s.patterns.reduce((sum, p) => sum + p.n, 0),
    repeaters,
    bgnbd: bg,
    gammaGamma: gg,
    holdout,
    tracking,
    margin: o.margin,
    fitMs,
  };
}

const rfmOf = (p: { x: number; txDays: number; TDays: number }): RfmSummary => ({
  x: p.x,
  tx: p.txDays / WEEK_DAYS,
  T: p.TDays / WEEK_DAYS,
});

/** Σ E[X(week − birth)] over customers, with customers counted per birth week (few distinct values). */
function predictedCumulative(p: BgNbdParams, births: ReadonlyMap<number, number>, week: number): number {
  let s = 0;
  for (const [birth, n] of births) s += n * expectedPurchases(p, week - birth);
  return s;
}

/**
 * What SQL needs to rank customers by value without reading them: a customer's value is
 * margin × spend(x, mean repeat spend) × factor(x, t_x, T), with the factor (the discounted sum of the monthly
 * expected purchases) per pattern and the spend in closed form (Gamma-Gamma's conditional expectation).
 */
export interface ClvRanking {
  patterns: { x: number; txDays: number; TDays: number; factor: number }[];
  /** Gamma-Gamma's parameters, null when spend is each customer's own mean. */
  gammaGamma: GammaGammaParams | null;
  /** Expected spend of a customer without repeats, minor units. */
  spendWithoutRepeats: number;
  minorPerMajor: number;
  /** The margin applied, 1 when unknown (CLV is then revenue). */
  margin: number;
}

/** Values customers one by one; the purchase forecast is computed once per (x, t_x, T). */
export interface ClvValuer {
  value(c: CustomerSummary): CustomerValue;
  ranking(patterns: readonly ClvPattern[]): ClvRanking;
}

export function clvValuer(fit: ClvFit, o: ClvOptions): ClvValuer {
  const bg = fit.bgnbd.params;
  const gg = fit.gammaGamma?.params ?? null;
  const forecasts = new Map<string, number[]>();
  const cumulative = (c: RfmSummary): number[] => {
    const key = `${c.x}|${c.tx}|${c.T}`;
    let cums = forecasts.get(key);
    if (!cums) {
      cums = [];
      for (let m = 1; m <= o.horizonMonths; m++)
        cums.push(conditionalExpectedPurchases(bg, c, m * WEEKS_PER_MONTH));
      forecasts.set(key, cums);
    }
    return cums;
  };
  const spendOf = (x: number, meanRepeatMinor: number): number => {
    const modelled = gg
      ? conditionalExpectedSpend(gg, { x, mean: meanRepeatMinor / o.minorPerMajor }) * o.minorPerMajor
      : meanRepeatMinor;
    // A heavy-tailed fit (q ≤ 1) has no finite expected spend for a customer without repeats: never print
    // Infinity or a negative value; the customer's own mean (0 without repeats) is what the data supports.
    return Number.isFinite(modelled) && modelled >= 0 ? modelled : meanRepeatMinor;
  };
  return {
    value(s) {
      const c = rfmOf(s);
      const meanRepeatMinor = s.x ? s.repeatMinor / s.x : 0;
      const spend = spendOf(s.x, meanRepeatMinor);
      const cums = cumulative(c);
      let clv = 0;
      let prev = 0;
      cums.forEach((cum, i) => {
        clv += ((cum - prev) * spend) / (1 + o.discountRate) ** (i + 1);
        prev = cum;
      });
      return {
        customerId: s.customerId,
        x: c.x,
        tx: c.tx,
        T: c.T,
        probabilityAlive: probabilityAlive(bg, c),
        expectedPurchases: prev,
        expectedSpendMinor: spend,
        clvMinor: clv * (o.margin ?? 1),
      };
    },
    ranking(patterns) {
      return {
        patterns: patterns.map((p) => {
          let factor = 0;
          let prev = 0;
          cumulative(rfmOf(p)).forEach((cum, i) => {
            factor += (cum - prev) / (1 + o.discountRate) ** (i + 1);
            prev = cum;
          });
          return { x: p.x, txDays: p.txDays, TDays: p.TDays, factor };
        }),
        gammaGamma: gg,
        spendWithoutRepeats: spendOf(0, 0),
        minorPerMajor: o.minorPerMajor,
        margin: o.margin ?? 1,
      };
    },
  };
}

/** Every customer valued, highest first (ties in the customers' order). */
export function valueCustomers(valuer: ClvValuer, customers: readonly CustomerSummary[]): CustomerValue[] {
  return customers.map((c) => valuer.value(c)).sort((a, b) => b.clvMinor - a.clvMinor);
}

/**
 * The n most valuable of candidates that a cruder ranking (SQL's, the same formula in another order of
 * operations) chose with room to spare: valued exactly here, so the top n is the one valuing everyone gives.
 */
export function topValues(
  valuer: ClvValuer,
  candidates: readonly CustomerSummary[],
  n: number,
): CustomerValue[] {
  return valueCustomers(valuer, candidates).slice(0, n);
}
