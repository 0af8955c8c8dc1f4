import {
  conditionalExpectedPurchases,
  expectedPurchases,
  fitBgNbd,
  probabilityAlive,
  type BgNbdParams,
} from './bgnbd.js';
import { conditionalExpectedSpend, fitGammaGamma, type GammaGammaParams } from './gamma-gamma.js';
import { actualCumulativeRepeats, rfmSummaries, type CustomerPurchases, type CustomerRfm } from './rfm.js';

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

export function customerLifetimeValue(purchases: readonly CustomerPurchases[], o: ClvOptions): ClvResult {
  const rfm = rfmSummaries(purchases, o.calibrationEndDay, o.holdoutEndDay);
  if (!rfm.some((c) => c.x > 0))
    throw new RangeError(
      'no customer bought again before the calibration end, so repeat buying cannot be modelled',
    );
  const t0 = o.clock?.() ?? 0;
  const bg = fitBgNbd(rfm);
  const repeaters = rfm.filter((c) => c.x > 0 && c.meanRepeatMinor > 0);
  // Gamma-Gamma needs spend that varies across repeaters; below a handful it is not identifiable.
  const gg =
    repeaters.length >= 10
      ? fitGammaGamma(rfm.map((c) => ({ x: c.x, mean: c.meanRepeatMinor / o.minorPerMajor })))
      : null;
  const fitMs = (o.clock?.() ?? 0) - t0;
  const holdoutWeeks = (o.holdoutEndDay - o.calibrationEndDay) / 7;
  const holdout =
    holdoutWeeks > 0
      ? {
          weeks: holdoutWeeks,
          actualRepeats: rfm.reduce((s, c) => s + c.holdoutX, 0),
          predictedRepeats: (() => {
            const memo = new Map<string, number>();
            let sum = 0;
            for (const c of rfm) {
              const k = `${c.x}|${c.tx}|${c.T}`;
              let e = memo.get(k);
              if (e === undefined)
                memo.set(k, (e = conditionalExpectedPurchases(bg.params, c, holdoutWeeks)));
              sum += e;
            }
            return sum;
          })(),
        }
      : null;
  const totalWeeks = Math.ceil(rfm.reduce((m, c) => Math.max(m, c.birthWeek + c.T), 0) + holdoutWeeks);
  const cohort = new Set(rfm.map((c) => c.customerId));
  const actual = actualCumulativeRepeats(
    purchases.filter((p) => cohort.has(p.customerId)),
    totalWeeks,
  );
  const births = new Map<number, number>();
  for (const c of rfm) births.set(c.birthWeek, (births.get(c.birthWeek) ?? 0) + 1);
  const tracking = actual.map((a, i) => ({
    week: i + 1,
    actual: a,
    predicted: predictedCumulative(bg.params, births, i + 1),
  }));
  // Customers with the same (x, t_x, T) share their purchase forecast: compute it once per summary.
  const forecasts = new Map<string, number[]>();
  const values = rfm
    .map((c) => customerValue(c, bg.params, gg?.params ?? null, o, forecasts))
    .sort((a, b) => b.clvMinor - a.clvMinor);
  return {
    customers: rfm.length,
    repeaters: repeaters.length,
    bgnbd: bg,
    gammaGamma: gg,
    holdout,
    tracking,
    values,
    margin: o.margin,
    fitMs,
  };
}

/** Σ E[X(week − birth)] over customers, with customers counted per birth week (few distinct values). */
function predictedCumulative(p: BgNbdParams, births: ReadonlyMap<number, number>, week: number): number {
  let s = 0;
  for (const [birth, n] of births) s += n * expectedPurchases(p, week - birth);
  return s;
}

function customerValue(
  c: CustomerRfm,
  bg: BgNbdParams,
  gg: GammaGammaParams | null,
  o: ClvOptions,
  forecasts: Map<string, number[]>,
): CustomerValue {
  const modelled = gg
    ? conditionalExpectedSpend(gg, { x: c.x, mean: c.meanRepeatMinor / o.minorPerMajor }) * o.minorPerMajor
    : c.meanRepeatMinor;
  // A heavy-tailed fit (q ≤ 1) has no finite expected spend for a customer without repeats: never print Infinity
  // or a negative value; the customer's own mean (0 without repeats) is what the data supports.
  const spend = Number.isFinite(modelled) && modelled >= 0 ? modelled : c.meanRepeatMinor;
  const key = `${c.x}|${c.tx}|${c.T}`;
  let cums = forecasts.get(key);
  if (!cums) {
    cums = [];
    for (let m = 1; m <= o.horizonMonths; m++)
      cums.push(conditionalExpectedPurchases(bg, c, m * WEEKS_PER_MONTH));
    forecasts.set(key, cums);
  }
  let clv = 0;
  let prev = 0;
  cums.forEach((cum, i) => {
    clv += ((cum - prev) * spend) / (1 + o.discountRate) ** (i + 1);
    prev = cum;
  });
  return {
    customerId: c.customerId,
    x: c.x,
    tx: c.tx,
    T: c.T,
    probabilityAlive: probabilityAlive(bg, c),
    expectedPurchases: prev,
    expectedSpendMinor: spend,
    clvMinor: clv * (o.margin ?? 1),
  };
}
