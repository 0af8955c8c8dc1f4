import { fitPositive } from './fit.js';
import { gammaln } from './special.js';

export interface SpendSummary {
  /** Number of repeat transactions (≥ 1 to enter the fit). */
  x: number;
  /** Their mean value. */
  mean: number;
}

export interface GammaGammaParams {
  p: number;
  q: number;
  gamma: number;
}

// Gamma-Gamma spend model: Fader & Hardie (2013), "The Gamma-Gamma Model of Monetary Value", eq. (4).
function customerLogLik({ p, q, gamma }: GammaGammaParams, { x, mean }: SpendSummary): number {
  return (
    gammaln(p * x + q) -
    gammaln(p * x) -
    gammaln(q) +
    q * Math.log(gamma) +
    (p * x - 1) * Math.log(mean) +
    p * x * Math.log(x) -
    (p * x + q) * Math.log(gamma + x * mean)
  );
}

export function gammaGammaLogLik(params: GammaGammaParams, customers: readonly SpendSummary[]): number {
  return customers.filter((c) => c.x > 0 && c.mean > 0).reduce((s, c) => s + customerLogLik(params, c), 0);
}

/**
 * The same likelihood as gammaGammaLogLik, arranged for the optimiser: terms that depend on x only are
 * computed once per distinct x, and Σ ln z̄ is summed per x once; only ln(γ + x z̄) is per customer.
 */
function fastLogLik(repeaters: readonly SpendSummary[]) {
  const byX = new Map<number, { n: number; sumLnMean: number }>();
  for (const c of repeaters) {
    const g = byX.get(c.x) ?? { n: 0, sumLnMean: 0 };
    g.n++;
    g.sumLnMean += Math.log(c.mean);
    byX.set(c.x, g);
  }
  const groups = [...byX].map(([x, g]) => ({ x, ...g }));
  const xs = Float64Array.from(repeaters, (c) => c.x);
  const xm = Float64Array.from(repeaters, (c) => c.x * c.mean);
  return ([p, q, gamma]: number[]): number => {
    let s = 0;
    for (const g of groups) {
      s +=
        g.n *
          (gammaln(p! * g.x + q!) -
            gammaln(p! * g.x) -
            gammaln(q!) +
            q! * Math.log(gamma!) +
            p! * g.x * Math.log(g.x)) +
        (p! * g.x - 1) * g.sumLnMean;
    }
    for (let i = 0; i < xs.length; i++) s -= (p! * xs[i]! + q!) * Math.log(gamma! + xm[i]!);
    return s;
  };
}

export function fitGammaGamma(customers: readonly SpendSummary[]): {
  params: GammaGammaParams;
  logLik: number;
  n: number;
} {
  const repeaters = customers.filter((c) => c.x > 0 && c.mean > 0);
  const fit = fitPositive(fastLogLik(repeaters), [
    [1, 1, 1],
    [5, 5, 5],
    [0.5, 2, 10],
  ]);
  const [p, q, gamma] = fit.params as [number, number, number];
  return { params: { p, q, gamma }, logLik: fit.logLik, n: repeaters.length };
}

/** E[M | x, z̄]: the customer's expected spend per transaction; Fader & Hardie (2013) eq. (5). */
export function conditionalExpectedSpend(
  { p, q, gamma }: GammaGammaParams,
  { x, mean }: SpendSummary,
): number {
  if (x <= 0) return (p * gamma) / (q - 1);
  return ((gamma + x * mean) * p) / (p * x + q - 1);
}
