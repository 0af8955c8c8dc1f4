import { experimentCharts, experimentSections } from '../../../render/experiment-html.js';
import { sectionHtml } from '../../../render/html-page.js';
import { esc } from '../../../render/html.js';
import { type PageContext, type PageOut, unknownOf } from './context.js';

/**
 * Experiments: the configuration's experiments and the global holdout; the one chosen (?experiment=, the holdout
 * by default) analysed as levers experiment show does: variants, intervals, the CVR/AOV split of the RPS lift,
 * SRM, sequential status and the verdict.
 */
export async function experimentsPage(c: PageContext): Promise<PageOut> {
  const list = c.data.experiments();
  const chosen = c.params.experiment || 'holdout';
  const link = (id: string) => {
    const q = new URLSearchParams(c.query.replace(/^\?/, ''));
    q.set('experiment', id);
    return `/dashboard/experiments?${q}`;
  };
  const rows = [
    `<tr><td><a href="${esc(link('holdout'))}">holdout</a></td><td>the global holdout (${list.holdout.share == null ? 'share unknown' : `${(list.holdout.share * 100).toFixed(1)}% of units`})</td><td>always on</td><td></td></tr>`,
    ...list.experiments.map(
      (x) =>
        `<tr><td><a href="${esc(link(x.id))}">${esc(x.id)}</a></td><td>${esc(x.hypothesis)}</td><td>${esc(x.status)} (${esc(x.start)} .. ${esc(x.end ?? 'open')})</td><td>${esc(x.variants.map((v) => `${v.id} ${(v.servedWeight * 100).toFixed(0)}%`).join(', '))}</td></tr>`,
    ),
  ];
  const table = `<table><caption>Experiments in the configuration, as of ${esc(list.today)}</caption><thead><tr><th>experiment</th><th>hypothesis</th><th>status</th><th>variants (served split)</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
  const window = {
    ...(c.options.from ? { from: c.options.from } : {}),
    ...(c.options.to ? { to: c.options.to } : {}),
  };
  try {
    const e = await c.data.experiment(chosen, { ...window, sequential: c.params.sequential === 'true' });
    const charts = experimentCharts(e);
    const notes = (e.notes ?? []).map((n) => `<p class="muted">${esc(n)}</p>`).join('');
    const body =
      `<section id="list"><h2>Which experiments?</h2>${table}</section>\n` +
      `<h2 class="chosen">${esc(e.experiment)}: ${esc(e.description)}</h2>${notes}\n` +
      experimentSections(e)
        .map((s) => sectionHtml(s, charts))
        .join('\n');
    return {
      subtitle: `${e.window.from} .. ${e.window.to} · ${e.currency} · net of discounts, refunds and returns`,
      body,
      charts,
    };
  } catch (err) {
    return {
      subtitle: `experiment ${chosen}`,
      body: `<section id="list"><h2>Which experiments?</h2>${table}</section><p class="problem" role="alert">${esc(chosen)} cannot be analysed: ${esc(unknownOf(err))}</p>`,
      charts: [],
    };
  }
}
