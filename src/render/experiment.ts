import type { ExperimentReport } from '../app/experiment.js';
import type { Comparison, ExperimentAnalysis } from '../core/experiments/analysis.js';
import { signedPercent } from '../core/signed.js';
import type { Change } from '../core/stats/compare.js';
import { int, money, pct } from './format.js';

const signedMoney = (minor: number, currency: string) =>
  `${minor < 0 ? '−' : '+'}${money(Math.abs(minor), currency)}`;
const pValue = (p: number) =>
  p >= 0.001 ? `= ${p.toFixed(3)}` : p > 0 ? `= ${p.toExponential(1)}` : '< 1e-300';
const range = (r: NonNullable<Change['relative']>) =>
  `${signedPercent(r.value)} (${signedPercent(r.low)} to ${signedPercent(r.high)})`;

const ROWS = [
  ['cvr', 'CVR'],
  ['aov', 'AOV'],
  ['rps', 'RPS'],
  ['profit', 'profit/session'],
  ['refunds', 'refund share'],
  ['acceptance', 'offer acceptance'],
] as const;

/**
 * `levers experiment show` in the terminal: the split, then each variant against the control, each lever (and
 * guardrail) with its interval, and the verdict.
 */
export function renderExperiment(e: ExperimentReport): string {
  const a = e.analysis;
  const total = a.variants.reduce((s, v) => s + v.n, 0);
  const out: string[] = [
    `Experiment ${e.experiment}: ${e.description}`,
    `  window ${e.window.from}..${e.window.to}, ${e.currency}, net of discounts, refunds and returns`,
    `  split   ${a.variants.map((v, i) => `${v.id} ${int(v.n)}${v.sessions !== v.n ? ` units in ${int(v.sessions)} sessions` : ''} (${pct(total ? v.n / total : null, 1)}, configured ${pct(a.srm.expectedShares[i]!, 1)})`).join(', ')}`,
    a.srm.checked
      ? `  SRM     chi-square ${a.srm.chi2.toFixed(2)}, p ${pValue(a.srm.p)}: ${a.srm.flagged ? 'MISMATCH, the verdict is withheld' : 'the split is as configured'}`
      : '  SRM     not checked: the split follows the bandit, not fixed weights',
    ...(e.notes ?? []).map((n) => `  note    ${n}`),
  ];
  if (a.comparisons.length > 1)
    out.push(
      `  ${a.comparisons.length} variants against ${a.control}: each interval at ` +
        `${Number(((1 - a.correction.alphaPerComparison) * 100).toFixed(2))}% (Bonferroni), so that all hold at 95% together`,
    );
  for (const c of a.comparisons) {
    if (a.comparisons.length > 1) out.push(`  ${c.variant} against ${a.control}:`);
    out.push(...comparisonLines(a, c, e.currency, a.comparisons.length > 1 ? '    ' : '  '));
  }
  return out.join('\n');
}

function comparisonLines(a: ExperimentAnalysis, c: Comparison, cur: string, indent: string): string[] {
  const control = a.variants.find((v) => v.id === a.control)!;
  const treated = a.variants.find((v) => v.id === c.variant)!;
  const changes: Record<(typeof ROWS)[number][0], Change | null> = { ...c.changes, ...c.side };
  const show = (k: (typeof ROWS)[number][0], x: number | null | undefined) =>
    x == null ? 'unknown' : k === 'aov' || k === 'rps' || k === 'profit' ? money(x, cur) : pct(x);
  const rows: [string, string, string, string][] = [
    [
      '',
      control.id,
      treated.id,
      `lift, ${Number(((1 - a.correction.alphaPerComparison) * 100).toFixed(2))}% CI`,
    ],
  ];
  for (const [k, name] of ROWS) {
    const side = k === 'refunds' || k === 'acceptance';
    // The refund share and acceptance are shown when they are guardrails of this experiment.
    if (side && !a.guardrails.includes(k)) continue;
    // Profit per session is there when the experiment's primary metric is profit.
    if (k === 'profit' && a.primary !== 'profit') continue;
    const ch = changes[k];
    const before = side ? ch?.before : control[k]?.value;
    const after = side ? ch?.after : treated[k]?.value;
    rows.push([
      name,
      show(k, before),
      show(k, after),
      ch?.relative
        ? `${range(ch.relative)}${ch.detectable ? '' : ', no detectable change'}`
        : ch
          ? ch.before === 0 && ch.after === 0
            ? 'none in either variant'
            : 'no relative change from zero'
          : k === 'aov' || k === 'refunds'
            ? 'unknown: fewer than 30 orders in a variant'
            : k === 'acceptance'
              ? 'unknown: fewer than 30 sessions shown an offer in a variant'
              : 'unknown',
    ]);
  }
  const out: string[] = [];
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    out.push(`${indent}${r[0].padEnd(w[0]!)}  ${r[1].padStart(w[1]!)}  ${r[2].padStart(w[2]!)}  ${r[3]}`);
  if (c.split) {
    const s = c.split;
    const share = s.cvrShare;
    // A share only reads as one when both parts move the way the total does.
    const carried =
      share != null && share >= 0 && share <= 1
        ? `conversion carries ${Math.round(share * 100)}% of it, order value the rest`
        : `conversion and order value moved against each other`;
    out.push(
      `${indent}RPS ${signedPercent(s.rps!.value)} = CVR ${signedPercent(s.cvr!.value)} and AOV ${signedPercent(s.aov!.value)} ` +
        `(log lifts add up): ${carried}`,
    );
  }
  const cu = c.cuped?.rps;
  if (cu?.change.relative)
    out.push(
      `${indent}CUPED with each customer's spend before the window: RPS ${range(cu.change.relative)}; it removes ` +
        `${(Math.max(0, cu.varianceReduction) * 100).toFixed(1)}% of the variance, and the verdict reads it`,
    );
  const primary = ROWS.find(([k]) => k === a.primary)![1];
  if (c.sequential)
    out.push(
      `${indent}always-valid ${primary} difference (safe at every look): ` +
        (a.primary === 'cvr'
          ? `${signedPercent(c.sequential.low)} to ${signedPercent(c.sequential.high)} points`
          : `${signedMoney(c.sequential.low, cur)} to ${signedMoney(c.sequential.high, cur)}${a.primary === 'aov' ? ' per order' : ' per session'}`),
    );
  const mde = c.changes[a.primary]?.mde;
  if (mde != null)
    out.push(
      `${indent}smallest ${primary} lift these units detect (80% power): ${signedPercent(mde).slice(1)}`,
    );
  out.push(`${indent}verdict ${c.verdict.code}: ${c.verdict.text}`);
  return out;
}
