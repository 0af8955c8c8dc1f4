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

/** Customers sharing one (x, t_x, T): n of them. */
export interface RfmPattern {
  c: RfmSummary;
  n: number;
}

/**
 * Customers with the same (x, t_x, T) contribute the same term: count them once (nested maps: no string keys),
 * in the order of each pattern's first customer.
 */
export function groupPatterns(customers: readonly RfmSummary[]): RfmPattern[] {
  const byT = new Map<number, Map<number, Map<number, RfmPattern>>>();
  const out: RfmPattern[] = [];
  for (const c of customers) {
    let byTx = byT.get(c.T);
    if (!byTx) byT.set(c.T, (byTx = new Map()));
    let byX = byTx.get(c.tx);
    if (!byX) byTx.set(c.tx, (byX = new Map()));
    const g = byX.get(c.x);
    if (g) g.n++;
    else {
      const fresh = { c, n: 1 };
      byX.set(c.x, fresh);
      out.push(fresh);
    }
  }
  return out;
}

export function bgnbdLogLik(p: BgNbdParams, customers: readonly RfmSummary[]): number {
  let ll = 0;
  for (const { c, n } of groupPatterns(customers)) ll += n * customerLogLik(p, c);
  return ll;
}

/**
 * The same likelihood as bgnbdLogLik with its gradient, arranged for the optimiser. Customers are grouped by
 * (x, t_x, T); as x is a whole number, ln Γ(r + x) − ln Γ(r) = Σ_{k<x} ln(r + k) (and so for b and a + b), so
 * the gamma-function terms and their derivatives are running sums over x, computed once per evaluation up to the
 * largest x; ln(α + T) and ln(α + t_x) once per distinct T and t_x. What is left per group is one exp and one
 * log1p, for the two terms of FHL (2005) eq. (6).
 */
export function bgnbdObjective(
  customers: readonly RfmSummary[],
): (p: readonly number[], grad: number[]) => number {
  return bgnbdPatternObjective(groupPatterns(customers));
}

/** bgnbdObjective over customers already grouped by (x, t_x, T) (the store groups them in SQL). */
export function bgnbdPatternObjective(
  groups: readonly RfmPattern[],
): (p: readonly number[], grad: number[]) => number {
  const maxX = groups.reduce((m, g) => Math.max(m, g.c.x), 0);
  const distinct = (values: number[]) => [...new Set(values)];
  const Ts = Float64Array.from(distinct(groups.map((g) => g.c.T)));
  const txs = Float64Array.from(distinct(groups.map((g) => g.c.tx)));
  const tIndex = new Map([...Ts].map((v, i) => [v, i]));
  const txIndex = new Map([...txs].map((v, i) => [v, i]));
  const m = groups.length;
  const gn = Float64Array.from(groups, (g) => g.n);
  const gx = Int32Array.from(groups, (g) => g.c.x);
  const gT = Int32Array.from(groups, (g) => tIndex.get(g.c.T)!);
  const gtx = Int32Array.from(groups, (g) => txIndex.get(g.c.tx)!);
  // Customers per x: the terms that depend on x alone are weighted by these counts.
  const perX = new Float64Array(maxX + 1);
  for (let i = 0; i < m; i++) perX[gx[i]!]! += gn[i]!;
  const total = gn.reduce((s, v) => s + v, 0);
  const lnT = new Float64Array(Ts.length);
  const invT = new Float64Array(Ts.length);
  const lnTx = new Float64Array(txs.length);
  const invTx = new Float64Array(txs.length);
  const lnB1 = new Float64Array(maxX + 1);
  const invB1 = new Float64Array(maxX + 1);
  return ([r, alpha, a, b]: readonly number[], grad: number[]): number => {
    const R = r!;
    const A = alpha!;
    const lnA = Math.log(A);
    const lna = Math.log(a!);
    // Σ over customers of the x-only terms, and their derivatives, by running sums over k < x.
    let sumX = 0;
    let dr = 0;
    let da = 0;
    let db = 0;
    let sR = 0;
    let sB = 0;
    let sAB = 0;
    let dR = 0;
    let dB = 0;
    let dAB = 0;
    for (let x = 0; x <= maxX; x++) {
      if (x > 0) {
        const k = x - 1;
        sR += Math.log(R + k);
        sB += Math.log(b! + k);
        sAB += Math.log(a! + b! + k);
        dR += 1 / (R + k);
        dB += 1 / (b! + k);
        dAB += 1 / (a! + b! + k);
        lnB1[x] = Math.log(b! + k);
        invB1[x] = 1 / (b! + k);
      }
      const c = perX[x]!;
      if (c === 0) continue;
      sumX += c * (sR + sB - sAB);
      dr += c * dR;
      da -= c * dAB;
      db += c * (dB - dAB);
    }
    let ll = sumX + total * R * lnA;
    dr += total * lnA;
    let dalpha = (total * R) / A;
    for (let j = 0; j < Ts.length; j++) {
      lnT[j] = Math.log(A + Ts[j]!);
      invT[j] = 1 / (A + Ts[j]!);
    }
    for (let j = 0; j < txs.length; j++) {
      lnTx[j] = Math.log(A + txs[j]!);
      invTx[j] = 1 / (A + txs[j]!);
    }
    // Per group: ln(e^A3 + e^A4), A3 = −(r+x) ln(α+T), A4 = ln a − ln(b+x−1) − (r+x) ln(α+t_x) (x > 0), and w, the
    // share of the second term, which weighs the two terms' derivatives.
    for (let i = 0; i < m; i++) {
      const n = gn[i]!;
      const x = gx[i]!;
      const rx = R + x;
      const a3 = -rx * lnT[gT[i]!]!;
      if (x === 0) {
        ll += n * a3;
        dr -= n * lnT[gT[i]!]!;
        dalpha -= n * rx * invT[gT[i]!]!;
        continue;
      }
      const a4 = lna - lnB1[x]! - rx * lnTx[gtx[i]!]!;
      let w: number;
      if (a3 >= a4) {
        const e = Math.exp(a4 - a3);
        ll += n * (a3 + Math.log1p(e));
        w = e / (1 + e);
      } else {
        const e = Math.exp(a3 - a4);
        ll += n * (a4 + Math.log1p(e));
        w = 1 / (1 + e);
      }
      const nw = n * w;
      dr -= n * lnT[gT[i]!]! + nw * (lnTx[gtx[i]!]! - lnT[gT[i]!]!);
      dalpha -= rx * (n * invT[gT[i]!]! + nw * (invTx[gtx[i]!]! - invT[gT[i]!]!));
      da += nw / a!;
      db -= nw * invB1[x]!;
    }
    grad[0] = dr;
    grad[1] = dalpha;
    grad[2] = da;
    grad[3] = db;
    return ll;
  };
}

export function fitBgNbd(customers: readonly RfmSummary[]): { params: BgNbdParams; logLik: number } {
  return fitBgNbdPatterns(groupPatterns(customers));
}

/** fitBgNbd over customers grouped by (x, t_x, T): the same fit, given the groups in the same order. */
export function fitBgNbdPatterns(groups: readonly RfmPattern[]): { params: BgNbdParams; logLik: number } {
  const objective = bgnbdPatternObjective(groups);
  const scratch = [0, 0, 0, 0];
  const fit = fitPositive(
    (p) => objective(p, scratch),
    [
      [0.5, 0.5, 0.5, 0.5],
      [2, 2, 2, 2],
      [1, 1, 1, 1],
    ],
    objective,
  );
  const [r, alpha, a, b] = fit.params as [number, number, number, number];
  return { params: { r, alpha, a, b }, logLik: fit.logLik };
}

/**
 * Both expectations below are (…)/(a − 1) × (1 − …), 0/0 at a = 1 exactly, where the function itself is smooth (a
 * fit on data with hardly any repeat purchase can leave a at its starting value 1): there it is read as the mean of
 * its values just either side, exact to about 1e-10 of its value.
 */
const A_NEAR_ONE = 1e-5;
function smoothAtOne(a: number, f: (a: number) => number): number {
  return Math.abs(a - 1) < A_NEAR_ONE ? (f(1 - A_NEAR_ONE) + f(1 + A_NEAR_ONE)) / 2 : f(a);
}

/** E[X(t)]: expected purchases of a new customer in (0, t]; FHL 2005 eq. (7). */
export function expectedPurchases(p: BgNbdParams, t: number): number {
  const { r, alpha, b } = p;
  if (t <= 0) return 0;
  return smoothAtOne(
    p.a,
    (a) =>
      ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, t / (alpha + t))),
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
  const { r, alpha, b } = p;
  const { x, tx, T } = c;
  return smoothAtOne(p.a, (a) => {
    const head = (a + b + x - 1) / (a - 1);
    const body =
      1 -
      ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t));
    const denom = 1 + (x > 0 ? (a / (b + x - 1)) * ((alpha + T) / (alpha + tx)) ** (r + x) : 0);
    return (head * body) / denom;
  });
}
