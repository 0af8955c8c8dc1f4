/**
 * Unconstrained minimisation by BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical Optimization,
 * 2nd ed., Alg. 6.1 with 3.5–3.6; the first inverse Hessian scaled by eq. 6.20).
 *
 * Written here rather than taken from numeric.uncmin, which backtracks on the Armijo condition alone and updates
 * its inverse Hessian even when the curvature yᵀs is not positive: with an exact gradient it still stopped short of
 * the optimum on the CDNOW master data (issue 16). The curvature condition keeps every update positive definite,
 * and the stop is on the gradient, not on the step.
 */

/** f(x), writing ∇f(x) into g. Non-finite values mean "outside the domain": the line search steps back. */
export type Objective = (x: readonly number[], g: number[]) => number;

export interface BfgsOptions {
  /** Stop when every |∂f/∂xᵢ| ≤ gtol · max(1, |f|). */
  gtol?: number;
  maxIterations?: number;
}

export interface Minimum {
  x: number[];
  f: number;
  gradient: number[];
  iterations: number;
  evaluations: number;
  converged: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;

const dot = (a: readonly number[], b: readonly number[]) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};
const maxAbs = (a: readonly number[]) => a.reduce((m, v) => Math.max(m, Math.abs(v)), 0);
/** Where f stops decreasing in double precision, a gradient this small is the optimum. */
const nearlyFlat = (g: readonly number[], f: number) => maxAbs(g) <= 1e-6 * Math.max(1, Math.abs(f));

export function bfgs(fn: Objective, x0: readonly number[], o: BfgsOptions = {}): Minimum {
  const n = x0.length;
  const gtol = o.gtol ?? 1e-8;
  const maxIterations = o.maxIterations ?? 500;
  let evaluations = 0;
  const evaluate = (x: readonly number[]) => {
    const g = new Array<number>(n).fill(0);
    evaluations++;
    const f = fn(x, g);
    return { f: Number.isFinite(f) && g.every(Number.isFinite) ? f : Number.POSITIVE_INFINITY, g };
  };
  let x = [...x0];
  let { f, g } = evaluate(x);
  if (!Number.isFinite(f)) return { x, f, gradient: g, iterations: 0, evaluations, converged: false };
  // H: the inverse Hessian approximation, row-major.
  let H = identity(n);
  let first = true;
  for (let it = 0; it < maxIterations; it++) {
    if (maxAbs(g) <= gtol * Math.max(1, Math.abs(f)))
      return { x, f, gradient: g, iterations: it, evaluations, converged: true };
    let d = times(H, g).map((v) => -v);
    if (dot(d, g) >= 0) {
      // Not a descent direction (round-off): start the curvature model again.
      H = identity(n);
      d = g.map((v) => -v);
    }
    // The first step is steepest descent: size it so that no coordinate moves more than 1.
    const step0 = first ? Math.min(1, 1 / maxAbs(d)) : 1;
    const ls = lineSearch(evaluate, x, f, g, d, step0);
    // No step decreases f: at the optimum as far as the arithmetic can tell, if the gradient is small.
    if (!ls) return { x, f, gradient: g, iterations: it, evaluations, converged: nearlyFlat(g, f) };
    const s = d.map((v) => v * ls.step);
    const y = ls.g.map((v, i) => v - g[i]!);
    const ys = dot(y, s);
    const improvement = f - ls.f;
    x = x.map((v, i) => v + s[i]!);
    f = ls.f;
    g = ls.g;
    if (ys > 1e-12 * Math.sqrt(dot(y, y) * dot(s, s))) {
      if (first) H = scaled(identity(n), ys / dot(y, y));
      H = update(H, s, y, ys);
      first = false;
    }
    // No decrease the arithmetic can see: this is as far as double precision goes.
    if (improvement <= 1e-16 * Math.max(1, Math.abs(f)))
      return { x, f, gradient: g, iterations: it + 1, evaluations, converged: nearlyFlat(g, f) };
  }
  return { x, f, gradient: g, iterations: maxIterations, evaluations, converged: false };
}

/** A step along d meeting the strong Wolfe conditions (N&W Alg. 3.5); null when none is found. */
function lineSearch(
  evaluate: (x: readonly number[]) => { f: number; g: number[] },
  x: readonly number[],
  f0: number,
  g0: readonly number[],
  d: readonly number[],
  step0: number,
): { step: number; f: number; g: number[] } | null {
  const dphi0 = dot(g0, d);
  const at = (t: number) => {
    const r = evaluate(x.map((v, i) => v + t * d[i]!));
    return { t, f: r.f, g: r.g, dphi: dot(r.g, d) };
  };
  let prev = { t: 0, f: f0, g: [...g0], dphi: dphi0 };
  let t = step0;
  for (let i = 0; i < 60; i++) {
    const cur = at(t);
    if (!Number.isFinite(cur.f) || cur.f > f0 + C1 * t * dphi0 || (i > 0 && cur.f >= prev.f))
      return zoom(at, f0, dphi0, prev, cur);
    if (Math.abs(cur.dphi) <= -C2 * dphi0) return { step: t, f: cur.f, g: cur.g };
    if (cur.dphi >= 0) return zoom(at, f0, dphi0, cur, prev);
    prev = cur;
    t *= 2;
  }
  return null;
}

type Point = { t: number; f: number; g: number[]; dphi: number };

/** N&W Alg. 3.6: shrink [lo, hi] around a strong-Wolfe step, trying the quadratic's minimum first. */
function zoom(
  at: (t: number) => Point,
  f0: number,
  dphi0: number,
  lo: Point,
  hi: Point,
): { step: number; f: number; g: number[] } | null {
  for (let i = 0; i < 30; i++) {
    const width = hi.t - lo.t;
    let t = lo.t + width / 2;
    if (Number.isFinite(hi.f)) {
      // The minimum of the quadratic through φ(lo), φ'(lo) and φ(hi), kept away from both ends.
      const denom = 2 * (hi.f - lo.f - lo.dphi * width);
      if (denom > 0) t = lo.t - (lo.dphi * width * width) / denom;
      const a = Math.min(lo.t, hi.t);
      const b = Math.max(lo.t, hi.t);
      t = Math.min(Math.max(t, a + 0.1 * (b - a)), b - 0.1 * (b - a));
    }
    if (Math.abs(width) < 1e-12 * Math.max(1, Math.abs(lo.t))) break;
    const cur = at(t);
    if (!Number.isFinite(cur.f) || cur.f > f0 + C1 * t * dphi0 || cur.f >= lo.f) hi = cur;
    else {
      if (Math.abs(cur.dphi) <= -C2 * dphi0) return { step: t, f: cur.f, g: cur.g };
      if (cur.dphi * (hi.t - lo.t) >= 0) hi = lo;
      lo = cur;
    }
  }
  // No step met the curvature condition; one that decreased f is still progress.
  return lo.t > 0 && lo.f < f0 ? { step: lo.t, f: lo.f, g: lo.g } : null;
}

function identity(n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

function scaled(m: number[][], k: number): number[][] {
  return m.map((row) => row.map((v) => v * k));
}

function times(m: number[][], v: readonly number[]): number[] {
  return m.map((row) => dot(row, v));
}

/** H⁺ = (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / yᵀs (N&W eq. 6.17). */
function update(H: number[][], s: readonly number[], y: readonly number[], ys: number): number[][] {
  const rho = 1 / ys;
  const Hy = times(H, y);
  const yHy = dot(y, Hy);
  return H.map((row, i) =>
    row.map((v, j) => v - rho * (Hy[i]! * s[j]! + s[i]! * Hy[j]!) + (rho * rho * yHy + rho) * s[i]! * s[j]!),
  );
}
