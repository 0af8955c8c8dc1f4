import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import type { Running } from './helpers.js';
import { axeProblems, demoServer, launch } from './widget-shop.js';

/*
 * The operator's dashboard in Chromium, on a real levers serve over a demo store: signing in, every page with
 * its charts painted, no console error, no serious accessibility problem; and the refusals: a publishable key,
 * a forged cookie, a POST without the CSRF token, a session after sign-out.
 */
const PAGES = ['overview', 'segments', 'offers', 'experiments', 'customers', 'recommendations', 'live'];
let server: Running;
let browser: Browser;
let keys: { publishable: string; secret: string };

before(async () => {
  // 35 days: the default report window (the last 28 days) has a previous window to compare with.
  ({ server, keys } = await demoServer(35, 300));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A page of its own with what the browser complains about collected. */
async function watched(): Promise<{ page: Page; said: string[] }> {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await ctx.newPage();
  const said: string[] = [];
  page.on('console', (m) => (m.type() === 'error' || m.type() === 'warning') && said.push(m.text()));
  page.on('pageerror', (e) => said.push(String(e)));
  return { page, said };
}

async function signIn(page: Page, key: string): Promise<void> {
  await page.goto(`${server.url}/dashboard`);
  await page.waitForURL('**/dashboard/sign-in**');
  await page.getByLabel('Secret key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** Each chart's canvas, counted by the pixels it painted (a blank canvas has none). */
async function paintedCharts(page: Page): Promise<Record<string, number>> {
  await page.waitForFunction(
    () => {
      const c = (window as unknown as { __charts?: { expected: number; rendered: number } }).__charts;
      return c !== undefined && c.rendered >= c.expected;
    },
    undefined,
    { timeout: 20_000 },
  );
  return page.evaluate(() => {
    const out: Record<string, number> = {};
    for (const el of document.querySelectorAll<HTMLElement>('[data-chart]')) {
      const canvas = el.querySelector('canvas');
      let painted = 0;
      if (canvas) {
        const d = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        for (let i = 3; i < d.length; i += 4) if (d[i]! > 0) painted++;
      }
      out[el.dataset.chart!] = painted;
    }
    return out;
  });
}

test('a publishable key and a wrong key are refused at sign-in, and no page opens', async () => {
  const { page, said } = await watched();
  await page.goto(`${server.url}/dashboard/sign-in`);
  assert.deepEqual(await axeProblems(page, { strictCsp: true }), [], 'the sign-in page');
  await signIn(page, keys.publishable);
  await page.getByRole('alert').waitFor();
  assert.match(await page.getByRole('alert').innerText(), /publishable key .* never opens the dashboard/);
  await signIn(page, 'sk_wrong_0123456789abcdef01234567');
  assert.match(await page.getByRole('alert').innerText(), /does not open the dashboard/);
  assert.deepEqual(await page.context().cookies(), [], 'no session cookie');
  await page.goto(`${server.url}/dashboard/overview`);
  assert.match(page.url(), /\/dashboard\/sign-in\?next=/);
  assert.deepEqual(
    said.filter((s) => !/status of 40[13]/.test(s)),
    [],
    'no console error beyond the refusals themselves',
  );
  await page.context().close();
});

test('signed in, every page renders with its charts painted, no console error, no serious axe violation', async () => {
  const { page, said } = await watched();
  await signIn(page, keys.secret);
  await page.waitForURL('**/dashboard/overview');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'levers_dashboard')!;
  assert.equal(cookie.httpOnly, true);
  assert.equal(cookie.sameSite, 'Strict');
  assert.equal(cookie.path, '/dashboard');
  assert.ok(!(await page.evaluate(() => document.cookie)).includes('levers_dashboard'), 'no script reads it');
  for (const p of PAGES) {
    await page.getByRole('link', { name: p[0]!.toUpperCase() + p.slice(1), exact: true }).click();
    await page.waitForURL(`**/dashboard/${p}`);
    assert.equal(await page.getByRole('heading', { level: 1 }).innerText(), p[0]!.toUpperCase() + p.slice(1));
    const charts = await paintedCharts(page);
    assert.ok(Object.keys(charts).length >= 1, `${p}: at least one chart`);
    for (const [id, painted] of Object.entries(charts))
      assert.ok(painted > 1000, `${p}: chart ${id} is painted`);
    assert.deepEqual(await axeProblems(page, { strictCsp: true }), [], p);
  }
  // The options travel in the URL: a bookmark opens the same view.
  await page.goto(`${server.url}/dashboard/overview?period=day&compare=previous`);
  await paintedCharts(page);
  assert.equal(await page.locator('select[name=period]').inputValue(), 'day');
  assert.match((await page.getByRole('link', { name: 'Segments' }).getAttribute('href')) ?? '', /period=day/);
  assert.deepEqual(said, [], 'no console warning or error');
  // A bad option is a 400 that says which and why, on the page (the browser logs the status).
  const bad = await page.goto(`${server.url}/dashboard/overview?period=fortnight`);
  assert.equal(bad?.status(), 400);
  assert.match(await page.getByRole('alert').innerText(), /^period: /);
  await page.context().close();
});

test('a forged cookie is refused: pages go to sign-in, JSON answers 401', async () => {
  const forged = `levers_dashboard=${'A'.repeat(43)}`;
  const r = await fetch(`${server.url}/dashboard/offers`, {
    headers: { cookie: forged },
    redirect: 'manual',
  });
  assert.equal(r.status, 303);
  assert.match(r.headers.get('location')!, /^\/dashboard\/sign-in\?next=/);
  const j = await fetch(`${server.url}/dashboard/api/live`, { headers: { cookie: forged } });
  assert.equal(j.status, 401);
  assert.equal(((await j.json()) as { error: { code: string } }).error.code, 'DASHBOARD_SIGN_IN_REQUIRED');
  const { page } = await watched();
  await page
    .context()
    .addCookies([{ name: 'levers_dashboard', value: 'A'.repeat(43), url: `${server.url}/dashboard` }]);
  await page.goto(`${server.url}/dashboard/customers`);
  assert.match(page.url(), /\/dashboard\/sign-in\?next=%2Fdashboard%2Fcustomers/);
  await page.context().close();
});

test('a POST without the CSRF token is refused (403); with it, "mine now" mines and serves the next model', async () => {
  const { page, said } = await watched();
  await signIn(page, keys.secret);
  await page.waitForURL('**/dashboard/overview');
  const cookie = (await page.context().cookies()).find((c) => c.name === 'levers_dashboard')!;
  const before = ((await (await fetch(`${server.url}/healthz`)).json()) as { model: number }).model;
  const bare = await fetch(`${server.url}/dashboard/recommendations/mine`, {
    method: 'POST',
    headers: {
      cookie: `levers_dashboard=${cookie.value}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: '',
    redirect: 'manual',
  });
  assert.equal(bare.status, 403);
  assert.equal(((await bare.json()) as { error: { code: string } }).error.code, 'CSRF_REFUSED');
  await page.goto(`${server.url}/dashboard/recommendations`);
  await page.getByRole('button', { name: 'Mine now' }).click();
  await page.waitForURL(`**/dashboard/recommendations?mined=${before + 1}`);
  assert.match(await page.getByRole('status').innerText(), new RegExp(`Mined model v${before + 1}`));
  assert.match(await page.locator('#model').innerText(), new RegExp(`Model v${before + 1}, mined`));
  const now = ((await (await fetch(`${server.url}/healthz`)).json()) as { model: number }).model;
  assert.equal(now, before + 1, 'the server serves it');
  assert.deepEqual(said, []);
  await page.context().close();
});

test('sign-out ends the session: the old cookie opens nothing', async () => {
  const { page, said } = await watched();
  await signIn(page, keys.secret);
  await page.waitForURL('**/dashboard/overview');
  const old = (await page.context().cookies()).find((c) => c.name === 'levers_dashboard')!.value;
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL('**/dashboard/sign-in?signed-out=1');
  assert.match(await page.getByRole('status').innerText(), /Signed out/);
  assert.equal((await page.context().cookies()).filter((c) => c.name === 'levers_dashboard').length, 0);
  const r = await fetch(`${server.url}/dashboard/live`, {
    headers: { cookie: `levers_dashboard=${old}` },
    redirect: 'manual',
  });
  assert.equal(r.status, 303, 'the session is gone on the server, not only in the browser');
  assert.deepEqual(said, []);
  await page.context().close();
});
