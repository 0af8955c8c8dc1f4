import { chiSquareTest } from '../stats/chi-square.js';
import { type Change, compare, unitsNeeded } from '../stats/compare.js';
import { type Estimate, meanOf, ratioOf, type UnitSums } from '../stats/estimate.js';
import { MIN_ORDERS_FOR_AOV } from '../metrics/uncertainty.js';
import { signedPercent } from '../signed.js';
import { alwaysValidInterval, type SequentialInterval } from '../stats/sequential.js';

/**
 * One variant's per-unit aggregates, all the analysis needs (a store or a warehouse computes them in SQL): per unit
 * o orders and r revenue (minor units) in the experiment, and x, the unit's revenue before it (the CUPED
 * covariate), as n, Σo, Σo², Σr, Σr², Σor and Σx, Σx², Σrx, Σox.
 */
export interface VariantSums {
  id: string;
  /** Configured weight (need not sum to 1 across variants). */
  weight: number;
  n: number;
  so: number;
  soo: number;
  sr: number;
  srr: number;
  sor: number;
  /** With `sessions`, also Σsx: CUPED then adjusts the ratios per session through their linearisation. */
  pre?: { sx: number; sxx: number; srx: number; sox: number; ssx?: number };
  /** Guardrail ratios, sessions as units: refunded over charged (minor units), accepted over shown offers. */
  guard?: Record<SideMetric, UnitSums>;
  /**
   * When the unit is a visitor or a customer, its sessions s: Σs, Σs², Σos, Σrs. CVR and RPS are then ratios per
   * session over units (delta method), not means per unit; absent, every unit is one session.
   */
  sessions?: { ss: number; sss: number; sos: number; srs: number };
  /** Per unit its profit p (minor units): Σp, Σp², and Σps with `sessions`. */
  profit?: { sp: number; spp: number; sps: number };
}

/** The levers, and profit per session when the sums carry it (product costs, else an assumed margin). */
export type MetricKey = 'cvr' | 'aov' | 'rps' | 'profit';
/** Guardrails beside the levers: a rise in the refund share, or a fall in offer acceptance, is harm. */
export type SideMetric = 'refunds' | 'acceptance';
export type GuardrailKey = MetricKey | SideMetric;
const HARM_WHEN_UP: ReadonlySet<GuardrailKey> = new Set(['refunds']);

export const VERDICT_CODES = [
  'SHIP',
  'STOP_HARM',
  'STOP_GUARDRAIL',
  'KEEP_RUNNING',
  'INCONCLUSIVE',
  'SRM',
  'NO_DATA',
] as const;
export type VerdictCode = (typeof VERDICT_CODES)[number];

export interface Verdict {
  code: VerdictCode;
  text: string;
  /** Units still needed to detect the target lift (KEEP_RUNNING). */
  moreUnits?: number;
}

export interface AnalysisOptions {
  alpha?: number;
  /** The control variant (default: the first). */
  control?: string;
  primary?: MetricKey;
  /** Metrics whose detectable harm (a fall; a rise for the refund share) stops a variant. */
  guardrails?: readonly GuardrailKey[];
  /** Adjust CVR and RPS with the pre-period revenue when the sums carry it. */
  cuped?: boolean;
  /** Always-valid intervals for the primary metric, safe to read at every look. */
  sequential?: { tuning: number } | null;
  /** The relative lift worth detecting: below it a null result says how many more units it needs. */
  targetLift?: number;
  /** SRM flags the experiment below this p-value. */
  srmAlpha?: number;
  /**
   * Whether the split has a fixed expected share to check: a bandit's weights move with the data, so its split
   * has none and SRM is not checked (said, never silently passed).
   */
  fixedSplit?: boolean;
}

export interface Split {
  /** Relative lifts, each with its interval; ln(1 + rps) = ln(1 + cvr) + ln(1 + aov) exactly for the values. */
  rps: Change['relative'];
  cvr: Change['relative'];
  aov: Change['relative'];
  /** Share of the log RPS lift that conversion carries (the rest is order value); null when RPS did not move. */
  cvrShare: number | null;
}

export interface Comparison {
  variant: string;
  /** The fixed-horizon change per metric, Bonferroni-corrected over the treatments. */
  changes: Record<MetricKey, Change | null>;
  /** Refund share and offer acceptance when the sums carry them; null below 30 orders (or sessions shown offers). */
  side: Record<SideMetric, Change | null>;
  /** CVR and RPS after CUPED, and how much of the variance the covariate took away (0.3: 30% less). */
  cuped: Partial<Record<'cvr' | 'rps', { change: Change; varianceReduction: number }>> | null;
  sequential: SequentialInterval | null;
  split: Split | null;
  verdict: Verdict;
}

export interface ExperimentAnalysis {
  control: string;
  primary: MetricKey;
  alpha: number;
  correction: { method: 'bonferroni'; comparisons: number; alphaPerComparison: number };
  srm: {
    chi2: number;
    df: number;
    p: number;
    flagged: boolean;
    /** False for a bandit: no fixed split to check against. */
    checked: boolean;
    observed: number[];
    expectedShares: number[];
  };
  variants: {
    id: string;
    /** Units (sessions, visitors or customers, as randomised) and their sessions. */
    n: number;
    sessions: number;
    cvr: Estimate | null;
    aov: Estimate | null;
    rps: Estimate | null;
    profit: Estimate | null;
  }[];
  comparisons: Comparison[];
  cupedTheta: { cvr: number; rps: number } | null;
  /** What stops a variant besides the primary's own fall. */
  guardrails: GuardrailKey[];
}

const estimates = (v: VariantSums) => ({
  // A visitor's sessions are not independent draws: per session over visitors, as randomised (Deng et al. 2018).
  cvr: v.sessions
    ? ratioOf({ n: v.n, sx: v.so, sxx: v.soo, sy: v.sessions.ss, syy: v.sessions.sss, sxy: v.sessions.sos })
    : meanOf({ n: v.n, sx: v.so, sxx: v.soo, sy: v.n, syy: v.n, sxy: v.so }),
  rps: v.sessions
    ? ratioOf({ n: v.n, sx: v.sr, sxx: v.srr, sy: v.sessions.ss, syy: v.sessions.sss, sxy: v.sessions.srs })
    : meanOf({ n: v.n, sx: v.sr, sxx: v.srr, sy: v.n, syy: v.n, sxy: v.sr }),
  profit: !v.profit
    ? null
    : v.sessions
      ? ratioOf({
          n: v.n,
          sx: v.profit.sp,
          sxx: v.profit.spp,
          sy: v.sessions.ss,
          syy: v.sessions.sss,
          sxy: v.profit.sps,
        })
      : meanOf({ n: v.n, sx: v.profit.sp, sxx: v.profit.spp, sy: v.n, syy: v.n, sxy: v.profit.sp }),
  // The delta method leans on the normal approximation, which a handful of orders does not support.
  aov:
    v.so >= MIN_ORDERS_FOR_AOV
      ? ratioOf({ n: v.n, sx: v.sr, sxx: v.srr, sy: v.so, syy: v.soo, sxy: v.sor })
      : null,
});

/**
 * One variant's metric as CUPED sees it: per unit y (orders or revenue) over s sessions (1 per unit with sessions as
 * units), R = Σy/Σs, and the moments of the linearised ℓ = (y − R s)/s̄ (Deng, Knoblich & Lu 2018, §4: a ratio's
 * delta-method influence function, whose mean is the ratio's error) with the covariate x. With sessions as units
 * ℓ = y − ȳ, and all of this is plain CUPED on a mean.
 */
function linearised(v: VariantSums, metric: 'cvr' | 'rps') {
  const p = v.pre!;
  const k = v.n - 1;
  const sy = metric === 'cvr' ? v.so : v.sr;
  const syy = metric === 'cvr' ? v.soo : v.srr;
  const sxy = metric === 'cvr' ? p.sox : p.srx;
  const ss = v.sessions?.ss ?? v.n;
  const sss = v.sessions?.sss ?? v.n;
  const sys = v.sessions ? (metric === 'cvr' ? v.sessions.sos : v.sessions.srs) : sy;
  const ssx = v.sessions ? p.ssx! : p.sx;
  const [my, ms, mx] = [sy / v.n, ss / v.n, p.sx / v.n];
  const r = sy / ss;
  const vyy = (syy - v.n * my * my) / k;
  const vss = (sss - v.n * ms * ms) / k;
  const cys = (sys - v.n * my * ms) / k;
  const cyx = (sxy - v.n * my * mx) / k;
  const csx = (ssx - v.n * ms * mx) / k;
  return {
    value: r,
    mx,
    vll: Math.max(0, (vyy - 2 * r * cys + r * r * vss) / (ms * ms)),
    clx: (cyx - r * csx) / ms,
    vxx: Math.max(0, (p.sxx - v.n * mx * mx) / k),
  };
}

/**
 * CUPED (Deng, Xu, Kohavi & Walker 2013) with one θ for all variants, the pooled within-variant slope of the
 * metric's linearised value on the covariate: with sessions as units exactly the ANCOVA coefficient, so the
 * adjusted difference is the regression's treatment effect; with visitors or customers as units the same on the
 * ratio's influence function. Adjusted value R − θ(x̄ − x̄_all), variance (s²ₗ − 2θ sₗₓ + θ² s²ₓ) / n.
 */
function cupedThetas(vs: readonly VariantSums[]): { cvr: number; rps: number; xbar: number } | null {
  const ok = (v: VariantSums) =>
    v.pre && v.n >= 2 && (!v.sessions || (v.pre.ssx != null && v.sessions.ss > 0));
  if (!vs.every(ok)) return null;
  const theta = (metric: 'cvr' | 'rps') => {
    let num = 0;
    let den = 0;
    for (const v of vs) {
      const l = linearised(v, metric);
      num += (v.n - 1) * l.clx;
      den += (v.n - 1) * l.vxx;
    }
    return den > 0 ? num / den : null;
  };
  const [cvr, rps] = [theta('cvr'), theta('rps')];
  if (cvr == null || rps == null) return null;
  const n = vs.reduce((s, v) => s + v.n, 0);
  return { cvr, rps, xbar: vs.reduce((s, v) => s + v.pre!.sx, 0) / n };
}

function adjusted(v: VariantSums, metric: 'cvr' | 'rps', theta: number, xbar: number): Estimate {
  const l = linearised(v, metric);
  return {
    value: l.value - theta * (l.mx - xbar),
    variance: Math.max(0, l.vll - 2 * theta * l.clx + theta * theta * l.vxx) / v.n,
    n: v.n,
  };
}

const fmt = (x: number) => Math.round(x).toLocaleString('en-US');

/**
 * An experiment's analysis over its variants' per-unit aggregates (E2): SRM first (a broken split withholds every
 * verdict), then each treatment against the control per metric with Bonferroni-corrected 95% intervals, CUPED where
 * the covariate is there, an always-valid interval for the primary metric when asked, the RPS lift split into its
 * CVR and AOV parts, and a verdict with a code.
 */
export function analyseExperiment(vs: readonly VariantSums[], o: AnalysisOptions = {}): ExperimentAnalysis {
  const alpha = o.alpha ?? 0.05;
  const primary = o.primary ?? 'rps';
  const control = vs.find((v) => v.id === o.control) ?? vs[0];
  if (!control) throw new RangeError('an experiment needs at least one variant');
  const treatments = vs.filter((v) => v !== control);
  const comparisons = Math.max(1, treatments.length);
  const a = alpha / comparisons;
  const test = chiSquareTest(
    vs.map((v) => v.n),
    vs.map((v) => v.weight),
  );
  const total = vs.reduce((s, v) => s + v.n, 0);
  const weights = vs.reduce((s, v) => s + v.weight, 0);
  const srm = {
    ...test,
    p: total > 0 ? test.p : 1,
    flagged: o.fixedSplit !== false && total > 0 && test.p < (o.srmAlpha ?? 0.001),
    checked: o.fixedSplit !== false,
    observed: vs.map((v) => v.n),
    expectedShares: vs.map((v) => v.weight / weights),
  };
  const theta = o.cuped === false ? null : cupedThetas(vs);
  const base = estimates(control);
  const out: Comparison[] = treatments.map((t) => {
    const e = estimates(t);
    const changes = {} as Record<MetricKey, Change | null>;
    for (const k of ['cvr', 'aov', 'rps', 'profit'] as const) {
      const b = base[k];
      const x = e[k];
      changes[k] = b && x ? compare(b, x, { alpha: a }) : null;
    }
    let cuped: Comparison['cuped'] = null;
    // The primary's estimates, CUPED's where it applies: the sequential interval and the verdict read them.
    let pair: [Estimate, Estimate] | null =
      base[primary] && e[primary] ? [base[primary]!, e[primary]!] : null;
    if (theta) {
      cuped = {};
      for (const k of ['cvr', 'rps'] as const) {
        const b = adjusted(control, k, theta[k], theta.xbar);
        const x = adjusted(t, k, theta[k], theta.xbar);
        const raw = (base[k]?.variance ?? 0) + (e[k]?.variance ?? 0);
        cuped[k] = {
          change: compare(b, x, { alpha: a }),
          varianceReduction: raw > 0 ? 1 - (b.variance + x.variance) / raw : 0,
        };
        if (k === primary) pair = [b, x];
      }
    }
    const primaryChange = pair ? compare(pair[0], pair[1], { alpha: a }) : null;
    const sequential =
      o.sequential && pair
        ? alwaysValidInterval(
            pair[1].value - pair[0].value,
            pair[0].variance + pair[1].variance,
            control.n + t.n,
            a,
            o.sequential.tuning,
          )
        : null;
    const side = sideChanges(control, t, a);
    const split = splitOf(changes);
    const verdict = verdictOf({
      srm,
      control,
      t,
      primary,
      change: primaryChange,
      sequential,
      changes: { ...changes, ...side },
      guardrails: o.guardrails ?? [],
      targetLift: o.targetLift ?? 0.05,
    });
    return { variant: t.id, changes, side, cuped, sequential, split, verdict };
  });
  return {
    control: control.id,
    primary,
    alpha,
    correction: { method: 'bonferroni', comparisons, alphaPerComparison: a },
    srm,
    variants: vs.map((v) => ({ id: v.id, n: v.n, sessions: v.sessions?.ss ?? v.n, ...estimates(v) })),
    comparisons: out,
    cupedTheta: theta ? { cvr: theta.cvr, rps: theta.rps } : null,
    guardrails: [...(o.guardrails ?? [])],
  };
}

/** The refund share and offer acceptance, each a ratio with sessions as units, when both arms have enough of it. */
function sideChanges(control: VariantSums, t: VariantSums, alpha: number): Record<SideMetric, Change | null> {
  const out = { refunds: null, acceptance: null } as Record<SideMetric, Change | null>;
  for (const k of ['refunds', 'acceptance'] as const) {
    const [b, x] = [control.guard?.[k], t.guard?.[k]];
    // The same floor as order value: refunds need orders and acceptance needs sessions shown an offer.
    const enough = (s: UnitSums | undefined) =>
      s && (k === 'refunds' ? Math.min(control.so, t.so) : s.sy) >= MIN_ORDERS_FOR_AOV;
    if (!enough(b) || !enough(x)) continue;
    const [eb, ex] = [ratioOf(b!), ratioOf(x!)];
    out[k] = eb && ex ? compare(eb, ex, { alpha }) : null;
  }
  return out;
}

/** Log lifts add up: ln(RPSₜ/RPS꜀) = ln(CVRₜ/CVR꜀) + ln(AOVₜ/AOV꜀), since RPS = CVR × AOV in each variant. */
function splitOf(c: Record<MetricKey, Change | null>): Split | null {
  const rps = c.rps?.relative;
  const cvr = c.cvr?.relative;
  const aov = c.aov?.relative;
  if (!rps || !cvr || !aov) return null;
  const l = Math.log1p(rps.value);
  return { rps, cvr, aov, cvrShare: Math.abs(l) > 1e-12 ? Math.log1p(cvr.value) / l : null };
}

interface VerdictInput {
  srm: { p: number; flagged: boolean; observed: number[]; expectedShares: number[] };
  control: VariantSums;
  t: VariantSums;
  primary: MetricKey;
  change: Change | null;
  sequential: SequentialInterval | null;
  changes: Record<GuardrailKey, Change | null>;
  guardrails: readonly GuardrailKey[];
  targetLift: number;
}

const NAMES: Record<GuardrailKey, string> = {
  cvr: 'conversion',
  aov: 'order value',
  rps: 'revenue per session',
  profit: 'profit per session',
  refunds: 'the refund share',
  acceptance: 'offer acceptance',
};

function verdictOf(i: VerdictInput): Verdict {
  if (i.srm.flagged) {
    const total = i.srm.observed.reduce((s, x) => s + x, 0);
    const shares = i.srm.observed.map((x) => `${((x / total) * 100).toFixed(1)}%`).join(' / ');
    const planned = i.srm.expectedShares.map((x) => `${(x * 100).toFixed(1)}%`).join(' / ');
    return {
      code: 'SRM',
      text: `withheld: units split ${shares} where ${planned} was configured (SRM p ${i.srm.p > 0 ? `= ${i.srm.p.toExponential(1)}` : '< 1e-300'}); fix the assignment before reading any lift`,
    };
  }
  if (!i.change) {
    return {
      code: 'NO_DATA',
      text: `no ${NAMES[i.primary]} to compare yet (${i.control.n} units in ${i.control.id}, ${i.t.n} in ${i.t.id})`,
    };
  }
  const fewest = Math.min(i.control.so, i.t.so);
  if (fewest < MIN_ORDERS_FOR_AOV) {
    const arm = i.control.so <= i.t.so ? i.control : i.t;
    return {
      code: 'KEEP_RUNNING',
      text:
        `keep running: ${fmt(arm.so)} orders in ${arm.id} are too few for a verdict ` +
        `(${MIN_ORDERS_FOR_AOV} per variant needed; revenue per session swings with a single large order)`,
    };
  }
  for (const g of i.guardrails) {
    const c = i.changes[g];
    const up = HARM_WHEN_UP.has(g);
    if (c?.relative && (up ? c.absolute.low > 0 : c.absolute.high < 0))
      return {
        code: 'STOP_GUARDRAIL',
        text: `stop: ${NAMES[g]} ${up ? 'rose' : 'fell'} ${signedPercent(c.relative.value)} (${signedPercent(c.relative.low)} to ${signedPercent(c.relative.high)}), a guardrail`,
      };
  }
  const detect = i.sequential ?? { detectable: i.change.detectable, low: i.change.absolute.low };
  const rel = i.change.relative;
  const what = rel
    ? `${signedPercent(rel.value)} (${signedPercent(rel.low)} to ${signedPercent(rel.high)})`
    : 'changed';
  if (detect.detectable && detect.low > 0) return { code: 'SHIP', text: `ship: ${NAMES[i.primary]} ${what}` };
  if (detect.detectable) return { code: 'STOP_HARM', text: `stop: ${NAMES[i.primary]} ${what}` };
  const mde = i.change.mde;
  if (mde != null && mde > i.targetLift) {
    // Both arms grow in their configured proportion (a 5% holdout stays 5%): the standard error falls with the
    // square root of the total, so the total needed is n × (mde / target)², whatever the split.
    const now = i.control.n + i.t.n;
    const more = Math.max(0, unitsNeeded(now, mde, i.targetLift) - now);
    return {
      code: 'KEEP_RUNNING',
      text: `keep running: no detectable change yet (${what}); about ${more.toLocaleString('en-US')} more units to detect ${signedPercent(i.targetLift)}`,
      moreUnits: more,
    };
  }
  return {
    code: 'INCONCLUSIVE',
    text: `no detectable change (${what}): a ${signedPercent(i.targetLift)} lift would have shown; the variants perform alike`,
  };
}
