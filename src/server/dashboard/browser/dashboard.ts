import { liveChart } from '../../../render/live-chart.js';
import type { LiveSnapshot } from '../live-stats.js';

/**
 * The dashboard's only script (served from /dashboard/assets, no inline code): draws each page's charts with
 * ECharts from the JSON the server put in the page, and on the Live page redraws from the server every 5 s.
 */
interface Chart {
  setOption(o: unknown): void;
  on(event: string, f: () => void): void;
  resize(): void;
}
declare const echarts: { init(el: HTMLElement, theme: null, o: { renderer: string }): Chart };

const w = window as unknown as { __charts: { expected: number; rendered: number } };
const specs = JSON.parse(document.getElementById('dashboard-charts')?.textContent || '[]') as {
  id: string;
  option: unknown;
}[];
w.__charts = { expected: specs.length, rendered: 0 };
const charts = new Map<string, Chart>();
for (const spec of specs) {
  const el = document.getElementById(`chart-${spec.id}`);
  if (!el) continue;
  const chart = echarts.init(el, null, { renderer: 'canvas' });
  let counted = false;
  chart.on('finished', () => {
    if (counted) return;
    counted = true;
    w.__charts.rendered++;
  });
  chart.setOption(spec.option);
  charts.set(spec.id, chart);
}
addEventListener('resize', () => {
  for (const c of charts.values()) c.resize();
});

const live = document.body.dataset.live;
if (live) {
  setInterval(async () => {
    try {
      const r = await fetch(live, { headers: { accept: 'application/json' }, cache: 'no-store' });
      // Signed out elsewhere, or the session ended: the page takes the operator to the sign-in form.
      if (r.status === 401) return location.reload();
      if (!r.ok) return;
      const s = (await r.json()) as LiveSnapshot;
      charts.get('live')?.setOption(liveChart(s).option);
      for (const el of document.querySelectorAll<HTMLElement>('[data-live-total]')) {
        const k = el.dataset.liveTotal as keyof LiveSnapshot['totals'];
        el.textContent = s.totals[k].toLocaleString('en-US');
      }
    } catch {
      // The server is restarting or the network is down: the next tick tries again.
    }
  }, 5000);
}
