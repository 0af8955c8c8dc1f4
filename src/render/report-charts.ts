import type { Report } from '../app/report.js';
import { currencyExponent } from '../core/money.js';

/** A chart of the report: its ECharts option, or, when there is nothing to draw, why (the page says it instead). */
export interface ChartSpec {
  id: string;
  title: string;
  option: Record<string, unknown> | null;
  empty?: string;
}

const head = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 14 } });
const none = (id: string, title: string, empty: string): ChartSpec => ({ id, title, option: null, empty });

/** ECharts options for every chart of the report; pure data, so they can be tested without a browser. */
export function chartOptions(r: Report): ChartSpec[] {
  const scale = 10 ** currencyExponent(r.currency);
  const major = (minor: number | null | undefined) =>
    minor == null || !Number.isFinite(minor) ? null : Math.round(minor) / scale;
  return [
    trend(r, major),
    waterfall(r, major),
    ...segmentCharts(r, major),
    histogram(r),
    cohorts(r),
    clvTracking(r),
  ];
}

type Major = (minor: number | null | undefined) => number | null;

function trend(r: Report, major: Major): ChartSpec {
  const t = `Revenue and RPS by ${r.series.period}`;
  const pts = r.series.points;
  if (!pts.length) return none('trend', t, 'the window holds no data');
  // A period cut by the data's edge is drawn lighter and named: it is not a drop.
  const label = (p: (typeof pts)[number]) => (p.partial ? `${p.period} (partial)` : p.period);
  return {
    id: 'trend',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: pts.map(label) },
      yAxis: [
        { type: 'value', name: `revenue (${r.currency})` },
        { type: 'value', name: `RPS (${r.currency})` },
      ],
      series: [
        {
          name: 'revenue',
          type: 'bar',
          data: pts.map((p) => ({
            value: major(p.revenueMinor),
            itemStyle: p.partial ? { opacity: 0.35 } : {},
          })),
        },
        { name: 'RPS', type: 'line', yAxisIndex: 1, data: pts.map((p) => major(p.rpsMinor)) },
      ],
    },
  };
}

function waterfall(r: Report, major: Major): ChartSpec {
  const t = `Why revenue moved (LMDI, ${r.currency})`;
  const s = r.split.revenue;
  if (!s || !r.previous) return none('waterfall', t, 'there is no revenue change to split (see Unknown)');
  const steps = Object.entries(s.shown.parts).map(
    ([k, v]) => [k === 'cvr' ? 'CVR' : k === 'aov' ? 'AOV' : k, v] as [string, number],
  );
  let run = Math.round(r.previous.revenueMinor);
  const base: (number | null)[] = [0];
  const up: (number | string | null)[] = [major(run)];
  const down: (number | string | null)[] = ['-'];
  for (const [, v] of steps) {
    const next = run + v;
    base.push(major(Math.min(run, next)));
    up.push(v >= 0 ? major(v) : '-');
    down.push(v < 0 ? major(-v) : '-');
    run = next;
  }
  base.push(0);
  up.push(major(run));
  down.push('-');
  return {
    id: 'waterfall',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: ['previous', ...steps.map(([k]) => k), 'current'] },
      yAxis: { type: 'value', name: r.currency },
      series: [
        { name: 'base', type: 'bar', stack: 'w', itemStyle: { color: 'transparent' }, data: base },
        { name: 'increase', type: 'bar', stack: 'w', itemStyle: { color: '#3a9b5c' }, data: up },
        { name: 'decrease', type: 'bar', stack: 'w', itemStyle: { color: '#c84b4b' }, data: down },
      ],
    },
  };
}

function segmentCharts(r: Report, major: Major): ChartSpec[] {
  return Object.entries(r.segments)
    .slice(0, 2)
    .map(([dim, s]) => {
      const t = `AOV by ${dim} (${r.currency}), previous vs current`;
      const segs = s.aov?.segments ?? [];
      if (!segs.length) return none(`segments-${dim}`, t, 'no segment has orders in both windows');
      return {
        id: `segments-${dim}`,
        title: t,
        option: {
          title: head(t),
          tooltip: { trigger: 'axis' },
          legend: { bottom: 0 },
          xAxis: { type: 'category', data: segs.map((x) => x.segment) },
          yAxis: { type: 'value', name: r.currency },
          series: [
            { name: 'previous', type: 'bar', data: segs.map((x) => major(x.value0)) },
            { name: 'current', type: 'bar', data: segs.map((x) => major(x.value1)) },
          ],
        },
      };
    });
}

function histogram(r: Report): ChartSpec {
  const t = `Order value (${r.currency}) with the free-shipping threshold`;
  const h = r.basket.histogram;
  if (!h.bins.some((b) => b.orders > 0)) return none('histogram', t, 'no order in the window has a value');
  const th = r.basket.threshold;
  const at = th != null ? h.bins.findIndex((b) => th >= b.from && th < b.to) : -1;
  return {
    id: 'histogram',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: h.bins.map((b, i) => (i === h.bins.length - 1 ? `${b.from}+` : `${b.from}`)),
        name: r.currency,
      },
      yAxis: { type: 'value', name: 'orders' },
      series: [
        {
          name: 'orders',
          type: 'bar',
          data: h.bins.map((b) => b.orders),
          markLine:
            at >= 0
              ? { symbol: 'none', label: { formatter: `free shipping ${th}` }, data: [{ xAxis: at }] }
              : undefined,
        },
      ],
    },
  };
}

function cohorts(r: Report): ChartSpec {
  const t = 'Cohort retention: % ordering again k months after the first';
  const co = r.customers.cohortRetention;
  const cells: [number, number, number][] = [];
  for (const [y, row] of co.matrix.entries()) {
    for (const [x, v] of row.entries()) if (v != null && x > 0) cells.push([x, y, Math.round(v * 1000) / 10]);
  }
  if (!cells.length) return none('cohorts', t, 'no customer is known across two months');
  return {
    id: 'cohorts',
    title: t,
    option: {
      title: head(t),
      tooltip: {},
      xAxis: {
        type: 'category',
        data: Array.from({ length: Math.max(1, ...co.matrix.map((m) => m.length)) }, (_, i) => String(i)),
        name: 'months',
      },
      yAxis: { type: 'category', data: co.cohorts },
      visualMap: {
        min: 0,
        max: Math.max(1, ...cells.map((c) => c[2])),
        calculable: true,
        orient: 'horizontal',
        left: 'center',
        bottom: 0,
      },
      series: [{ type: 'heatmap', data: cells, label: { show: cells.length < 120 } }],
    },
  };
}

function clvTracking(r: Report): ChartSpec {
  const t = 'Cumulative repeat purchases: actual vs BG/NBD';
  if (!r.clv) return none('clv-tracking', t, 'predictive CLV was not fitted (see Unknown)');
  const pts = r.clv.tracking;
  const calWeek = r.clv.holdout ? pts.length - Math.round(r.clv.holdout.weeks) : null;
  return {
    id: 'clv-tracking',
    title: t,
    option: {
      title: head(t),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: pts.map((p) => String(p.week)), name: 'week' },
      yAxis: { type: 'value', name: 'repeat purchases' },
      series: [
        {
          name: 'actual',
          type: 'line',
          showSymbol: false,
          data: pts.map((p) => p.actual),
          markLine: calWeek
            ? { symbol: 'none', label: { formatter: 'calibration end' }, data: [{ xAxis: calWeek - 1 }] }
            : undefined,
        },
        {
          name: 'BG/NBD',
          type: 'line',
          showSymbol: false,
          lineStyle: { type: 'dashed' },
          data: pts.map((p) => Math.round(p.predicted * 10) / 10),
        },
      ],
    },
  };
}
