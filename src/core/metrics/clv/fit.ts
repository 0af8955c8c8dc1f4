import { bfgs, type Minimum, type Objective } from '../../stats/bfgs.js';

export interface FitResult {
  params: number[];
  logLik: number;
  iterations: number;
}

/** ℓ(p), writing ∂ℓ/∂pᵢ into grad. */
export type LogLikWithGradient = (p: readonly number[], grad: number[]) => number;

/**
 * Maximum likelihood over positive parameters: BFGS (../../stats/bfgs.ts) on their logarithms, so the search is
 * unconstrained and scale-free, with the model's analytic gradient when it has one (else central differences).
 * BG/NBD's surface has a flat ridge (a, b → ∞ with a/b fixed) that can hold a single start, so several starts
 * run and the best wins.
 */
const LOG_BOUND = Math.log(1e4);

export function fitPositive(
  logLik: (p: number[]) => number,
  starts: number[][],
  withGradient?: LogLikWithGradient,
): FitResult {
  const grad = withGradient ?? centralDifferences(logLik);
  // Far outside [1e-4, 1e4] the likelihood terms cancel catastrophically and read as a perfect fit; treating
  // that region as impossible keeps the line search on real ground.
  const negLL = (lp: readonly number[], g: number[]) => {
    if (lp.some((v) => Math.abs(v) > LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const p = lp.map(Math.exp);
    const v = -grad(p, g);
    // d(−ℓ)/d log pᵢ = −pᵢ ∂ℓ/∂pᵢ
    for (let i = 0; i < g.length; i++) g[i] = -p[i]! * g[i]!;
    return v;
  };
  let best: FitResult | null = null;
  for (const start of starts) {
    const r = maximumFrom(negLL, start.map(Math.log));
    if (r && (!best || -r.f > best.logLik))
      best = { params: r.x.map(Math.exp), logLik: -r.f, iterations: r.iterations };
  }
  if (!best) throw new RangeError('maximum likelihood did not converge from any start');
  return best;
}

/** ℓ and its gradient by central differences in log p, for a model without an analytic gradient. */
function centralDifferences(logLik: (p: number[]) => number): LogLikWithGradient {
  return (p, grad) => {
    for (let i = 0; i < p.length; i++) {
      const h = 1e-6;
      const up = [...p];
      const down = [...p];
      up[i] = p[i]! * Math.exp(h);
      down[i] = p[i]! * Math.exp(-h);
      // ∂ℓ/∂pᵢ = (∂ℓ/∂ log pᵢ) / pᵢ
      grad[i] = (logLik(up) - logLik(down)) / (2 * h * p[i]!);
    }
    return logLik([...p]);
  };
}

/**
 * BFGS from one start; a search that ends on the bound continues with the parameters there held fixed (an active
 * set), and is kept only if ℓ is nearly flat beyond the bound (it gains under 0.1% of itself per e-fold): BG/NBD's
 * and Gamma-Gamma's ridges (a, b → ∞; q, γ → ∞), where the bound stands in for ∞, not a peak beyond it.
 */
function maximumFrom(negLL: Objective, start: number[]): Minimum | null {
  const r = bfgs(negLL, start);
  if (!Number.isFinite(r.f)) return null;
  const bound = r.x.map((v) => (Math.abs(v) >= LOG_BOUND - 1e-3 ? Math.sign(v) * LOG_BOUND : null));
  if (bound.every((v) => v === null)) return r.converged ? r : null;
  const free = bound.flatMap((v, i) => (v === null ? [i] : []));
  const at = (y: readonly number[]) => bound.map((v, i) => v ?? y[free.indexOf(i)]!);
  const sub = bfgs(
    (y, g) => {
      const full = new Array<number>(r.x.length).fill(0);
      const v = negLL(at(y), full);
      free.forEach((i, k) => {
        g[k] = full[i]!;
      });
      return v;
    },
    free.map((i) => r.x[i]!),
  );
  if (!Number.isFinite(sub.f) || !(sub.converged || free.length === 0)) return null;
  const x = at(sub.x);
  const gradient = new Array<number>(x.length).fill(0);
  const f = negLL(x, gradient);
  const flatBeyond = bound.every(
    (v, i) => v === null || Math.abs(gradient[i]!) <= 1e-3 * Math.max(1, Math.abs(f)),
  );
  return flatBeyond ? { ...sub, x, f, gradient, iterations: r.iterations + sub.iterations } : null;
}
