import type { ExperimentReport } from '../app/experiment.js';
import { signedPercent } from '../core/signed.js';
import type { Change } from '../core/stats/compare.js';
import { int, money, pct } from './format.js';

const signedMoney = (minor: number, currency: string) =>
  `${minor < 0 ? '−' : '+'}${money(Math.abs(minor), currency)}`;
const pValue = (p: number) =>
  p >= 0.001 ? `= ${p.toFixed(3)}` : p > 0 ? `= ${p.toExponential(1)}` : '< 1e-300';
const range = (r: NonNullable<Change['relative']>) =>
  `${signedPercent(r.value)} (${signedPercent(r.low)} to ${signedPercent(r.high)})`;

/** `levers experiment show holdout` in the terminal: the split, each lever with its interval, the verdict. */
export function renderExperiment(e: ExperimentReport): string {
  const a = e.analysis;
  const cur = e.currency;
  const [control, treated] = [
    a.variants.find((v) => v.id === a.control)!,
    a.variants.find((v) => v.id !== a.control),
  ];
  const total = a.variants.reduce((s, v) => s + v.n, 0);
  const out: string[] = [
    `Experiment ${e.experiment}: ${e.description}`,
    `  window ${e.window.from}..${e.window.to}, ${cur}, net of discounts, refunds and returns`,
    `  split   ${a.variants.map((v, i) => `${v.id} ${int(v.n)} (${pct(total ? v.n / total : null, 1)}, configured ${pct(a.srm.expectedShares[i]!, 1)})`).join(', ')}`,
    `  SRM     chi-square ${a.srm.chi2.toFixed(2)}, p ${pValue(a.srm.p)}: ${a.srm.flagged ? 'MISMATCH, the verdict is withheld' : 'the split is as configured'}`,
  ];
  const c = a.comparisons[0];
  if (!treated || !c) return out.join('\n');
  const val = (k: 'cvr' | 'aov' | 'rps', v: typeof control) => {
    const x = v[k]?.value;
    return x == null ? 'unknown' : k === 'cvr' ? pct(x) : money(x, cur);
  };
  const rows: [string, string, string, string][] = [
    ['', control.id, treated.id, `lift, ${Math.round((1 - a.correction.alphaPerComparison) * 100)}% CI`],
  ];
  for (const [k, name] of [
    ['cvr', 'CVR'],
    ['aov', 'AOV'],
    ['rps', 'RPS'],
  ] as const) {
    const ch = c.changes[k];
    rows.push([
      name,
      val(k, control),
      val(k, treated),
      ch?.relative
        ? `${range(ch.relative)}${ch.detectable ? '' : ', no detectable change'}`
        : k === 'aov'
          ? 'unknown: fewer than 30 orders in a variant'
          : 'unknown',
    ]);
  }
  const w = [0, 1, 2].map((i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows)
    out.push(`  ${r[0].padEnd(w[0]!)}  ${r[1].padStart(w[1]!)}  ${r[2].padStart(w[2]!)}  ${r[3]}`);
  if (c.split) {
    const s = c.split;
    const share = s.cvrShare;
    // A share only reads as one when both parts move the way the total does.
    const carried =
      share != null && share >= 0 && share <= 1
        ? `conversion carries ${Math.round(share * 100)}% of it, order value the rest`
        : `conversion and order value moved against each other`;
    out.push(
      `  RPS ${signedPercent(s.rps!.value)} = CVR ${signedPercent(s.cvr!.value)} and AOV ${signedPercent(s.aov!.value)} ` +
        `(log lifts add up): ${carried}`,
    );
  }
  const cu = c.cuped?.rps;
  if (cu?.change.relative)
    out.push(
      `  CUPED with each customer's spend before the window: RPS ${range(cu.change.relative)}; it removes ` +
        `${(Math.max(0, cu.varianceReduction) * 100).toFixed(1)}% of the variance, and the verdict reads it`,
    );
  if (c.sequential)
    out.push(
      `  always-valid RPS difference (safe at every look): ${signedMoney(c.sequential.low, cur)} to ` +
        `${signedMoney(c.sequential.high, cur)} per session`,
    );
  const mde = c.changes.rps?.mde;
  if (mde != null)
    out.push(`  smallest RPS lift these sessions detect (80% power): ${signedPercent(mde).slice(1)}`);
  out.push(`  verdict ${c.verdict.code}: ${c.verdict.text}`);
  return out.join('\n');
}
