/**
 * Additive LMDI decomposition (Ang 2005, "The LMDI approach to decomposition analysis", eq. 6): for V = Π xᵢ,
 * ΔV = Σ L(V¹, V⁰) · ln(xᵢ¹ / xᵢ⁰) with the logarithmic mean L. The parts add up to the change exactly. Zeros
 * are replaced by a tiny positive number (Ang & Liu 2007), whose limit is the exact answer.
 */
const TINY = 1e-30;

export function logMean(a: number, b: number): number {
  if (a === b) return a;
  return (a - b) / (Math.log(a) - Math.log(b));
}

export function lmdi(
  before: readonly number[],
  after: readonly number[],
): { total: number; parts: number[] } {
  const x0 = before.map((v) => Math.max(v, TINY));
  const x1 = after.map((v) => Math.max(v, TINY));
  const v0 = before.reduce((p, v) => p * v, 1);
  const v1 = after.reduce((p, v) => p * v, 1);
  const w = logMean(Math.max(v1, TINY), Math.max(v0, TINY));
  const parts = x0.map((x, i) => w * Math.log(x1[i]! / x));
  // Rounding of the logs leaves the sum a few ulps off the change; the remainder goes to the largest part.
  const total = v1 - v0;
  const rest = total - parts.reduce((s, p) => s + p, 0);
  const biggest = parts.reduce((bi, p, i) => (Math.abs(p) > Math.abs(parts[bi]!) ? i : bi), 0);
  if (parts.length) parts[biggest]! += rest;
  return { total, parts };
}

/**
 * Whole minor units for display that add up: the total rounded, and the parts rounded by largest remainder (each part
 * floored, then the units still missing go to the parts with the largest remainders), so the shown parts always sum
 * to the shown total.
 */
export function roundParts(total: number, parts: readonly number[]): { total: number; parts: number[] } {
  const t = Math.round(total);
  const floors = parts.map((p) => Math.floor(p));
  let missing = t - floors.reduce((s, f) => s + f, 0);
  const order = parts
    .map((p, i) => ({ i, rem: p - Math.floor(p) }))
    .sort((a, b) => b.rem - a.rem || a.i - b.i);
  const out = [...floors];
  // The floors' sum is at most the total plus rounding of each; hand out (or take back) whole units by remainder.
  for (let k = 0; missing > 0; k = (k + 1) % order.length, missing--) out[order[k]!.i]! += 1;
  for (let k = order.length - 1; missing < 0; k = (k - 1 + order.length) % order.length, missing++)
    out[order[k]!.i]! -= 1;
  return { total: t + 0, parts: out.map((x) => x + 0) };
}
