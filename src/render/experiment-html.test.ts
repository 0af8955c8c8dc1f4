import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CHROMIUM, tempDir } from '../../test/helpers.js';
import type { ExperimentReport } from '../app/experiment.js';
import { analyseExperiment, type VariantSums } from '../core/experiments/analysis.js';
import { signedPercent } from '../core/signed.js';
import { esc } from './html-page.js';
import { experimentCharts, renderExperimentHtml } from './experiment-html.js';

/** n sessions, k orders of mean m and standard deviation s (minor units): the per-unit sums of one variant. */
function sums(id: string, weight: number, n: number, k: number, m: number, s: number): VariantSums {
  const sr = k * m;
  const srr = k * (m * m + s * s);
  return { id, weight, n, so: k, soo: k, sr, srr, sor: sr };
}

const report = (variants: VariantSums[]): ExperimentReport => ({
  experiment: 'ship-50-75',
  description: 'a $75 threshold lifts order value (variants control vs t75, sessions as units)',
  window: { from: '2026-11-20', to: '2026-11-26' },
  currency: 'USD',
  analysis: analyseExperiment(variants, {
    control: 'control',
    guardrails: ['cvr', 'aov'],
    sequential: { tuning: 5000 },
  }),
});

test('the experiment page: every lift with its interval, the RPS split, SRM, power and the verdict, self-contained', () => {
  const r = report([
    sums('control', 0.5, 5000, 150, 6000, 3000),
    sums('t75', 0.25, 2510, 80, 6600, 3200),
    sums('t100', 0.25, 2490, 60, 7000, 3500),
  ]);
  const html = renderExperimentHtml(r);
  const a = r.analysis;
  assert.equal(a.comparisons.length, 2);
  for (const c of a.comparisons) {
    assert.ok(html.includes(`<h2>${c.variant} against control</h2>`), c.variant);
    for (const k of ['rps', 'cvr', 'aov'] as const) {
      const rel = c.changes[k]!.relative!;
      // The lift and its interval, in the cells of the metric's row.
      const name = { rps: 'RPS', cvr: 'CVR', aov: 'AOV (net)' }[k];
      const cells = `<td class="r">${signedPercent(rel.value)}</td><td class="r">${signedPercent(rel.low)} to ${signedPercent(rel.high)}</td>`;
      assert.ok(html.includes(cells), `${c.variant} ${name}: ${cells}`);
    }
    const s = c.split!;
    assert.ok(
      html.includes(
        `<td class="">conversion part (CVR)</td><td class="r">${signedPercent(s.cvr!.value)}</td>`,
      ),
    );
    assert.ok(
      html.includes(
        `<td class="">order value part (AOV)</td><td class="r">${signedPercent(s.aov!.value)}</td>`,
      ),
    );
    assert.ok(html.includes(esc(`verdict ${c.verdict.code}: ${c.verdict.text}`)), c.verdict.text);
    assert.ok(html.includes(`an RPS lift of ${signedPercent(c.changes.rps!.mde!).slice(1)} with 80% power`));
    if (c.verdict.moreUnits != null)
      assert.ok(html.includes(`about ${c.verdict.moreUnits.toLocaleString('en-US')} more units`));
    assert.ok(html.includes('always-valid RPS difference (safe at every look)'));
  }
  // Two treatments: Bonferroni, so 97.5% intervals, said so.
  assert.ok(html.includes('97.5% interval'));
  assert.ok(html.includes('Bonferroni over 2 treatments'));
  assert.match(html, /SRM: chi-square [\d.]+, p = [\d.]+: passed, the split is as configured/);
  assert.ok(
    html.includes(
      '<td class="">control</td><td class="r">5,000</td><td class="r">5,000</td><td class="r">50.0%</td>',
    ),
  );
  // Self-contained: no external script, style or font; the charts' data is inlined.
  assert.doesNotMatch(html, /<script[^>]+src=|<link /);
  assert.ok(html.includes('"id":"lifts-t75"') && html.includes('"type":"boxplot"'));
});

test('the experiment page flags a broken split and withholds the verdict; a lift without data is not charted', () => {
  const r = report([sums('control', 0.5, 6000, 150, 6000, 3000), sums('t75', 0.5, 4000, 120, 6600, 3200)]);
  const html = renderExperimentHtml(r);
  assert.match(html, /<div class="warn">SRM: chi-square [\d.]+, p = [\d.e-]+: MISMATCH \(p &lt; 0.001\)/);
  assert.match(html, /<div class="warn">verdict SRM: withheld: units split 60.0% \/ 40.0%/);
  const none = report([sums('control', 0.5, 100, 0, 0, 0), sums('t75', 0.5, 100, 0, 0, 0)]);
  assert.equal(experimentCharts(none)[0]!.option, null);
  assert.ok(renderExperimentHtml(none).includes('No chart of t75 against control'));
});

test('the experiment page draws its charts in headless Chromium, with no error and no network request', {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (.ci/run installs it)`,
}, async () => {
  const file = join(tempDir(), 'experiment.html');
  writeFileSync(
    file,
    renderExperimentHtml(
      report([
        sums('control', 0.5, 5000, 150, 6000, 3000),
        sums('t75', 0.25, 2510, 80, 6600, 3200),
        sums('t100', 0.25, 2490, 60, 7000, 3500),
      ]),
    ),
  );
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1150, height: 900 } });
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(String(e)));
    const requests: string[] = [];
    page.on('request', (q) => !q.url().startsWith('file:') && requests.push(q.url()));
    await page.goto(`file://${file}`);
    type Counted = { __charts?: { rendered: number; expected: number } };
    await page.waitForFunction(
      () => (window as Counted).__charts?.rendered === (window as Counted).__charts?.expected,
      null,
      { timeout: 20_000 },
    );
    assert.deepEqual(await page.evaluate(() => (window as Counted).__charts), { expected: 2, rendered: 2 });
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, []);
  } finally {
    await browser.close();
  }
});
