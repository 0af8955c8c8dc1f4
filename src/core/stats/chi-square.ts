import { gammaln } from 'simple-statistics';

/**
 * P(χ²(df) ≥ x), the regularized upper incomplete gamma Q(df/2, x/2): its series below a + 1, Lentz's continued
 * fraction above (Numerical Recipes §6.2), to about 1e-14. Written here rather than taken from @stdlib's gammainc,
 * which is accurate but brings some 200 packages for one function; the test checks it against stdlib's figures.
 */
export function chiSquareSurvival(x: number, df: number): number {
  if (!(df > 0) || Number.isNaN(x)) return NaN;
  if (x <= 0) return 1;
  const a = df / 2;
  const z = x / 2;
  const lead = -z + a * Math.log(z) - gammaln(a);
  if (z < a + 1) {
    let term = 1 / a;
    let sum = term;
    for (let k = 1; k < 10_000; k++) {
      term *= z / (a + k);
      sum += term;
      if (Math.abs(term) < Math.abs(sum) * 1e-16) break;
    }
    return Math.max(0, 1 - sum * Math.exp(lead));
  }
  const tiny = 1e-300;
  let b = z + 1 - a;
  let c = 1 / tiny;
  let d = 1 / b;
  let h = d;
  for (let i = 1; i < 10_000; i++) {
    const an = -i * (i - a);
    b += 2;
    d = an * d + b;
    if (Math.abs(d) < tiny) d = tiny;
    c = b + an / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-16) break;
  }
  return Math.min(1, Math.exp(lead) * h);
}

/** Pearson's goodness of fit of counts to expected shares (weights need not sum to 1). */
export function chiSquareTest(
  counts: readonly number[],
  weights: readonly number[],
): { chi2: number; df: number; p: number } {
  const n = counts.reduce((s, c) => s + c, 0);
  const w = weights.reduce((s, x) => s + x, 0);
  let chi2 = 0;
  counts.forEach((c, i) => {
    const e = (n * weights[i]!) / w;
    if (e > 0) chi2 += (c - e) ** 2 / e;
  });
  const df = counts.length - 1;
  return { chi2, df, p: chiSquareSurvival(chi2, df) };
}
