import { fitPositive } from './fit.js';
import { digamma, gammaln } from './special.js';

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
 * The same likelihood as gammaGammaLogLik with its gradient, arranged for the optimiser: terms that depend on x
 * only are computed once per distinct x, and Σ ln z̄ is summed per x once; only ln(γ + x z̄) is per customer.
 * ∂ℓ/∂p = Σ x [ψ(px + q) − ψ(px) + ln z̄ + ln x − ln(γ + x z̄)], ∂ℓ/∂q = Σ [ψ(px + q) − ψ(q) + ln γ − ln(γ + x z̄)],
 * ∂ℓ/∂γ = Σ [q/γ − (px + q)/(γ + x z̄)].
 */
export function gammaGammaObjective(
  customers: readonly SpendSummary[],
): (params: readonly number[], grad: number[]) => number {
  const repeaters = customers.filter((c) => c.x > 0 && c.mean > 0);
  const byX = new Map<number, { n: number; sumLnMean: number }>();
  for (const c of repeaters) {
    const g = byX.get(c.x) ?? { n: 0, sumLnMean: 0 };
    g.n++;
    g.sumLnMean += Math.log(c.mean);
    byX.set(c.x, g);
  }
  const groups = [...byX].map(([x, g]) => ({ x, lnX: Math.log(x), ...g }));
  const xs = Float64Array.from(repeaters, (c) => c.x);
  const xm = Float64Array.from(repeaters, (c) => c.x * c.mean);
  return ([p, q, gamma]: readonly number[], grad: number[]): number => {
    const P = p!;
    const Q = q!;
    const G = gamma!;
    const lnG = Math.log(G);
    const lgQ = gammaln(Q);
    const psiQ = digamma(Q);
    let s = 0;
    let dp = 0;
    let dq = 0;
    let dg = 0;
    for (const g of groups) {
      const px = P * g.x;
      const psiPxQ = digamma(px + Q);
      s += g.n * (gammaln(px + Q) - gammaln(px) - lgQ + Q * lnG + px * g.lnX) + (px - 1) * g.sumLnMean;
      dp += g.x * (g.n * (psiPxQ - digamma(px) + g.lnX) + g.sumLnMean);
      dq += g.n * (psiPxQ - psiQ + lnG);
      dg += (g.n * Q) / G;
    }
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i]!;
      const l = Math.log(G + xm[i]!);
      s -= (P * x + Q) * l;
      dp -= x * l;
      dq -= l;
      dg -= (P * x + Q) / (G + xm[i]!);
    }
    grad[0] = dp;
    grad[1] = dq;
    grad[2] = dg;
    return s;
  };
}

export function fitGammaGamma(customers: readonly SpendSummary[]): {
  params: GammaGammaParams;
  logLik: number;
  n: number;
} {
  const objective = gammaGammaObjective(customers);
  const scratch = [0, 0, 0];
  const fit = fitPositive(
    (p) => objective(p, scratch),
    [
      [1, 1, 1],
      [5, 5, 5],
      [0.5, 2, 10],
    ],
    objective,
  );
  const [p, q, gamma] = fit.params as [number, number, number];
  return {
    params: { p, q, gamma },
    logLik: fit.logLik,
    n: customers.filter((c) => c.x > 0 && c.mean > 0).length,
  };
}

/** E[M | x, z̄]: the customer's expected spend per transaction; Fader & Hardie (2013) eq. (5). */
export function conditionalExpectedSpend(
  { p, q, gamma }: GammaGammaParams,
  { x, mean }: SpendSummary,
): number {
  if (x <= 0) return (p * gamma) / (q - 1);
  return ((gamma + x * mean) * p) / (p * x + q - 1);
}
