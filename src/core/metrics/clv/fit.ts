import numeric from 'numeric';

export interface FitResult {
  params: number[];
  logLik: number;
  iterations: number;
}

/**
 * Maximum likelihood over positive parameters: quasi-Newton BFGS (numeric.uncmin, numerical gradient) on
 * their logarithms, so the search is unconstrained and scale-free. BG/NBD's surface has a flat ridge (a, b →
 * ∞ with a/b fixed) that can hold a single start, so several starts run and the best wins.
 */
const LOG_BOUND = Math.log(1e4);

export function fitPositive(logLik: (p: number[]) => number, starts: number[][]): FitResult {
  // Far outside [1e-4, 1e4] the likelihood terms cancel catastrophically and read as a perfect fit; treating
  // that region as impossible keeps the line search on real ground.
  const negLL = (lp: number[]) => {
    if (lp.some((v) => Math.abs(v) > LOG_BOUND)) return 1e300;
    const v = -logLik(lp.map(Math.exp));
    return Number.isFinite(v) ? v : 1e300;
  };
  let best: FitResult | null = null;
  for (const start of starts) {
    const r = numeric.uncmin(negLL, start.map(Math.log), 1e-9, undefined, 1000);
    const params = r.solution.map(Math.exp);
    const sane = params.every((p) => Number.isFinite(p) && p > 1.0001e-4 && p < 0.9999e4);
    if (sane && r.f < 1e300 && (!best || -r.f > best.logLik))
      best = { params, logLik: -r.f, iterations: r.iterations };
  }
  if (!best) throw new RangeError('maximum likelihood did not converge from any start');
  return best;
}
