import numeric from 'numeric';
import type { RfmSummary } from '../src/core/metrics/clv/bgnbd.js';
import type { SpendSummary } from '../src/core/metrics/clv/gamma-gamma.js';
import { gammaln, logAddExp } from '../src/core/metrics/clv/special.js';

/**
 * The BG/NBD and Gamma-Gamma fits as they were before issue 16 (commit 1de274f): numeric.uncmin with its numerical
 * gradient on the log-parameters, the likelihood grouped by (x, t_x, T) with ln Γ per distinct x. Kept for
 * clv.bench.ts only, as the baseline the new fit is measured beside in the same run.
 */
const LOG_BOUND = Math.log(1e4);

function fitPositive(
  logLik: (p: number[]) => number,
  starts: number[][],
): { params: number[]; logLik: number } {
  const negLL = (lp: number[]) => {
    if (lp.some((v) => Math.abs(v) > LOG_BOUND)) return 1e300;
    const v = -logLik(lp.map(Math.exp));
    return Number.isFinite(v) ? v : 1e300;
  };
  let best: { params: number[]; logLik: number } | null = null;
  for (const start of starts) {
    const r = numeric.uncmin(negLL, start.map(Math.log), 1e-9, undefined, 1000);
    const params = r.solution.map(Math.exp);
    const sane = params.every((p) => Number.isFinite(p) && p > 1.0001e-4 && p < 0.9999e4);
    if (sane && r.f < 1e300 && (!best || -r.f > best.logLik)) best = { params, logLik: -r.f };
  }
  if (!best) throw new RangeError('maximum likelihood did not converge from any start');
  return best;
}

export function previousFitBgNbd(customers: readonly RfmSummary[]): { params: number[]; logLik: number } {
  const m = new Map<string, { c: RfmSummary; n: number }>();
  for (const c of customers) {
    const k = `${c.x}|${c.tx}|${c.T}`;
    const g = m.get(k);
    if (g) g.n++;
    else m.set(k, { c, n: 1 });
  }
  const groups = [...m.values()];
  const maxX = groups.reduce((mx, g) => Math.max(mx, g.c.x), 0);
  const byX = new Float64Array(maxX + 1);
  const lnB = new Float64Array(maxX + 1);
  const ll = ([r, alpha, a, b]: number[]): number => {
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
  return fitPositive(ll, [
    [0.5, 0.5, 0.5, 0.5],
    [2, 2, 2, 2],
    [1, 1, 1, 1],
  ]);
}

export function previousFitGammaGamma(customers: readonly SpendSummary[]): {
  params: number[];
  logLik: number;
} {
  const repeaters = customers.filter((c) => c.x > 0 && c.mean > 0);
  const byX = new Map<number, { n: number; sumLnMean: number }>();
  for (const c of repeaters) {
    const g = byX.get(c.x) ?? { n: 0, sumLnMean: 0 };
    g.n++;
    g.sumLnMean += Math.log(c.mean);
    byX.set(c.x, g);
  }
  const groups = [...byX].map(([x, g]) => ({ x, ...g }));
  const xs = Float64Array.from(repeaters, (c) => c.x);
  const xm = Float64Array.from(repeaters, (c) => c.x * c.mean);
  const ll = ([p, q, gamma]: number[]): number => {
    let s = 0;
    for (const g of groups)
      s +=
        g.n *
          (gammaln(p! * g.x + q!) -
            gammaln(p! * g.x) -
            gammaln(q!) +
            q! * Math.log(gamma!) +
            p! * g.x * Math.log(g.x)) +
        (p! * g.x - 1) * g.sumLnMean;
    for (let i = 0; i < xs.length; i++) s -= (p! * xs[i]! + q!) * Math.log(gamma! + xm[i]!);
    return s;
  };
  return fitPositive(ll, [
    [1, 1, 1],
    [5, 5, 5],
    [0.5, 2, 10],
  ]);
}
