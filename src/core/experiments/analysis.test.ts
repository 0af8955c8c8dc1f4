import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../../test/helpers.js';
import { chiSquareSurvival } from '../stats/chi-square.js';
import { alwaysValidInterval } from '../stats/sequential.js';
import { analyseExperiment, type VariantSums } from './analysis.js';

/** Per-unit rows and reference figures computed apart from this code: test/golden/experiment-stats.json names how. */
const g = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'experiment-stats.json'), 'utf8'));
const close = (a: number | undefined | null, b: number, tol: number, what: string) =>
  assert.ok(a != null && Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function sumsOf(id: string): VariantSums {
  const v = g.variants[id];
  const s: VariantSums = {
    id,
    weight: v.weight,
    n: 0,
    so: 0,
    soo: 0,
    sr: 0,
    srr: 0,
    sor: 0,
    pre: { sx: 0, sxx: 0, srx: 0, sox: 0 },
  };
  for (const [o, r, x] of v.rows as [number, number, number][]) {
    s.n++;
    s.so += o;
    s.soo += o * o;
    s.sr += r;
    s.srr += r * r;
    s.sor += o * r;
    s.pre!.sx += x;
    s.pre!.sxx += x * x;
    s.pre!.srx += r * x;
    s.pre!.sox += o * x;
  }
  return s;
}
const IDS = ['control', 't50', 't75'];

test('chi-square tail matches @stdlib/math-base-special-gammainc (Boost’s gamma_q) to 1e-9', () => {
  // Figures printed by stdlib 0.3.1: gammainc(x / 2, df / 2, true, true).
  const cases: [number, number, number][] = [
    [1, 3.84, 0.05004352124870509],
    [1, 10.83, 0.0009986863791802592],
    [2, 5.99, 0.05003662708658628],
    [3, 7.81, 0.05010605635000595],
    [1, 0.5, 0.4795001221869535],
    [4, 20, 0.0004993992273873333],
    [1, 30, 4.320463057827492e-8],
    [2, 0.01, 0.9950124791926824],
    [9, 12.3, 0.19692022639855322],
    [1, 0.000001, 0.9992021155721778],
  ];
  for (const [df, x, p] of cases) {
    const got = chiSquareSurvival(x, df);
    assert.ok(Math.abs(got - p) <= 1e-9 * Math.max(p, 1e-6), `df ${df}, x ${x}: ${got} vs ${p}`);
  }
  assert.equal(chiSquareSurvival(0, 3), 1);
});

test('per-variant CVR, RPS and AOV (delta method) match the golden figures', () => {
  const r = analyseExperiment(IDS.map(sumsOf), { cuped: false });
  for (const v of r.variants) {
    const want = g.variants[v.id];
    for (const k of ['cvr', 'rps', 'aov'] as const) {
      close(v[k]?.value, want[k].value, 1e-12, `${v.id} ${k}`);
      close(v[k]?.variance, want[k].variance, 1e-9, `${v.id} ${k} variance`);
    }
  }
});

test('SRM: Pearson chi-square against the configured weights', () => {
  const r = analyseExperiment(IDS.map(sumsOf));
  close(r.srm.chi2, g.srm.chi2, 1e-12, 'chi2');
  assert.equal(r.srm.df, 2);
  close(r.srm.p, g.srm.p, 1e-9, 'p');
  assert.equal(r.srm.flagged, false);
  // 50/50 configured, 52/48 delivered over 20,000 units: flagged, every verdict withheld with the split named.
  const unit = (id: string, n: number): VariantSums => ({
    id,
    weight: 1,
    n,
    so: n * 0.03,
    soo: n * 0.03,
    sr: n * 2,
    srr: n * 200,
    sor: n * 2,
  });
  const broken = analyseExperiment([unit('a', 10_400), unit('b', 9_600)]);
  assert.equal(broken.srm.flagged, true);
  assert.equal(broken.comparisons[0]!.verdict.code, 'SRM');
  assert.match(broken.comparisons[0]!.verdict.text, /52\.0% \/ 48\.0% where 50\.0% \/ 50\.0% was configured/);
});

test('CUPED: θ and the adjusted differences equal the ANCOVA regression; the variance reduction is said', () => {
  const r = analyseExperiment(IDS.map(sumsOf));
  close(r.cupedTheta?.rps, g.cuped.theta, 1e-9, 'theta');
  for (const c of r.comparisons) {
    const cu = c.cuped?.rps;
    close(cu?.change.absolute.value, g.cuped.diff[c.variant], 1e-9, `${c.variant} adjusted diff`);
    const want =
      1 -
      (g.cuped.variants.control.variance + g.cuped.variants[c.variant].variance) /
        (g.cuped.variants.control.unadjusted + g.cuped.variants[c.variant].unadjusted);
    close(cu?.varianceReduction, want, 1e-9, `${c.variant} variance reduction`);
    assert.ok(cu!.varianceReduction > 0.03, 'the covariate takes variance away');
  }
});

test('always-valid interval: GrowthBook’s normal-mixture formula, wider than the fixed-horizon one', () => {
  const s = g.sequential;
  const c = g.variants.control.rps;
  const t = g.variants.t50.rps;
  const iv = alwaysValidInterval(s.diff, c.variance + t.variance, s.n, s.alpha, s.tuning)!;
  close(iv.low, s.low, 1e-9, 'low');
  close(iv.high, s.high, 1e-9, 'high');
  assert.ok(iv.halfWidth > s.fixedHalf, 'an anytime interval costs width');
});

test('the RPS lift splits exactly into its CVR and AOV parts, each with an interval; Bonferroni over treatments', () => {
  const r = analyseExperiment(IDS.map(sumsOf), { cuped: false });
  assert.deepEqual(r.correction, { method: 'bonferroni', comparisons: 2, alphaPerComparison: 0.025 });
  for (const c of r.comparisons) {
    const s = c.split!;
    close(
      Math.log1p(s.rps!.value),
      Math.log1p(s.cvr!.value) + Math.log1p(s.aov!.value),
      1e-12,
      'log lifts add',
    );
    const v = g.variants;
    close(s.rps!.value, v[c.variant].rps.value / v.control.rps.value - 1, 1e-12, 'rps lift');
    assert.ok(s.cvr!.low < s.cvr!.value && s.cvr!.value < s.cvr!.high);
    // 97.5% intervals (two comparisons): wider than the 95% ones.
    const single = analyseExperiment([sumsOf('control'), sumsOf(c.variant)], { cuped: false });
    const w = (x: { low: number; high: number }) => x.high - x.low;
    assert.ok(w(c.changes.rps!.absolute) > w(single.comparisons[0]!.changes.rps!.absolute));
  }
});

test('verdicts carry a code: ship, stop on harm or a guardrail, keep running with the units needed, no data', () => {
  const v = (id: string, n: number, cvr: number, aov: number, sd = 0.5): VariantSums => {
    const so = n * cvr;
    const sr = so * aov;
    // Orders 0/1; revenue per buyer with a coefficient of variation sd.
    return { id, weight: 1, n, so, soo: so, sr, srr: so * aov * aov * (1 + sd * sd), sor: sr };
  };
  const ship = analyseExperiment([v('a', 200_000, 0.03, 60), v('b', 200_000, 0.033, 60)]);
  assert.equal(ship.comparisons[0]!.verdict.code, 'SHIP');
  assert.match(ship.comparisons[0]!.verdict.text, /^ship: revenue per session \+10\.0%/);
  const harm = analyseExperiment([v('a', 200_000, 0.03, 60), v('b', 200_000, 0.027, 60)]);
  assert.equal(harm.comparisons[0]!.verdict.code, 'STOP_HARM');
  const guard = analyseExperiment([v('a', 200_000, 0.03, 60), v('b', 200_000, 0.027, 67)], {
    guardrails: ['cvr'],
  });
  assert.equal(guard.comparisons[0]!.verdict.code, 'STOP_GUARDRAIL');
  assert.match(guard.comparisons[0]!.verdict.text, /conversion fell −10\.0%/);
  const small = analyseExperiment([v('a', 2_000, 0.03, 60), v('b', 2_000, 0.031, 60)]);
  const k = small.comparisons[0]!.verdict;
  assert.equal(k.code, 'KEEP_RUNNING');
  assert.ok(k.moreUnits! > 100_000, `${k.moreUnits}`);
  // 7 orders in one arm: revenue per session swings with one large order, so no verdict yet, and no AOV interval.
  const few = analyseExperiment([
    { ...v('a', 500, 0.014, 60), weight: 0.05 },
    { ...v('b', 10_000, 0.03, 60), weight: 0.95 },
  ]);
  assert.equal(few.comparisons[0]!.verdict.code, 'KEEP_RUNNING');
  assert.match(few.comparisons[0]!.verdict.text, /7 orders in a are too few for a verdict/);
  assert.equal(few.comparisons[0]!.changes.aov, null);
  const none = analyseExperiment([v('a', 0, 0, 0), v('b', 0, 0, 0)]);
  assert.equal(none.comparisons[0]!.verdict.code, 'NO_DATA');
  assert.equal(none.srm.flagged, false);
});

test('guardrails beside the levers: a rise in the refund share or a fall in offer acceptance stops a variant', () => {
  // Sessions that order once at $60; a share q of orders refunded in full; m sessions shown an offer, p accepting.
  const v = (id: string, q: number, m: number, p: number): VariantSums => {
    const n = 100_000;
    const so = n * 0.03;
    const g = 6000;
    return {
      id,
      weight: 1,
      n,
      so,
      soo: so,
      sr: so * g * (1 - q),
      srr: so * g * g * (1 - q),
      sor: so * g * (1 - q),
      guard: {
        refunds: { n, sx: so * q * g, sxx: so * q * g * g, sy: so * g, syy: so * g * g, sxy: so * q * g * g },
        acceptance: { n, sx: m * p, sxx: m * p, sy: m, syy: m, sxy: m * p },
      },
    };
  };
  const refunds = analyseExperiment([v('a', 0.05, 20_000, 0.1), v('b', 0.09, 20_000, 0.1)], {
    guardrails: ['cvr', 'refunds'],
  });
  const r = refunds.comparisons[0]!;
  assert.ok(
    Math.abs(r.side.refunds!.before - 0.05) < 1e-12 && Math.abs(r.side.refunds!.after - 0.09) < 1e-12,
  );
  assert.equal(r.verdict.code, 'STOP_GUARDRAIL');
  assert.match(r.verdict.text, /^stop: the refund share rose \+80\.0%/);
  assert.deepEqual(refunds.guardrails, ['cvr', 'refunds']);
  // The same rise is only reported when the refund share is not a guardrail: the verdict reads revenue.
  const notGuarded = analyseExperiment([v('a', 0.05, 20_000, 0.1), v('b', 0.09, 20_000, 0.1)]);
  assert.notEqual(notGuarded.comparisons[0]!.verdict.code, 'STOP_GUARDRAIL');
  assert.ok(notGuarded.comparisons[0]!.side.refunds!.detectable);
  // A fall in refunds is no harm.
  const fewer = analyseExperiment([v('a', 0.09, 20_000, 0.1), v('b', 0.05, 20_000, 0.1)], {
    guardrails: ['refunds'],
  });
  assert.notEqual(fewer.comparisons[0]!.verdict.code, 'STOP_GUARDRAIL');
  const accept = analyseExperiment([v('a', 0.05, 20_000, 0.1), v('b', 0.05, 20_000, 0.08)], {
    guardrails: ['acceptance'],
  });
  assert.equal(accept.comparisons[0]!.verdict.code, 'STOP_GUARDRAIL');
  assert.match(accept.comparisons[0]!.verdict.text, /^stop: offer acceptance fell −20\.0%/);
  // Acceptance of two proportions: the delta method's variance is p(1 − p) / m for each arm (to the n − 1 of the
  // sample variances over the 100,000 sessions).
  const c = accept.comparisons[0]!.side.acceptance!;
  const se = Math.sqrt((0.1 * 0.9) / 20_000 + (0.08 * 0.92) / 20_000);
  const width = c.absolute.high - c.absolute.low;
  assert.ok(Math.abs(width / (2 * 1.959963984540054 * se) - 1) < 1e-4, `${width}`);
  // Too few sessions shown an offer: no interval, and so no stop.
  const few = analyseExperiment([v('a', 0.05, 20, 0.1), v('b', 0.05, 20, 0.0)], {
    guardrails: ['acceptance'],
  });
  assert.equal(few.comparisons[0]!.side.acceptance, null);
  assert.notEqual(few.comparisons[0]!.verdict.code, 'STOP_GUARDRAIL');
});

/** Per-visitor rows (sessions, orders, revenue[, pre-period spend]) summed as a store's SQL sums them. */
function visitorSums(id: string, rows: number[][]): VariantSums {
  const s: VariantSums = { id, weight: 0.5, n: 0, so: 0, soo: 0, sr: 0, srr: 0, sor: 0 };
  const sessions = { ss: 0, sss: 0, sos: 0, srs: 0 };
  const pre = { sx: 0, sxx: 0, srx: 0, sox: 0, ssx: 0 };
  for (const [k = 0, o = 0, r = 0, x] of rows) {
    s.n++;
    s.so += o;
    s.soo += o * o;
    s.sr += r;
    s.srr += r * r;
    s.sor += o * r;
    sessions.ss += k;
    sessions.sss += k * k;
    sessions.sos += o * k;
    sessions.srs += r * k;
    if (x == null) continue;
    pre.sx += x;
    pre.sxx += x * x;
    pre.srx += r * x;
    pre.sox += o * x;
    pre.ssx += k * x;
  }
  return { ...s, sessions, ...(rows.some((row) => row[3] != null) ? { pre } : {}) };
}

test('visitors as units: CVR and RPS per session are ratios over visitors (delta method), matching the golden figures', () => {
  const sums = (id: string) => visitorSums(id, g.visitors[id].rows);
  const a = analyseExperiment([sums('control'), sums('t75')]);
  for (const [i, id] of ['control', 't75'].entries())
    for (const k of ['cvr', 'rps'] as const) {
      close(a.variants[i]![k]!.value, g.visitors[id][k].value, 1e-9, `${id} ${k}`);
      close(a.variants[i]![k]!.variance, g.visitors[id][k].variance, 1e-9, `${id} ${k} variance`);
    }
  // The units are visitors: SRM counts them; no covariate in these sums, so no CUPED.
  assert.deepEqual(a.srm.observed, [400, 380]);
  assert.equal(a.cupedTheta, null);
  // One session per visitor: the ratios are the means per session, to the last digit.
  const single = (id: string): VariantSums => {
    const v = sumsOf(id);
    return { ...v, sessions: { ss: v.n, sss: v.n, sos: v.so, srs: v.sr } };
  };
  const one = analyseExperiment([single('control'), single('t50')], { cuped: false });
  const plain = analyseExperiment([sumsOf('control'), sumsOf('t50')], { cuped: false });
  for (const k of ['cvr', 'rps'] as const)
    close(one.variants[1]![k]!.variance, plain.variants[1]![k]!.variance, 1e-12, `${k} variance`);
});

test('a bandit has no fixed split: SRM is not checked (and says so) rather than flagging the weights it moved', () => {
  const skewed = [
    { ...sumsOf('control'), weight: 0.5 },
    { ...sumsOf('t50'), n: 3 * sumsOf('control').n, weight: 0.5 },
  ];
  assert.equal(analyseExperiment(skewed).srm.flagged, true);
  const bandit = analyseExperiment(skewed, { fixedSplit: false });
  assert.deepEqual([bandit.srm.checked, bandit.srm.flagged], [false, false]);
  assert.notEqual(bandit.comparisons[0]!.verdict.code, 'SRM');
});

test('the units still needed hold for an uneven split: grown in proportion, the arms then detect the target lift', () => {
  const v = (id: string, n: number, weight: number): VariantSums => {
    const so = n * 0.03;
    const sr = so * 6000;
    return { id, weight, n, so, soo: so, sr, srr: so * 6000 * 6000 * 1.25, sor: sr };
  };
  for (const [share, n] of [
    [0.05, 40_000],
    [0.5, 20_000],
    [0.3, 9_000],
  ] as const) {
    const arms = [v('control', n * share, share), v('treated', n * (1 - share), 1 - share)];
    const k = analyseExperiment(arms, { targetLift: 0.05 }).comparisons[0]!.verdict;
    assert.equal(k.code, 'KEEP_RUNNING');
    const f = (n + k.moreUnits!) / n;
    const grown = arms.map((a) => ({
      ...a,
      n: a.n * f,
      so: a.so * f,
      soo: a.soo * f,
      sr: a.sr * f,
      srr: a.srr * f,
      sor: a.sor * f,
    }));
    const mde = analyseExperiment(grown).comparisons[0]!.changes.rps!.mde!;
    assert.ok(Math.abs(mde - 0.05) < 0.0005, `${share}: MDE ${mde} after ${k.moreUnits} more units`);
  }
});

test('CUPED on ratios over visitors: the linearised ANCOVA of the golden figures (θ, adjusted values, variances)', () => {
  const G = g.visitorsCuped;
  const sums = (id: string) => visitorSums(id, G.variants[id].rows);
  const vs = [sums('control'), sums('t75')];
  const a = analyseExperiment(vs);
  close(a.cupedTheta!.cvr / G.cvr.theta, 1, 1e-9, 'θ cvr, relative');
  close(a.cupedTheta!.rps / G.rps.theta, 1, 1e-9, 'θ rps, relative');
  const c = a.comparisons[0]!.cuped!;
  for (const k of ['cvr', 'rps'] as const) {
    const [b, t] = [G.variants.control[k], G.variants.t75[k]];
    close(c[k]!.change.absolute.value, t.value - b.value, 1e-9, `${k} adjusted difference`);
    // The reduction printed is the one the per-visitor residuals give.
    const reduction = 1 - (b.variance + t.variance) / (b.unadjusted + t.unadjusted);
    close(c[k]!.varianceReduction, reduction, 1e-9, `${k} variance reduction`);
    assert.ok(reduction > 0.03, `${k}: the keen visitors' past spend explains some of the variance`);
  }
  // Unadjusted, the same sums give the plain delta-method ratios: CUPED changed the estimate, not the data.
  const plain = analyseExperiment(vs, { cuped: false });
  assert.equal(plain.cupedTheta, null);
  close(plain.variants[0]!.rps!.variance, G.variants.control.rps.unadjusted, 1e-9, 'unadjusted rps variance');
  // Without Σsx the ratios cannot be linearised against the covariate: no CUPED rather than a wrong one.
  const noSsx = vs.map((v) => ({ ...v, pre: { ...v.pre!, ssx: undefined } }));
  assert.equal(analyseExperiment(noSsx).cupedTheta, null);
});
