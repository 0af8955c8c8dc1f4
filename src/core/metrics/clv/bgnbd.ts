import { fitPositive } from './fit.js';
import { gammaln, hyp2f1, logAddExp } from './special.js';

/** One customer's calibration summary: x repeat purchases, last at t_x, observed for T (same time unit). */
export interface RfmSummary {
  x: number;
  tx: number;
  T: number;
}

export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

// BG/NBD: Fader, Hardie & Lee (2005), "Counting Your Customers the Easy Way", Marketing Science 24(2), eq.
// (6).
function customerLogLik(p: BgNbdParams, c: RfmSummary): number {
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const a1 = gammaln(r + x) - gammaln(r) + r * Math.log(alpha);
  const a2 = gammaln(a + b) + gammaln(b + x) - gammaln(b) - gammaln(a + b + x);
  const a3 = -(r + x) * Math.log(alpha + T);
  const a4 = x > 0 ? Math.log(a) - Math.log(b + x - 1) - (r + x) * Math.log(alpha + tx) : -Infinity;
  return a1 + a2 + logAddExp(a3, a4);
}

/** Customers with the same (x, t_x, T) contribute the same term: count them once. */
function group(customers: readonly RfmSummary[]): { c: RfmSummary; n: number }[] {
  const m = new Map<string, { c: RfmSummary; n: number }>();
  for (const c of customers) {
    const k = `${c.x}|${c.tx}|${c.T}`;
    const g = m.get(k);
    if (g) g.n++;
    else m.set(k, { c, n: 1 });
  }
  return [...m.values()];
}

export function bgnbdLogLik(p: BgNbdParams, customers: readonly RfmSummary[]): number {
  let ll = 0;
  for (const { c, n } of group(customers)) ll += n * customerLogLik(p, c);
  return ll;
}

/**
 * The same likelihood as bgnbdLogLik, arranged for the optimiser: the gamma-function terms depend on x only,
 * so they are computed once per distinct x and evaluation, not once per customer.
 */
function fastLogLik(groups: { c: RfmSummary; n: number }[], maxX: number) {
  const byX = new Float64Array(maxX + 1);
  const lnB = new Float64Array(maxX + 1);
  return ([r, alpha, a, b]: number[]): number => {
    const base = -gammaln(r!) + r! * Math.log(alpha!) + gammaln(a! + b!) - gammaln(b!);
    for (let x = 0; x <= maxX; x++) {
      byX[x] = gammaln(r! + x) + gammaln(b! + x) - gammaln(a! + b! + x) + base;
      lnB[x] = x > 0 ? Math.log(a!) - Math.log(b! + x - 1) : 0;
    }
    let s = 0;
    for (const { c, n } of groups) {
      const a3 = -(r! + c.x) * Math.log(alpha! + c.T);
      const tail = c.x > 0 ? logAddExp(a3, lnB[c.x]! - (r! + c.x) * Math.log(alpha! + c.tx)) : a3;
      s += n * (byX[c.x]! + tail);
    }
    return s;
  };
}

export function fitBgNbd(customers: readonly RfmSummary[]): { params: BgNbdParams; logLik: number } {
  const groups = group(customers);
  const ll = fastLogLik(
    groups,
    groups.reduce((m, g) => Math.max(m, g.c.x), 0),
  );
  const fit = fitPositive(ll, [
    [0.5, 0.5, 0.5, 0.5],
    [2, 2, 2, 2],
    [1, 1, 1, 1],
  ]);
  const [r, alpha, a, b] = fit.params as [number, number, number, number];
  return { params: { r, alpha, a, b }, logLik: fit.logLik };
}

/** E[X(t)]: expected purchases of a new customer in (0, t]; FHL 2005 eq. (7). */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = p;
  if (t <= 0) return 0;
  return (
    ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t)))
  );
}

/** P(alive | x, t_x, T); FHL 2005 eq. (11) and the note "Computing P(alive) using the BG/NBD model". */
export function probabilityAlive(p: BgNbdParams, c: RfmSummary): number {
  if (c.x === 0) return 1;
  const { r, alpha, a, b } = p;
  return 1 / (1 + (a / (b + c.x - 1)) * ((alpha + c.T) / (alpha + c.tx)) ** (r + c.x));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t; FHL 2005 eq. (10). */
export function conditionalExpectedPurchases(p: BgNbdParams, c: RfmSummary, t: number): number {
  if (t <= 0) return 0;
  const { r, alpha, a, b } = p;
  const { x, tx, T } = c;
  const head = (a + b + x - 1) / (a - 1);
  const body =
    1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
  const denom = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
  return (head * body) / denom;
}
