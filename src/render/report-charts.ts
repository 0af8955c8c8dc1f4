import { currencyExponent } from '../core/money.js';
import type { Report } from '../app/report.js';

export interface ChartSpec {
  id: string;
  option: Record<string, unknown>;
}

const title = (text: string) => ({ text, left: 'center', textStyle: { fontSize: 14 } });

/** ECharts options for every chart of the report; pure data, so they can be tested without a browser. */
export function chartOptions(r: Report): ChartSpec[] {
  const scale = 10 ** currencyExponent(r.currency);
  const major = (minor: number | null | undefined) => (minor == null ? null : Math.round(minor) / scale);
  const out: ChartSpec[] = [];
  const pts = r.series.points;
  out.push({
    id: 'trend',
    option: {
      title: title(`Revenue and RPS by ${r.series.period}`),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: pts.map((p) => p.period) },
      yAxis: [
        { type: 'value', name: `revenue (${r.currency})` },
        { type: 'value', name: 'RPS' },
      ],
      series: [
        { name: 'revenue', type: 'bar', data: pts.map((p) => major(p.revenueMinor)) },
        { name: 'RPS', type: 'line', yAxisIndex: 1, data: pts.map((p) => major(p.rpsMinor)) },
      ],
    },
  });
  const c = r.change.revenue;
  const steps: [string, number][] = [
    ...(c.sessions != null ? [['sessions', c.sessions] as [string, number]] : []),
    ...(c.orders != null ? [['orders', c.orders] as [string, number]] : []),
    ...(c.cvr != null ? [['CVR', c.cvr] as [string, number]] : []),
    ['AOV', c.aov],
  ];
  let run = r.previous.revenueMinor;
  const base: number[] = [0];
  const up: (number | string)[] = [major(r.previous.revenueMinor)!];
  const down: (number | string)[] = ['-'];
  for (const [, v] of steps) {
    const next = run + v;
    base.push(major(Math.min(run, next))!);
    up.push(v >= 0 ? major(v)! : '-');
    down.push(v < 0 ? major(-v)! : '-');
    run = next;
  }
  base.push(0);
  up.push(major(r.current.revenueMinor)!);
  down.push('-');
  out.push({
    id: 'waterfall',
    option: {
      title: title('Why revenue moved (LMDI)'),
      tooltip: { trigger: 'axis' },
      xAxis: { type: 'category', data: ['previous', ...steps.map(([k]) => k), 'current'] },
      yAxis: { type: 'value' },
      series: [
        { name: 'base', type: 'bar', stack: 'w', itemStyle: { color: 'transparent' }, data: base },
        { name: 'increase', type: 'bar', stack: 'w', itemStyle: { color: '#3a9b5c' }, data: up },
        { name: 'decrease', type: 'bar', stack: 'w', itemStyle: { color: '#c84b4b' }, data: down },
      ],
    },
  });
  for (const [dim, s] of Object.entries(r.segments).slice(0, 2)) {
    const segs = (s.aov ?? s.cvr)?.segments ?? [];
    out.push({
      id: `segments-${dim}`,
      option: {
        title: title(`AOV by ${dim}, previous vs current`),
        tooltip: { trigger: 'axis' },
        legend: { bottom: 0 },
        xAxis: { type: 'category', data: segs.map((x) => x.segment) },
        yAxis: { type: 'value' },
        series: [
          { name: 'previous', type: 'bar', data: (s.aov?.segments ?? []).map((x) => major(x.value0)) },
          { name: 'current', type: 'bar', data: (s.aov?.segments ?? []).map((x) => major(x.value1)) },
        ],
      },
    });
  }
  const h = r.basket.histogram;
  const thresholdBin =
    r.basket.threshold != null
      ? h.bins.findIndex((b) => r.basket.threshold! >= b.from && r.basket.threshold! < b.to)
      : -1;
  out.push({
    id: 'histogram',
    option: {
      title: title(`Order value (${r.currency}) with the free-shipping threshold`),
      tooltip: { trigger: 'axis' },
      xAxis: {
        type: 'category',
        data: h.bins.map((b, i) => (i === h.bins.length - 1 ? `${b.from}+` : `${b.from}`)),
      },
      yAxis: { type: 'value', name: 'orders' },
      series: [
        {
          name: 'orders',
          type: 'bar',
          data: h.bins.map((b) => b.orders),
          markLine:
            thresholdBin >= 0
              ? {
                  symbol: 'none',
                  label: { formatter: `free shipping ${r.basket.threshold}` },
                  data: [{ xAxis: thresholdBin }],
                }
              : undefined,
        },
      ],
    },
  });
  const co = r.customers.cohorts;
  const cells: [number, number, number][] = [];
  for (const [y, row] of co.matrix.entries()) {
    for (const [x, v] of row.entries()) if (v != null && x > 0) cells.push([x, y, Math.round(v * 1000) / 10]);
  }
  out.push({
    id: 'cohorts',
    option: {
      title: title('Cohort retention: % ordering again k months after the first'),
      tooltip: {},
      xAxis: {
        type: 'category',
        data: Array.from({ length: Math.max(1, ...co.matrix.map((m) => m.length)) }, (_, i) => String(i)),
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
  });
  const t = r.clv?.tracking ?? [];
  const calWeek = r.clv?.holdout ? t.length - Math.round(r.clv.holdout.weeks) : null;
  out.push({
    id: 'clv-tracking',
    option: {
      title: title(
        r.clv ? 'Cumulative repeat purchases: actual vs BG/NBD' : 'CLV tracking: not enough customers',
      ),
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: t.map((p) => String(p.week)), name: 'week' },
      yAxis: { type: 'value' },
      series: [
        {
          name: 'actual',
          type: 'line',
          showSymbol: false,
          data: t.map((p) => p.actual),
          markLine: calWeek
            ? { symbol: 'none', label: { formatter: 'calibration end' }, data: [{ xAxis: calWeek - 1 }] }
            : undefined,
        },
        {
          name: 'BG/NBD',
          type: 'line',
          showSymbol: false,
          lineStyle: { type: 'dashed' },
          data: t.map((p) => Math.round(p.predicted * 10) / 10),
        },
      ],
    },
  });
  return out;
}
