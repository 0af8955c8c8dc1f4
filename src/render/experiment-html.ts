import type { ExperimentReport } from '../app/experiment.js';
import type { Comparison, ExperimentAnalysis, MetricKey, SideMetric } from '../core/experiments/analysis.js';
import { signedPercent } from '../core/signed.js';
import type { Change } from '../core/stats/compare.js';
import { int, money, pct } from './format.js';
import { htmlPage } from './html-page.js';
import type { ChartSpec } from './report-charts.js';
import type { Block, Section } from './report-sections.js';

const NAMES: Record<MetricKey | SideMetric, string> = {
  cvr: 'CVR',
  aov: 'AOV (net)',
  rps: 'RPS',
  profit: 'profit/session',
  refunds: 'refund share',
  acceptance: 'offer acceptance',
};
const range = (r: NonNullable<Change['relative']>) => `${signedPercent(r.low)} to ${signedPercent(r.high)}`;
const level = (a: ExperimentAnalysis) =>
  `${Number(((1 - a.correction.alphaPerComparison) * 100).toFixed(1))}%`;

/** `levers experiment show <id> --html`: the analysis as one self-contained page in the report's style. */
export function renderExperimentHtml(e: ExperimentReport): string {
  return htmlPage({
    title: `Levers experiment ${e.experiment}`,
    heading: `Experiment ${e.experiment}`,
    subtitle:
      `${e.description} · ${e.window.from} .. ${e.window.to} · ${e.currency} · net of discounts, refunds ` +
      'and returns',
    sections: experimentSections(e),
    charts: experimentCharts(e),
  });
}

/** The page as a document: the split and its SRM check, then one section per treatment against the control. */
export function experimentSections(e: ExperimentReport): Section[] {
  const a = e.analysis;
  const total = a.variants.reduce((s, v) => s + v.n, 0);
  const srm: Block[] = [
    {
      kind: 'table',
      head: ['variant', 'units', 'sessions', 'share', 'configured'],
      align: ['l', 'r', 'r', 'r', 'r'],
      rows: a.variants.map((v, i) => [
        v.id === a.control && v.id !== 'control' ? `${v.id} (control)` : v.id,
        int(v.n),
        int(v.sessions),
        pct(total ? v.n / total : null, 1),
        pct(a.srm.expectedShares[i] ?? null, 1),
      ]),
    },
    !a.srm.checked
      ? { kind: 'text', text: 'SRM: not checked, the split follows the bandit rather than fixed weights' }
      : {
          kind: a.srm.flagged ? 'warn' : 'text',
          text:
            `SRM: chi-square ${a.srm.chi2.toFixed(2)}, p ${a.srm.p >= 0.001 ? `= ${a.srm.p.toFixed(3)}` : `= ${a.srm.p.toExponential(1)}`}: ` +
            (a.srm.flagged
              ? 'MISMATCH (p < 0.001): the split is not as configured, and every verdict is withheld'
              : 'passed, the split is as configured'),
        },
    ...(e.notes ?? []).map((text): Block => ({ kind: 'text', text: `Note: ${text}` })),
  ];
  const out: Section[] = [{ id: 'split', title: 'Split and sample ratio (SRM)', blocks: srm }];
  for (const c of a.comparisons) out.push(comparisonSection(e, c));
  out.push({
    id: 'method',
    title: 'How this was computed',
    blocks: [
      {
        kind: 'list',
        items: [
          'units as randomised (sessions, or visitors and customers with their sessions summed); CVR and RPS per session, AOV per order, as ratios by the delta method where a unit has several sessions; relative intervals on the log scale',
          `${level(a)} intervals (α = ${a.alpha}${a.correction.comparisons > 1 ? `, Bonferroni over ${a.correction.comparisons} treatments` : ''})`,
          'SRM: chi-square of the units per variant against the configured weights; p < 0.001 withholds the verdict',
          'the RPS lift splits exactly into its CVR and AOV parts: ln(1 + RPS lift) = ln(1 + CVR lift) + ln(1 + AOV lift)',
          a.cupedTheta
            ? a.variants.some((v) => v.sessions !== v.n)
              ? "CUPED with each unit's customer's net spend before the window, on the ratios' linearisation; the verdict reads the adjusted RPS"
              : "CUPED with each session's customer's net spend before the window; the verdict reads the adjusted RPS"
            : "no CUPED: the units' customers spent nothing before the window (or the window starts with the data)",
        ],
      },
    ],
  });
  return out;
}

function comparisonSection(e: ExperimentReport, c: Comparison): Section {
  const a = e.analysis;
  const cur = e.currency;
  const control = a.variants.find((v) => v.id === a.control)!;
  const treated = a.variants.find((v) => v.id === c.variant)!;
  const changes = { ...c.changes, ...c.side };
  const value = (k: MetricKey | SideMetric, v: typeof control, side: 'before' | 'after') => {
    const x = k === 'refunds' || k === 'acceptance' ? changes[k]?.[side] : v[k]?.value;
    return x == null ? 'unknown' : k === 'aov' || k === 'rps' || k === 'profit' ? money(x, cur) : pct(x);
  };
  const keys: (MetricKey | SideMetric)[] = [
    ...(a.primary === 'profit' ? (['profit'] as const) : []),
    'rps',
    'cvr',
    'aov',
    ...a.guardrails.filter((g): g is SideMetric => g === 'refunds' || g === 'acceptance'),
  ];
  const rows = keys.map((k) => {
    const ch = changes[k];
    const r = ch?.relative;
    return [
      NAMES[k],
      value(k, control, 'before'),
      value(k, treated, 'after'),
      r ? signedPercent(r.value) : 'unknown',
      r
        ? range(r)
        : k === 'aov' || k === 'refunds'
          ? 'under 30 orders in a variant: no interval'
          : k === 'acceptance'
            ? 'under 30 sessions shown an offer in a variant: no interval'
            : 'unknown',
      ch ? (ch.detectable ? 'yes' : 'no (noise)') : '',
    ];
  });
  const blocks: Block[] = [
    {
      kind: 'table',
      head: ['', a.control, c.variant, 'lift', `${level(a)} interval`, 'detectable'],
      align: ['l', 'r', 'r', 'r', 'r', 'l'],
      rows,
    },
  ];
  if (c.split) {
    const s = c.split;
    blocks.push({
      kind: 'table',
      head: ['RPS lift split', 'lift', `${level(a)} interval`],
      align: ['l', 'r', 'r'],
      rows: [
        ['RPS', signedPercent(s.rps!.value), range(s.rps!)],
        ['conversion part (CVR)', signedPercent(s.cvr!.value), range(s.cvr!)],
        ['order value part (AOV)', signedPercent(s.aov!.value), range(s.aov!)],
      ],
    });
    blocks.push({
      kind: 'text',
      text:
        s.cvrShare != null && s.cvrShare >= 0 && s.cvrShare <= 1
          ? `conversion carries ${Math.round(s.cvrShare * 100)}% of the RPS lift, order value the rest (log lifts add up)`
          : 'conversion and order value moved against each other (log lifts add up)',
    });
  } else blocks.push({ kind: 'text', text: 'RPS split: unknown until each variant has 30 orders' });
  const cu = c.cuped?.rps;
  if (cu?.change.relative)
    blocks.push({
      kind: 'text',
      text: `CUPED: RPS ${signedPercent(cu.change.relative.value)} (${range(cu.change.relative)}), ${(Math.max(0, cu.varianceReduction) * 100).toFixed(1)}% of the variance removed`,
    });
  if (c.sequential) {
    const m = (x: number) => `${x < 0 ? '−' : '+'}${money(Math.abs(x), cur)}`;
    blocks.push({
      kind: 'text',
      text: `always-valid RPS difference (safe at every look): ${m(c.sequential.low)} to ${m(c.sequential.high)} per session`,
    });
  }
  const mde = c.changes[a.primary]?.mde;
  blocks.push({
    kind: 'text',
    text:
      `power: ${int(control.n + treated.n)} units detect ${a.primary === 'rps' || a.primary === 'aov' ? 'an' : 'a'} ${NAMES[a.primary]} lift of ` +
      `${mde != null ? signedPercent(mde).slice(1) : 'unknown'} with 80% power` +
      (c.verdict.moreUnits != null
        ? `; about ${int(c.verdict.moreUnits)} more units to detect the target lift`
        : ''),
  });
  blocks.push({
    kind:
      c.verdict.code === 'SHIP' || c.verdict.code === 'INCONCLUSIVE' || c.verdict.code === 'KEEP_RUNNING'
        ? 'text'
        : 'warn',
    text: `verdict ${c.verdict.code}: ${c.verdict.text}`,
  });
  return {
    id: `vs-${c.variant}`,
    title: `${c.variant} against ${a.control}`,
    blocks,
    charts: [`lifts-${c.variant}`],
  };
}

/** Per treatment, each lift with its interval as a box from low to high around the estimate (pure data). */
export function experimentCharts(e: ExperimentReport): ChartSpec[] {
  const a = e.analysis;
  return a.comparisons.map((c) => {
    const title = `${c.variant} against ${a.control}: lifts with ${level(a)} intervals (%)`;
    const rows = [
      ['RPS', c.changes.rps?.relative],
      ['CVR', c.changes.cvr?.relative],
      ['AOV', c.changes.aov?.relative],
      ['RPS, CUPED', c.cuped?.rps?.change.relative],
    ].filter((r): r is [string, NonNullable<Change['relative']>] => r[1] != null);
    if (!rows.length) return { id: `lifts-${c.variant}`, title, option: null, empty: 'no lift is known yet' };
    const p = (x: number) => Number((x * 100).toFixed(2));
    return {
      id: `lifts-${c.variant}`,
      title,
      option: {
        title: { text: title, left: 'center', textStyle: { fontSize: 14 } },
        tooltip: { trigger: 'item' },
        xAxis: { type: 'value', name: 'lift %' },
        yAxis: { type: 'category', data: rows.map((r) => r[0]), inverse: true },
        series: [
          {
            type: 'boxplot',
            data: rows.map(([, r]) => [p(r.low), p(r.low), p(r.value), p(r.high), p(r.high)]),
            markLine: { symbol: 'none', silent: true, data: [{ xAxis: 0 }] },
          },
        ],
      },
    };
  });
}
