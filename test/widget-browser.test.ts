import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { readManifest } from '../tools/widget/bundle.js';
import { ROOT, type Running } from './helpers.js';
import {
  axeProblems,
  type Decided,
  demoServer,
  eventually,
  launch,
  type Line,
  loggedEvents,
  sessionIn,
  settled,
  shopper,
} from './widget-shop.js';

/*
 * The storefront widget in Chromium, on the demo shop of a real levers serve over a demo store: what a shopper
 * sees and does, what reaches the server's event log, and how the page behaves when the API is down or slow.
 */
let store = '';
let config = '';
let server: Running;
let browser: Browser;
let key = '';

before(async () => {
  let keys: { publishable: string };
  ({ store, config, server, keys } = await demoServer(14, 600));
  key = keys.publishable;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function decide(cart: Line[]): Promise<Decided> {
  const r = await fetch(`${server.url}/v1/decide`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ page: 'cart', sessionId: sessionIn(config, false, 'probe'), cart }),
  });
  return (await r.json()) as Decided;
}

/** The first product and quantity whose cart gets an offer of this type (asked of the server, not assumed). */
async function cartWith(type: string, also: (q: number, id: string) => Promise<boolean> = async () => true) {
  for (const [id, p] of Object.entries(await catalogue()))
    for (let q = 1; q <= 4; q++) {
      const d = await decide([{ productId: id, quantity: q, unitPriceMinor: p.priceMinor }]);
      const offer = d.offers.find((o) => o.type === type && o.items.every((i) => i.priceMinor != null));
      if (offer && (await also(q, id))) return { id, q, price: p.priceMinor, offer };
    }
  throw new Error(`no cart of one product gets a ${type} offer`);
}

test('the widget is served from levers serve: both builds, a year immutable with ?v=<hash>', async () => {
  const m = readManifest(ROOT);
  for (const name of ['widget.js', 'widget.mjs'] as const) {
    const pinned = await fetch(`${server.url}/v1/${name}?v=${m[name].hash}`);
    assert.equal(pinned.status, 200);
    assert.match(pinned.headers.get('content-type')!, /^text\/javascript/);
    assert.match(pinned.headers.get('cache-control')!, /max-age=31536000, immutable/);
    assert.equal(pinned.headers.get('access-control-allow-origin'), '*');
    const bare = await fetch(`${server.url}/v1/${name}`, {
      headers: { origin: 'https://elsewhere.example' },
    });
    assert.equal(bare.status, 200, 'any storefront may load it');
    assert.equal(bare.headers.get('cache-control'), 'public, max-age=300');
    const again = await fetch(`${server.url}/v1/${name}`, {
      headers: { 'if-none-match': bare.headers.get('etag')! },
    });
    assert.equal(again.status, 304);
  }
});

test('adding items moves the free-shipping bar; accepting a cross-sell adds it to the cart', async () => {
  // A cart that shows the bar at q and still at q + 1, so "+" moves it.
  const two = async (q: number, id: string) =>
    (await decide([{ productId: id, quantity: q + 1, unitPriceMinor: await priceOf(id) }])).offers.some(
      (o) => o.type === 'free-shipping-progress',
    );
  const c = await cartWith('free-shipping-progress', two);
  const session = sessionIn(config, false, 'bar');
  const ctx = await shopper(browser, server.url, session, { [c.id]: c.q });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/shop/cart`);
  assert.equal(await settled(page), 'offers');
  const bar = page.getByRole('progressbar');
  assert.equal(await bar.getAttribute('aria-valuenow'), String(c.q * c.price));
  await page.getByRole('button', { name: /^One more / }).click();
  await page.waitForSelector(`[role=progressbar][aria-valuenow="${(c.q + 1) * c.price}"]`, {
    timeout: 20_000,
  });
  assert.match((await bar.getAttribute('aria-label'))!, /away from free shipping/);
  await ctx.close();

  const x = await cartWith('cross-sell');
  const item = x.offer.items[0]!;
  const ctx2 = await shopper(browser, server.url, sessionIn(config, false, 'xsell'), { [x.id]: x.q });
  const page2 = await ctx2.newPage();
  await page2.goto(`${server.url}/shop/cart`);
  assert.equal(await settled(page2), 'offers');
  await page2.locator(`[data-offer="${x.offer.id}"] button.lv-b`).click();
  await page2.waitForSelector(`#cart [data-add="${item.productId}"]`, { timeout: 20_000 });
  assert.match(await page2.locator('#cart').innerText(), new RegExp(titleRe(await titleOf(item.productId))));
  await ctx2.close();
});

test('accepting a volume tier adds one more; every event reaches the log exactly once, retried ones too', async () => {
  const t = await cartWith('volume-tier');
  const session = sessionIn(config, false, 'tier');
  const ctx = await shopper(browser, server.url, session, { [t.id]: t.q });
  const page = await ctx.newPage();
  // The first page's events cannot be sent (the server seems down to this page): they wait in localStorage.
  await page.route('**/v1/events**', (r) => r.abort('connectionrefused'));
  await page.goto(`${server.url}/shop/cart`);
  assert.equal(await settled(page), 'offers');
  await page.locator(`[data-offer="${t.offer.id}"] button.lv-b`).click();
  // The cart holds one more of the item (the shop's count of items in its header).
  await page.waitForFunction(
    (n) => document.getElementById('cart-count')?.textContent === n,
    String(t.q + 1),
    {
      timeout: 20_000,
    },
  );
  await page.unroute('**/v1/events**');
  // The next page sends what waited, and its own page view.
  await page.goto(`${server.url}/shop`);
  await eventually('the accepted tier and both page views in the log', () => {
    const mine = loggedEvents(store).filter((e) => e.sessionId === session);
    return (
      mine.filter((e) => e.type === 'page_view').length === 2 && mine.some((e) => e.type === 'offer_accepted')
    );
  });
  // A page hidden and shown again beacons what it still holds; the server keeps each key once.
  await page.goto(`${server.url}/shop/cart`);
  await settled(page);
  await eventually(
    'three page views',
    () => loggedEvents(store).filter((e) => e.sessionId === session && e.type === 'page_view').length === 3,
  );
  await page.goto(`${server.url}/shop`);
  await eventually(
    'four page views',
    () => loggedEvents(store).filter((e) => e.sessionId === session && e.type === 'page_view').length === 4,
  );
  const mine = loggedEvents(store).filter((e) => e.sessionId === session);
  const keys = mine.map((e) => e.idempotencyKey);
  assert.equal(new Set(keys).size, keys.length, 'no event twice');
  assert.deepEqual(
    mine.filter((e) => e.type === 'offer_accepted').map((e) => e.offerId),
    [t.offer.id],
  );
  assert.ok(mine.some((e) => e.type === 'offer_shown' && e.offerId === t.offer.id));
  await ctx.close();

  // Loaded into the store, the report counts the acceptance (today's events: the browser's clock).
  const secret = {
    authorization: `Bearer ${(await import(config, { with: { type: 'json' } })).default.secretKeys[0]}`,
  };
  assert.equal(
    (await fetch(`${server.url}/v1/events/load`, { method: 'POST', headers: secret })).status,
    200,
  );
  const today = new Date().toISOString().slice(0, 10);
  const report = (await (
    await fetch(`${server.url}/v1/report?from=${today}&to=${today}`, { headers: secret })
  ).json()) as {
    offers: { offers: { offerId: string; shown: number; accepted: number }[] };
  };
  const row = report.offers.offers.find((o) => o.offerId === t.offer.id)!;
  assert.equal(row.accepted, 1);
  assert.ok(row.shown >= 1);
});

test('the holdout sees no offer, and sends only what the analysis needs: page views and the order', async () => {
  const x = await cartWith('cross-sell');
  const session = sessionIn(config, true, 'held');
  const ctx = await shopper(browser, server.url, session, { [x.id]: x.q });
  const page = await ctx.newPage();
  await page.goto(`${server.url}/shop/cart`);
  assert.equal(await settled(page), 'none');
  assert.equal(await page.locator('.lv-o').count(), 0);
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL('**/shop/thank-you');
  assert.equal(await settled(page), 'none');
  await page.reload();
  assert.equal(await settled(page), 'none');
  await eventually('the order in the log', () =>
    loggedEvents(store).some((e) => e.sessionId === session && e.type === 'purchase'),
  );
  await page.goto(`${server.url}/shop`);
  await eventually(
    'four page views',
    () => loggedEvents(store).filter((e) => e.sessionId === session && e.type === 'page_view').length === 4,
  );
  const types = loggedEvents(store)
    .filter((e) => e.sessionId === session)
    .map((e) => e.type);
  assert.deepEqual([...new Set(types)].sort(), ['page_view', 'purchase']);
  assert.equal(
    types.filter((t) => t === 'purchase').length,
    1,
    'the thank-you page reloaded, the order counted once',
  );
  await ctx.close();
});

for (const mode of ['down', 'slow'] as const)
  test(`with the API ${mode}, the shop still works and shows no widget box`, async () => {
    const x = await cartWith('cross-sell');
    const ctx = await shopper(browser, server.url, sessionIn(config, false, mode), { [x.id]: x.q });
    const page = await ctx.newPage();
    await page.route('**/v1/decide', async (r) => {
      if (mode === 'down') return r.abort('connectionrefused');
      // Far past the widget's timeout (1.5 s): it gives up and draws nothing.
      await new Promise((res) => setTimeout(res, 6_000));
      await r.continue().catch(() => {});
    });
    await page.goto(`${server.url}/shop/cart`);
    assert.equal(await settled(page), 'failed');
    assert.equal(await page.locator('[data-levers] > *').count(), 0, 'an empty slot, not a broken box');
    await page.getByRole('button', { name: /^One more / }).click();
    await page.waitForFunction(
      (n) => document.getElementById('cart-count')?.textContent === n,
      String(x.q + 1),
    );
    await ctx.close();
  });

test('no serious or critical axe-core violations, and no layout shift, on every shop page', async () => {
  const x = await cartWith('cross-sell');
  const ctx = await shopper(browser, server.url, sessionIn(config, false, 'axe'), { [x.id]: x.q });
  const page = await ctx.newPage();
  const said: string[] = [];
  page.on('console', (m) => (m.type() === 'warning' || m.type() === 'error') && said.push(m.text()));
  page.on('pageerror', (e) => said.push(String(e)));
  for (const path of ['/shop', `/shop/product/${x.id}`, '/shop/cart']) {
    await page.goto(`${server.url}${path}`);
    if (path !== '/shop') assert.equal(await settled(page), 'offers', path);
    else await page.waitForLoadState('load');
    assert.deepEqual(await axeProblems(page), [], path);
    const shift = await page.evaluate(() => (window as unknown as { __shift: number }).__shift);
    assert.ok(shift < 0.01, `${path}: layout shift ${shift}`);
  }
  await page.getByRole('button', { name: 'Place order' }).click();
  await page.waitForURL('**/shop/thank-you');
  assert.notEqual(await settled(page), 'failed', 'the thank-you page gets its decision');
  assert.deepEqual(await axeProblems(page), [], 'thank-you');
  assert.ok((await page.evaluate(() => (window as unknown as { __shift: number }).__shift)) < 0.01);
  assert.deepEqual(said, [], 'no console warning or error (the widget warns when a slot outgrows its space)');
  await ctx.close();
});

async function priceOf(id: string): Promise<number> {
  return (await catalogue())[id]!.priceMinor;
}
async function titleOf(id: string): Promise<string> {
  return (await catalogue())[id]!.title;
}
let products: Record<string, { title: string; priceMinor: number }> | null = null;
async function catalogue() {
  products ??= JSON.parse(
    /id="shop-data">([^<]*)</.exec(await (await fetch(`${server.url}/shop`)).text())![1]!,
  ).products as Record<string, { title: string; priceMinor: number }>;
  return products;
}
const titleRe = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
