import type { Estimate } from './estimate.js';
import { normalQuantile } from './normal.js';

/** A change between two estimates with its interval; `detectable` when the interval leaves zero out. */
export interface Change {
  before: number;
  after: number;
  absolute: { value: number; low: number; high: number };
  /**
   * after / before − 1, its interval by the delta method on the log scale; null when either side is not
   * positive.
   */
  relative: { value: number; low: number; high: number } | null;
  detectable: boolean;
  /** The smallest relative change these sample sizes would detect (two-sided α, the given power). */
  mde: number | null;
  confidence: number;
}

export interface CompareOptions {
  /** Two-sided; 0.05 gives 95% intervals. */
  alpha?: number;
  /** For the minimum detectable effect. */
  power?: number;
}

/**
 * Compares two independent estimates (two periods, or treated vs holdout). Absolute: Δ ± z √(v₀ + v₁).
 * Relative: exp(ln(a/b) ± z √(v₀/b² + v₁/a²)) − 1, which keeps the interval inside (−100%, ∞). MDE: (z₁₋α/₂ +
 * z_power) times the relative standard error, the effect these sizes detect with that power (Kohavi, Tang &
 * Xu 2020, ch. 17).
 */
export function compare(before: Estimate, after: Estimate, o: CompareOptions = {}): Change {
  const alpha = o.alpha ?? 0.05;
  const z = normalQuantile(1 - alpha / 2);
  const d = after.value - before.value;
  const se = Math.sqrt(before.variance + after.variance);
  const absolute = { value: d, low: d - z * se, high: d + z * se };
  let relative: Change['relative'] = null;
  let mde: number | null = null;
  if (before.value > 0 && after.value > 0) {
    const seLog = Math.sqrt(before.variance / before.value ** 2 + after.variance / after.value ** 2);
    const l = Math.log(after.value / before.value);
    relative = {
      value: after.value / before.value - 1,
      low: Math.exp(l - z * seLog) - 1,
      high: Math.exp(l + z * seLog) - 1,
    };
    mde = (z + normalQuantile(o.power ?? 0.8)) * seLog;
  }
  return {
    before: before.value,
    after: after.value,
    absolute,
    relative,
    detectable: absolute.low > 0 || absolute.high < 0,
    mde,
    confidence: 1 - alpha,
  };
}

/**
 * Sessions (or units) per side needed to detect a relative change of `effect`, given the relative MDE at `n`
 * per side: the standard error shrinks with √n, so n × (mde / effect)².
 */
export function unitsNeeded(n: number, mde: number, effect: number): number {
  return Math.ceil(n * (mde / Math.abs(effect)) ** 2);
}
