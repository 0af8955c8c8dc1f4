import type { EvalRun } from '../../../app/eval-recs.js';
import { proportion } from '../../../core/stats/proportion.js';
import { evalChart } from '../../../render/dashboard-charts.js';
import { money, pct } from '../../../render/format.js';
import { esc } from '../../../render/html.js';
import { CSRF_FIELD } from '../csrf.js';
import { chartBox, type PageContext, type PageOut, unknownOf } from './context.js';

const DAY_MS = 86_400_000;

/**
 * Recommendations: the served model (version, age, what it was mined from), its strongest rules and bundles,
 * how it ranks hidden items of later baskets against popularity, and a button to mine the store again.
 */
export async function recommendationsPage(c: PageContext): Promise<PageOut> {
  const m = c.data.model();
  const made = Date.parse(m.createdAt);
  const age = Number.isFinite(made) ? ageText(c.now - made) : 'unknown';
  const name = (id: string) => m.items.find((i) => i.id === id)?.title ?? id;
  let run: EvalRun | null = null;
  let why = '';
  try {
    run = await c.data.evalRecs();
  } catch (e) {
    why = unknownOf(e);
  }
  const chart = evalChart(run, why || 'no evaluation');
  const mined = c.params.mined
    ? `<p class="done" role="status">Mined model v${esc(c.params.mined)}; it is served now.</p>`
    : '';
  const rules = m.rules
    .slice(0, 10)
    .map(
      (r) =>
        `<tr><td>${esc(r.antecedent.map(name).join(' + '))}</td><td>${esc(name(r.consequent))}</td><td class="r">${r.count}</td><td class="r">${pct(r.confidence, 0)}</td><td class="r">${r.lift.toFixed(2)}</td></tr>`,
    );
  const bundles = [...m.bundles]
    .sort((a, b) => (b.revenueMinor ?? 0) - (a.revenueMinor ?? 0))
    .slice(0, 8)
    .map(
      (b) =>
        `<tr><td>${esc(b.items.map(name).join(' + '))}</td><td class="r">${b.count}</td><td class="r">${b.lift.toFixed(2)}</td><td class="r">${money(b.revenueMinor, m.currency)}</td></tr>`,
    );
  const evalRows = (run?.results ?? []).map((x) => {
    const hit = proportion(Math.round(x.hitAtK * x.baskets), x.baskets);
    return `<tr><td>${esc(x.ranking === 'shrunk' ? 'model (shrunk lift)' : x.ranking)}</td><td class="r">${pct(x.hitAtK, 1)}</td><td class="r">${hit ? `${pct(hit.low, 1)} to ${pct(hit.high, 1)}` : 'unknown'}</td><td class="r">${pct(x.recallAtK, 1)}</td><td class="r">${x.mrr.toFixed(3)}</td><td class="r">${pct(x.coverage, 0)}</td></tr>`;
  });
  const verdict = run ? beatsPopularity(run) : '';
  const body = `${mined}<section id="model"><h2>Which model is served?</h2>
<p>Model v${m.version}, mined ${esc(m.createdAt || 'at an unknown time')} (${esc(age)} ago) from ${m.baskets.toLocaleString('en-US')} baskets of ${m.items.length} products: ${m.rules.length} rules, ${m.bundles.length} bundles (minimum support ${m.params.minSupport}, confidence ${m.params.minConfidence}).</p>
<form method="post" action="/dashboard/recommendations/mine"><input type="hidden" name="${CSRF_FIELD}" value="${esc(c.csrf)}"><button type="submit">Mine now</button> <span class="muted">mines the store's baskets into the next version and serves it</span></form></section>
<section id="rules"><h2>Strongest rules</h2>${rules.length ? `<table><thead><tr><th>in the cart</th><th>suggest</th><th class="r">orders</th><th class="r">confidence</th><th class="r">lift</th></tr></thead><tbody>${rules.join('')}</tbody></table>` : '<p class="muted">No rule met the minimum support and confidence.</p>'}</section>
<section id="bundles"><h2>Bundles carrying the most revenue</h2>${bundles.length ? `<table><thead><tr><th>items</th><th class="r">orders</th><th class="r">lift</th><th class="r">revenue</th></tr></thead><tbody>${bundles.join('')}</tbody></table>` : '<p class="muted">No bundle was mined.</p>'}</section>
<section id="evaluation"><h2>Better than popularity?</h2>${run ? `<p>Trained on ${run.trainBaskets.toLocaleString('en-US')} earlier baskets, one item of each of ${run.testBaskets.toLocaleString('en-US')} later baskets hidden and ranked among ${run.k} suggestions.</p><table><thead><tr><th>ranking</th><th class="r">hit@${run.k}</th><th class="r">95% interval</th><th class="r">recall@${run.k}</th><th class="r">MRR</th><th class="r">coverage</th></tr></thead><tbody>${evalRows.join('')}</tbody></table>${verdict}` : ''}${chartBox(chart)}</section>`;
  return { subtitle: `model v${m.version} · ${m.currency}`, body, charts: [chart] };
}

function ageText(ms: number): string {
  if (ms < 0) return 'less than a minute';
  if (ms < 3_600_000) return `${Math.max(1, Math.round(ms / 60_000))} min`;
  if (ms < 2 * DAY_MS) return `${Math.round(ms / 3_600_000)} h`;
  return `${Math.round(ms / DAY_MS)} days`;
}

/**
 * The model's hit@k against popularity's on the same baskets, with a 95% interval for the difference. The two are
 * measured on the same baskets (paired, positively correlated), so the unpaired interval used here is wider
 * than the paired one: a difference it calls detectable is one.
 */
function beatsPopularity(run: EvalRun): string {
  const model = run.results.find((x) => x.ranking === 'shrunk');
  const pop = run.results.find((x) => x.ranking === 'popular');
  if (!model || !pop || !model.baskets) return '';
  const d = model.hitAtK - pop.hitAtK;
  const se = Math.sqrt(
    (model.hitAtK * (1 - model.hitAtK)) / model.baskets + (pop.hitAtK * (1 - pop.hitAtK)) / pop.baskets,
  );
  const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pts`;
  const ci = `95% CI ${pts(d - 1.96 * se)} to ${pts(d + 1.96 * se)}`;
  const said =
    d - 1.96 * se > 0
      ? 'the model finds the hidden item more often than popularity'
      : d + 1.96 * se < 0
        ? 'popularity finds the hidden item more often than the model'
        : 'no detectable difference from popularity on these baskets';
  return `<p class="verdict">hit@${run.k}: model ${pts(d)} against popularity (${ci}): ${esc(said)}.</p>`;
}
