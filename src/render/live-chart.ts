import type { LiveSnapshot } from '../server/dashboard/live-stats.js';
import type { ChartSpec } from './report-charts.js';

/**
 * The Live page's chart: decisions, events and errors per minute. Pure and without imports, so the browser's
 * dashboard script redraws it from GET /dashboard/api/live with the same code the server drew it with.
 */
export function liveChart(s: LiveSnapshot): ChartSpec {
  const t = `Requests per minute, last 30 minutes (${s.workers != null ? `${s.workers} workers` : 'this process'})`;
  const x = s.minutes.map((m) => m.minute.slice(11, 16));
  const line = (name: string, data: number[]) => ({ name, type: 'line', showSymbol: false, data });
  return {
    id: 'live',
    title: t,
    option: {
      title: { text: t, left: 'center', textStyle: { fontSize: 14 } },
      tooltip: { trigger: 'axis' },
      legend: { bottom: 0 },
      xAxis: { type: 'category', data: x, name: 'UTC' },
      yAxis: { type: 'value', name: 'per minute', minInterval: 1 },
      series: [
        line(
          'decisions',
          s.minutes.map((m) => m.decisions),
        ),
        line(
          'events',
          s.minutes.map((m) => m.events),
        ),
        line(
          'refused (4xx)',
          s.minutes.map((m) => m.clientErrors),
        ),
        line(
          'errors (5xx)',
          s.minutes.map((m) => m.serverErrors),
        ),
      ],
    },
  };
}
