/**
 * Per-unit sums of one group, the only thing the statistics need: n units and, per unit, a numerator x and a
 * denominator y (y = 1 for a plain mean), as Σx, Σx², Σy, Σy², Σxy. A store (or a warehouse) computes them in
 * SQL; the analysis never sees a row.
 */
export interface UnitSums {
  n: number;
  sx: number;
  sxx: number;
  sy: number;
  syy: number;
  sxy: number;
}

/** An estimate and the variance of the estimator (its squared standard error). */
export interface Estimate {
  value: number;
  variance: number;
  n: number;
}

export const ZERO_SUMS: UnitSums = { n: 0, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 };

export function addSums(a: UnitSums, b: UnitSums): UnitSums {
  return {
    n: a.n + b.n,
    sx: a.sx + b.sx,
    sxx: a.sxx + b.sxx,
    sy: a.sy + b.sy,
    syy: a.syy + b.syy,
    sxy: a.sxy + b.sxy,
  };
}

/** Sample variances and covariance (n − 1 in the denominator). */
function moments(s: UnitSums): { mx: number; my: number; vx: number; vy: number; cxy: number } {
  const mx = s.sx / s.n;
  const my = s.sy / s.n;
  const k = s.n - 1;
  // Rounding can take a variance a hair below zero when every unit has the same value.
  return {
    mx,
    my,
    vx: Math.max(0, (s.sxx - s.n * mx * mx) / k),
    vy: Math.max(0, (s.syy - s.n * my * my) / k),
    cxy: (s.sxy - s.n * mx * my) / k,
  };
}

/** The mean of x per unit (CVR as orders per session, RPS as revenue per session): Var(x̄) = s²ₓ / n. */
export function meanOf(s: UnitSums): Estimate | null {
  if (s.n < 2) return null;
  const m = moments(s);
  return { value: m.mx, variance: m.vx / s.n, n: s.n };
}

/**
 * A ratio of per-unit sums, R = Σx / Σy (AOV as revenue per order with sessions as units), by the delta
 * method (Deng, Knoblich & Lu 2018, "Applying the Delta Method in Metric Analytics", §3): Var(R) ≈ (s²ₓ/ȳ² −
 * 2 x̄ sₓᵧ/ȳ³ + x̄² s²ᵧ/ȳ⁴) / n.
 */
export function ratioOf(s: UnitSums): Estimate | null {
  if (s.n < 2 || s.sy <= 0) return null;
  const { mx, my, vx, vy, cxy } = moments(s);
  const variance = (vx / my ** 2 - (2 * mx * cxy) / my ** 3 + (mx ** 2 * vy) / my ** 4) / s.n;
  return { value: s.sx / s.sy, variance: Math.max(0, variance), n: s.n };
}

/** The total of x over the units (revenue of a period with its sessions as given): Var = n s²ₓ. */
export function totalOf(s: UnitSums): Estimate | null {
  if (s.n < 2) return null;
  return { value: s.sx, variance: s.n * moments(s).vx, n: s.n };
}
