/** A share with its 95% interval. */
export interface Proportion {
  value: number;
  low: number;
  high: number;
  n: number;
}

/**
 * k successes in n trials with the Wilson score interval (Wilson 1927; Agresti & Coull 1998 recommend it over
 * the normal approximation for small n or shares near 0 or 1); null when n is 0 (unknown, not 0%).
 */
export function proportion(k: number, n: number, z = 1.959963984540054): Proportion | null {
  if (!(n > 0)) return null;
  const p = k / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { value: p, low: Math.max(0, centre - half), high: Math.min(1, centre + half), n };
}
