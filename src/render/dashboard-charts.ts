import type { ClvRun } from '../app/clv.js';
import type { EvalRun } from '../app/eval-recs.js';
import type { Report } from '../app/report.js';
import { currencyExponent } from '../core/money.js';
import type { ChartSpec } from './report-charts.js';

/** The dashboard's own charts (the report's are reused as they are); pure data, tested without a browser. */
const head = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 14 } });
const none = (id: string, title: string, empty: string): ChartSpec => ({ id, title, option: null, empty });
const majorOf = (currency: string) => {
  const scale = 10 ** currencyExponent(currency);
  return (minor: number) => Math.round(minor) / scale;
};
const pct1 = (x: number) => Math.round(x * 1000) / 10;

/** Segments: did RPS move within segments (rate) or because the traffic's mix moved, by dimension. */
export function rateMixChart(r: Report): ChartSpec {
  const t = `RPS change by dimension: rate vs mix (${r.currency} per session)`;
  const dims = Object.entries(r.segments).filter(([, s]) => s.rps);
  if (!dims.length) return none('rate-mix', t, 'there is no previous window with sessions to compare with');
  // RPS is in minor units per session: shown in the currency's major unit, to the cent.
  const major = (minor: number) => Math.round(majorOf(r.currency)(minor * 100)) / 100;
  return {
    id: 'rate-mix',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: dims.map(([d]) => d.replace('_', ' ')) },
      yAxis: { type: 'value', name: `${r.currency} per session` },
      series: (['rate', 'mix'] as const).map((k) => ({
        name: k === 'rate' ? 'rate (within segments)' : 'mix (segment shares)',
        type: 'bar',
        stack: 'split',
        data: dims.map(([, s]) => major(s.rps![k])),
      })),
    },
  };
}

/** Offers: the share of shown offers accepted, by kind. */
export function acceptanceChart(r: Report): ChartSpec {
  const t = 'Offers accepted per offer shown, by kind (%)';
  const rows = (r.offers?.byType ?? []).filter((x) => x.shown > 0);
  if (!rows.length) return none('acceptance', t, 'no offer was shown in the window');
  return {
    id: 'acceptance',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      grid: { left: 150 },
      xAxis: { type: 'value', name: '% accepted' },
      yAxis: { type: 'category', data: rows.map((x) => `${x.type} (${x.shown} shown)`) },
      series: [{ name: 'accepted', type: 'bar', data: rows.map((x) => pct1(x.acceptanceRate ?? 0)) }],
    },
  };
}

/** Offers: revenue per session of treated and held-out sessions. */
export function holdoutChart(r: Report): ChartSpec {
  const t = `Revenue per session: treated vs holdout (${r.currency})`;
  const o = r.offers;
  if (!o?.treatment || !o.holdout || o.treatment.rpsMinor == null || o.holdout.rpsMinor == null)
    return none('holdout', t, 'the window has no treated or no held-out sessions');
  const major = majorOf(r.currency);
  return {
    id: 'holdout',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: ['holdout', 'treated'] },
      yAxis: { type: 'value', name: r.currency },
      series: [
        {
          name: 'RPS',
          type: 'bar',
          data: [major(o.holdout.rpsMinor), major(o.treatment.rpsMinor)],
          label: { show: true, position: 'top' },
        },
      ],
    },
  };
}

/** Customers: how predicted lifetime value is spread over customers. */
export function clvDistributionChart(c: ClvRun | null, why: string): ChartSpec {
  const t = `Predicted ${c ? `${c.margin == null ? 'revenue' : 'margin'} ` : ''}CLV per customer (${c?.currency ?? 'currency'})`;
  if (!c?.values.length) return none('clv-distribution', t, why);
  const major = majorOf(c.currency);
  const v = c.values.map((x) => major(x.clvMinor)).sort((a, b) => a - b);
  // Twelve bins up to the 99th percentile; the tail above is one last bin.
  const top = v[Math.floor(0.99 * (v.length - 1))]! || v[v.length - 1]! || 1;
  const width = niceStep(top / 12);
  const bins = Array.from({ length: Math.ceil(top / width) + 1 }, () => 0);
  for (const x of v) bins[Math.min(bins.length - 1, Math.floor(x / width))]!++;
  return {
    id: 'clv-distribution',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        name: c.currency,
        data: bins.map((_, i) => {
          const from = Number((i * width).toPrecision(6));
          return i === bins.length - 1 ? `${from}+` : `${from}`;
        }),
      },
      yAxis: { type: 'value', name: 'customers' },
      series: [{ name: 'customers', type: 'bar', data: bins }],
    },
  };
}

function niceStep(x: number): number {
  const p = 10 ** Math.floor(Math.log10(Math.max(x, 1e-9)));
  return [1, 2, 5, 10].map((m) => m * p).find((s) => s >= x) ?? 10 * p;
}

/** Recommendations: the model's ranking against plain popularity on later baskets. */
export function evalChart(e: EvalRun | null, why: string): ChartSpec {
  const t = e
    ? `Offline evaluation on ${e.testBaskets} later baskets: model vs popularity (%)`
    : 'Offline evaluation';
  if (!e?.results.length) return none('eval', t, why);
  const metrics = [
    ['hitAtK', `hit@${e.k}`],
    ['recallAtK', `recall@${e.k}`],
    ['mrr', 'MRR ×100'],
    ['coverage', 'coverage'],
  ] as const;
  return {
    id: 'eval',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: metrics.map(([, l]) => l) },
      yAxis: { type: 'value', name: '%' },
      series: e.results.map((r) => ({
        name: r.ranking === 'shrunk' ? 'model (shrunk lift)' : r.ranking,
        type: 'bar',
        data: metrics.map(([k]) => pct1(r[k])),
      })),
    },
  };
}
