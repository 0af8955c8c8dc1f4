import { gammaln } from 'simple-statistics';

export { gammaln };

/**
 * Gauss hypergeometric function 2F1(a, b; c; z) by its power series, for 0 ≤ z < 1 (Abramowitz & Stegun
 * 15.1.1); BG/NBD only ever evaluates it at z = t/(α+T+t) < 1.
 */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  let term = 1;
  let sum = 1;
  for (let k = 0; k < 100_000; k++) {
    term *= ((a + k) * (b + k) * z) / ((c + k) * (k + 1));
    sum += term;
    if (!Number.isFinite(sum)) throw new RangeError(`2F1(${a}, ${b}; ${c}; ${z}) overflowed`);
    if (Math.abs(term) < 1e-15 * Math.abs(sum)) return sum;
  }
  throw new RangeError(`2F1 series did not converge (z = ${z})`);
}

/** log(e^x + e^y) without overflow. */
export function logAddExp(x: number, y: number): number {
  if (x === -Infinity) return y;
  if (y === -Infinity) return x;
  const m = Math.max(x, y);
  return m + Math.log(Math.exp(x - m) + Math.exp(y - m));
}

/**
 * ψ(x) = d/dx ln Γ(x) for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 10, then the asymptotic series
 * (Abramowitz & Stegun 6.3.5 and 6.3.18).
 */
export function digamma(x: number): number {
  let shift = 0;
  while (x < 10) {
    shift -= 1 / x;
    x += 1;
  }
  const f = 1 / (x * x);
  return (
    shift +
    Math.log(x) -
    0.5 / x -
    f * (1 / 12 - f * (1 / 120 - f * (1 / 252 - f * (1 / 240 - f * (1 / 132 - (f * 691) / 32760)))))
  );
}
