import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { CHROMIUM, cli, cliJson, FIXTURES, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

let mobile = '';

before(async () => {
  mobile = tempDir();
  const r = await cli([
    '--store',
    mobile,
    'simulate',
    '--seed',
    '11',
    '--days',
    '56',
    '--sessions-per-day',
    // Enough traffic that the 8% AOV drop is detectable (at 2,500 a day its interval still covers zero).
    '5000',
    '--scenario',
    'mobile-shift',
    '--change-day',
    '28',
  ]);
  assert.equal(r.code, 0, r.stderr);
});

test(
  'mobile share rising: the report attributes the AOV drop to mix, not rate, and the parts add ' + 'up',
  async () => {
    const { code, json: r } = await cliJson(['--store', mobile, 'report']);
    assert.equal(code, 0);
    assert.deepEqual(r.windows, {
      current: { from: '2026-02-02', to: '2026-03-01' },
      previous: { from: '2026-01-05', to: '2026-02-01' },
      totalsComparable: true,
      notes: [],
    });
    const aov = r.segments.device.aov;
    assert.ok(aov.total < 0, 'AOV fell');
    assert.ok(
      aov.mix < 0 && Math.abs(aov.mix) > 2 * Math.abs(aov.rate),
      `mix ${aov.mix} vs rate ${aov.rate}`,
    );
    assert.ok(Math.abs(aov.mix + aov.rate - aov.total) < 1e-6);
    assert.match(
      r.summary.find((s: string) => s.startsWith('AOV')),
      /mostly mix .* by device\): the mobile share went from/,
    );
    const c = r.split.revenue;
    assert.ok(
      Math.abs(c.parts.sessions + c.parts.cvr + c.parts.aov - c.total) < 1e-6,
      'LMDI parts add up to the revenue change',
    );
    assert.equal(c.total, r.current.revenueMinor - r.previous.revenueMinor);
    const shown = c.shown;
    assert.equal(
      shown.parts.sessions + shown.parts.cvr + shown.parts.aov,
      shown.total,
      'the shown cents add up too',
    );
    assert.equal(shown.total, Math.round(c.total));
    assert.ok(Math.abs(r.split.rps.parts.cvr + r.split.rps.parts.aov - r.split.rps.total) < 1e-9);
    // The change the summary calls a change is detectable: its interval leaves zero out.
    assert.ok(r.changes.aov.detectable && r.changes.aov.relative.high < 0, JSON.stringify(r.changes.aov));
    // RPS = CVR × AOV and Revenue = Sessions × RPS, exactly as reported.
    assert.ok(Math.abs(r.current.cvr * r.current.aovMinor - r.current.rpsMinor) < 1e-9);
    assert.ok(
      r.bots.byUserAgent > 0 && r.current.cvrWithBots < r.current.cvr,
      'bots out of the CVR denominator',
    );
    assert.equal(r.basket.threshold, 50);
    assert.equal(r.basket.thresholdSource, 'inferred');
    assert.ok(r.offers.acceptanceRate > 0.05 && r.offers.acceptanceRate < 0.4);
    assert.ok(r.offers.treatment.sessions > 10 * r.offers.holdout.sessions);
    assert.ok(r.customers.repeatRate > 0 && r.customers.cohortRetention.cohorts.length >= 2);
    assert.equal(r.series.points.length, 8);
    assert.ok(['early', 'scale-up', 'mature'].includes(r.diagnosis.phase));
    assert.ok(r.diagnosis.tactics.length >= 1);
    for (const s of r.freeShipping.curve) assert.ok(Number.isFinite(s.profitChange));
  },
);

test(
  'terminal output is aligned within 100 columns; --include-shipping changes net revenue only by ' +
    'shipping',
  async () => {
    const t = await cli(['--store', mobile, 'report', '--segment', 'device']);
    assert.equal(t.code, 0);
    for (const l of t.stdout.split('\n')) assert.ok(l.length <= 100, `too wide: ${l}`);
    assert.match(t.stdout, /Why revenue moved \(LMDI/);
    const a = await cliJson(['--store', mobile, 'report', '--segment', 'device']);
    const b = await cliJson(['--store', mobile, 'report', '--segment', 'device', '--include-shipping']);
    assert.ok(b.json.current.revenueMinor > a.json.current.revenueMinor);
    const y = await cliJson([
      '--store',
      mobile,
      'report',
      '--compare',
      '2026-01-05..2026-01-18',
      '--from',
      '2026-02-16',
      '--to',
      '2026-03-01',
    ]);
    assert.deepEqual(y.json.windows.previous, { from: '2026-01-05', to: '2026-01-18' });
  },
);

test('the HTML report renders every chart in headless Chromium with no console errors', {
  skip: existsSync(CHROMIUM) ? false : `${CHROMIUM} is not installed (.ci/run installs it)`,
}, async () => {
  const file = join(tempDir(), 'report.html');
  const r = await cli(['--store', mobile, 'report', '--html', file]);
  assert.equal(r.code, 0);
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
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
    const charts = (await page.evaluate(() => (window as Counted).__charts))!;
    assert.equal(charts.expected, 7);
    const painted = await page.$$eval(
      '[data-chart]',
      (els) => els.filter((e) => [...e.querySelectorAll('canvas')].some((c) => c.width > 0)).length,
    );
    assert.equal(painted, 7);
    assert.deepEqual(errors, []);
    assert.deepEqual(requests, [], 'self-contained: no network requests');
  } finally {
    await browser.close();
  }
});

test('Online Retail: orders without sessions; CVR and RPS are unknown, never invented', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  await cli([
    '--store',
    store,
    'ingest',
    'online-retail',
    join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz'),
  ]);
  const { code, json: r } = await cliJson(['--store', store, 'report', '--period', 'month']);
  assert.equal(code, 0);
  assert.equal(r.current.sessions, null);
  assert.equal(r.current.cvr, null);
  assert.equal(r.current.rpsMinor, null);
  assert.match(r.unknown[0], /no sessions, so there is no denominator/);
  const s = r.split.revenue;
  assert.ok(Math.abs(s.parts.orders + s.parts.aov - s.total) < 1e-6);
  assert.equal(s.parts.sessions, undefined);
  assert.ok(r.customers.repeatRate > 0.6);
  assert.ok(
    r.clv.customersValued > 2500 && r.clv.customersValued < 4335,
    `${r.clv.customersValued} customers valued`,
  );
});

test('Google Analytics sample and a Shopify export report too', { skip: SKIP_NO_DATA }, async () => {
  const ga = tempDir();
  await cli([
    '--store',
    ga,
    'ingest',
    'ga-sessions',
    join(SHARED_DATA, 'sessions', 'ga_merch_store_all_sessions.csv'),
  ]);
  const g = await cliJson([
    '--store',
    ga,
    'report',
    '--period',
    'month',
    '--from',
    '2017-02-01',
    '--to',
    '2017-07-31',
  ]);
  assert.equal(g.code, 0);
  assert.ok(g.json.current.sessions > 5000);
  assert.ok(g.json.current.cvr > 0 && g.json.current.cvr < 0.02);
  const sh = tempDir();
  await cli(['--store', sh, 'ingest', 'shopify-orders', join(FIXTURES, 'shopify', 'orders_export.csv')]);
  const s = await cliJson(['--store', sh, 'report', '--from', '2024-01-01', '--to', '2024-02-29']);
  assert.equal(s.code, 0);
  assert.equal(
    s.json.current.orders,
    4,
    'five USD orders, one cancelled; EUR and JPY are never counted as dollars',
  );
  assert.equal(s.json.currency, 'USD');
  assert.ok(
    s.json.unknown.some((u: string) => /2 orders in other currencies \(EUR, JPY\)/.test(u)),
    s.json.unknown.join('; '),
  );
  const eur = await cliJson([
    '--store',
    sh,
    'report',
    '--from',
    '2024-01-01',
    '--to',
    '2024-02-29',
    '--currency',
    'EUR',
  ]);
  assert.deepEqual([eur.json.currency, eur.json.current.orders], ['EUR', 1]);
});

test('bad options and an empty store get a clear message', async () => {
  assert.match(
    (await cli(['--store', mobile, 'report', '--segment', 'device,planet'])).stderr,
    /unknown planet; use device, channel/,
  );
  const cmp = await cli(['--store', mobile, 'report', '--compare', 'last-week']);
  assert.equal(cmp.code, 2);
  assert.match(cmp.stderr, /use previous, year or DATE\.\.DATE/);
  const empty = await cli(['--store', tempDir(), 'report']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no sessions or orders/);
});

test(
  'M12: on a simulated store with a known best free-shipping threshold, the data-driven estimate lands ' +
    'near it',
  async () => {
    const store = tempDir();
    const sim = await cliJson([
      '--store',
      store,
      'simulate',
      '--seed',
      '1',
      '--days',
      '42',
      '--sessions-per-day',
      '3000',
      '--truth-thresholds',
      '30:100:5',
    ]);
    assert.equal(sim.code, 0);
    const truth = sim.json.truth.thresholds;
    const { json: r } = await cliJson([
      '--store',
      store,
      'report',
      '--from',
      '2026-01-05',
      '--to',
      '2026-02-15',
      '--segment',
      'device',
    ]);
    assert.equal(r.freeShipping.current, 50);
    const estimate = r.freeShipping.best.threshold;
    const best = truth.bestMinor / 100;
    assert.ok(Math.abs(estimate - best) <= 10, `estimate ${estimate} vs best ${best}`);
    // Judged by the simulator's own profit curve, the estimate gives up less than 2% of the best.
    const at = truth.grid.find((g: { thresholdMinor: number }) => g.thresholdMinor === estimate * 100);
    const top = truth.grid.find((g: { thresholdMinor: number }) => g.thresholdMinor === truth.bestMinor);
    assert.ok(
      at.profitPerSessionMinor >= 0.98 * top.profitPerSessionMinor,
      `${at.profitPerSessionMinor} vs ${top.profitPerSessionMinor}`,
    );
    // AOV + 15% of this store ($63–66 since topping up draws from its own stream), rounded up to a clean price.
    assert.ok(Math.abs(r.freeShipping.ruleOfThumb.low - (r.current.aovMinor / 100) * 1.15) < 1e-9);
    assert.equal(r.freeShipping.ruleOfThumb.pricePoint, 75);
  },
);
