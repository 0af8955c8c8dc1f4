/**
 * Always-valid (anytime) intervals for a difference of means: the normal-mixture confidence sequence of Howard,
 * Ramdas, McAuliffe & Sekhon (2021), which is the mSPRT of Johari, Pekelis & Walsh (2017) turned into an interval,
 * in the form GrowthBook's engine uses. The interval holds at every look at once, so an experiment may be read daily
 * and stopped as soon as it excludes zero; the price is width (about 1.6× the fixed-horizon interval near the
 * planned size). `tuning` is the total units at which the boundary is tightest.
 */
export interface SequentialInterval {
  low: number;
  high: number;
  halfWidth: number;
  detectable: boolean;
}

export const DEFAULT_SEQUENTIAL_TUNING = 5000;

export function alwaysValidInterval(
  diff: number,
  variance: number,
  n: number,
  alpha = 0.05,
  tuning = DEFAULT_SEQUENTIAL_TUNING,
): SequentialInterval | null {
  if (!(n > 0) || !(variance >= 0) || !(tuning > 0)) return null;
  const s2 = variance * n;
  const rho2 = (-2 * Math.log(alpha) + Math.log(-2 * Math.log(alpha) + 1)) / tuning;
  const nr = n * rho2 + 1;
  const halfWidth = Math.sqrt(s2) * Math.sqrt((2 * nr * Math.log(Math.sqrt(nr) / alpha)) / (n * n * rho2));
  const low = diff - halfWidth;
  const high = diff + halfWidth;
  return { low, high, halfWidth, detectable: low > 0 || high < 0 };
}
