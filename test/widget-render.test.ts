import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type DecideAnswer, DecideResponse } from '../src/server/contract.js';
import { ROOT } from './helpers.js';
import { axeProblems, eventually, launch } from './widget-shop.js';

/*
 * Every offer kind as the widget draws it, in Chromium: the built widget on a plain page, its API answered by
 * the test with decisions that pass the server's own response schema. The store here is German and sells in
 * euros, so the amounts must follow de-DE, not the server's English texts.
 */
let http: Server;
let url = '';
let browser: Browser;
let page: Page;
const events: { type: string; offerId?: string; currency?: string }[] = [];

before(async () => {
  const js = readFileSync(join(ROOT, 'dist', 'web', 'widget.js'));
  const mjs = readFileSync(join(ROOT, 'dist', 'web', 'widget.mjs'));
  http = createServer((req, res) => {
    if (req.url?.startsWith('/v1/widget.')) {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      return res.end(req.url.startsWith('/v1/widget.mjs') ? mjs : js);
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(
      '<!doctype html><html lang="de-DE"><head><title>Shop</title>' +
        '<script src="/v1/widget.js" data-key="pk_test_0123456789abcdef" async></script></head>' +
        '<body><main id="m"></main></body></html>',
    );
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(http.address() as AddressInfo).port}`;
  browser = await launch();
  page = await browser.newPage();
  await page.route('**/v1/events**', async (r) => {
    events.push(...(JSON.parse(r.request().postData()!) as { events: typeof events }).events);
    await r.fulfill({ status: 202, contentType: 'application/json', body: '{"accepted":1,"duplicates":0}' });
  });
  await page.goto(url);
  await page.waitForFunction(() => 'Levers' in window);
  await page.evaluate(() => {
    const w = window as unknown as { Levers: { init: (s: object) => void }; accepted: unknown[] };
    w.accepted = [];
    w.Levers.init({ onAccept: (a: unknown) => void w.accepted.push(a) });
  });
});

after(async () => {
  await browser?.close();
  http?.close();
});

type ApiOffer = DecideAnswer['offers'][number];
const item = (productId: string, title: string, priceMinor: number) => ({ productId, title, priceMinor });
const offer = (o: Partial<ApiOffer> & Pick<ApiOffer, 'id' | 'type' | 'text' | 'reasonCode'>): ApiOffer => ({
  items: [],
  fields: {},
  actions: { accept: 'add_to_cart', decline: 'dismiss' },
  expectedProfitMinor: 12,
  reason: 'test',
  ...o,
});
const decision = (offers: ApiOffer[], holdout = false): DecideAnswer =>
  DecideResponse.parse({
    offers,
    currency: 'EUR',
    reasonCode: holdout ? 'HOLDOUT' : 'OFFERS',
    reason: 'test',
    refused: [],
    notes: [],
    info: { shipping: 'Versand 4,95 €', delivery: 'Lieferung in 2–4 Tagen', returns: null, stock: [] },
    experiments: [],
    model: 1,
    assignment: { unit: 's', inHoldout: holdout, bucket: 0.5 },
  });

/** Mounts a slot whose decision is `d`, and waits for it to draw. */
async function mount(d: DecideAnswer, page_ = 'cart'): Promise<string> {
  const id = `s${Math.random().toString(36).slice(2)}`;
  await page.route('**/v1/decide', (r) =>
    r.fulfill({ contentType: 'application/json', body: JSON.stringify(d) }),
  );
  await page.evaluate(
    ([id, p]) => {
      const el = document.createElement('div');
      el.id = id!;
      document.getElementById('m')!.append(el);
      (window as unknown as { Levers: { mount: (e: Element, o: object) => void } }).Levers.mount(el, {
        page: p,
        cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
      });
    },
    [id, page_],
  );
  await page.waitForSelector(`#${id}[data-levers-state]`);
  await page.unroute('**/v1/decide');
  return `#${id}`;
}

test('progress offers: the bar and the amount left in the store currency and the page locale', async () => {
  const s = await mount(
    decision([
      offer({
        id: 'free-shipping-progress',
        type: 'free-shipping-progress',
        text: "You're $10.00 away from free shipping",
        reasonCode: 'FREE_SHIPPING_GAP',
        items: [item('filters', 'Filter', 450)],
        progress: { currentMinor: 4000, targetMinor: 5000, goal: 'free shipping' },
      }),
      offer({
        id: 'loyalty-proximity:Gold',
        type: 'loyalty-proximity',
        text: 'Add $18.00 to unlock Gold',
        reasonCode: 'LOYALTY_TIER_NEAR',
        actions: { accept: 'browse', decline: 'dismiss' },
        progress: { currentMinor: 38_200, targetMinor: 40_000, goal: 'Gold' },
      }),
    ]),
  );
  const bars = page.locator(`${s} [role=progressbar]`);
  assert.equal(await bars.count(), 2);
  assert.match((await bars.nth(0).getAttribute('aria-label'))!, /^You're 10,00\s€ away from free shipping$/);
  assert.equal(await bars.nth(0).getAttribute('aria-valuenow'), '4000');
  assert.match((await bars.nth(0).getAttribute('aria-valuetext'))!, /^40,00\s€ of 50,00\s€$/);
  assert.match((await bars.nth(1).getAttribute('aria-label'))!, /^Add 18,00\s€ to unlock Gold$/);
  await page.getByRole('button', { name: 'Add Filter to cart' }).click();
  await page.getByRole('button', { name: 'Keep shopping' }).click();
  await page.waitForFunction(() => (window as unknown as { accepted: unknown[] }).accepted.length === 2);
  assert.match(await page.locator(s).innerText(), /Versand 4,95 €/);
});

test('volume tier, bundle, item cards and messages: each drawn, each accept hands the store its lines', async () => {
  const start = await page.evaluate(() => (window as unknown as { accepted: unknown[] }).accepted.length);
  const cases: [ApiOffer, string][] = [
    [
      offer({
        id: 'volume-tier:maker:2',
        type: 'volume-tier',
        text: 'Buy 2, save 10%: add one more',
        reasonCode: 'VOLUME_TIER_ONE_AWAY',
        items: [item('maker', 'Kaffeemaschine', 4000)],
        percentOff: 10,
      }),
      'Add one more: Kaffeemaschine',
    ],
    [
      offer({
        id: 'bundle:brew',
        type: 'bundle',
        text: 'Complete the Brew set: 10% off the set',
        reasonCode: 'BUNDLE_PARTLY_IN_CART',
        items: [item('filters', 'Filter', 450), item('beans', 'Bohnen', 1400)],
        percentOff: 10,
      }),
      'Add the set',
    ],
    [
      offer({
        id: 'cross-sell:beans',
        type: 'cross-sell',
        text: 'Goes well with your cart: Bohnen',
        reasonCode: 'BOUGHT_TOGETHER',
        items: [item('beans', 'Bohnen', 1400)],
      }),
      'Add Bohnen to cart',
    ],
    [
      offer({
        id: 'cart-recovery:mug',
        type: 'cart-recovery',
        text: 'Your cart is saved. Pair it with Tasse?',
        reasonCode: 'BOUGHT_TOGETHER',
        items: [item('mug', 'Tasse', 1200)],
      }),
      'Add Tasse to cart',
    ],
    [
      offer({
        id: 'reorder:beans',
        type: 'reorder',
        text: 'Time to restock Bohnen?',
        reasonCode: 'REORDER_DUE',
        items: [item('beans', 'Bohnen', 1400)],
      }),
      'Add Bohnen to cart',
    ],
    [
      offer({
        id: 'habit:filters',
        type: 'habit',
        text: 'You usually get Filter with this',
        reasonCode: 'HABIT',
        items: [item('filters', 'Filter', 450)],
      }),
      'Add Filter to cart',
    ],
  ];
  for (const [o, button] of cases) {
    const s = await mount(decision([o]));
    assert.match(await page.locator(`${s} article`).innerText(), new RegExp(o.text.replace(/[?%()]/g, '.')));
    await page.locator(s).getByRole('button', { name: button }).click();
  }
  await page.waitForFunction(
    (n) => (window as unknown as { accepted: unknown[] }).accepted.length === n,
    start + cases.length,
  );
  const accepted = (await page.evaluate(() => (window as unknown as { accepted: unknown[] }).accepted)).slice(
    start,
  ) as {
    offer: { id: string };
    lines: unknown[];
  }[];
  const bundle = accepted.find((a) => a.offer.id === 'bundle:brew')!;
  assert.deepEqual(bundle.lines, [
    { productId: 'filters', quantity: 1, unitPriceMinor: 450 },
    { productId: 'beans', quantity: 1, unitPriceMinor: 1400 },
  ]);
  // The set at 10% off: (4,50 € + 14,00 €) × 0.9.
  const s = await mount(decision([cases[1]![0]]));
  assert.match(await page.locator(s).innerText(), /16,65\s€/);

  const pp = await mount(
    decision([
      offer({
        id: 'post-purchase:mug',
        type: 'post-purchase',
        text: 'Add Tasse to your order',
        reasonCode: 'POST_PURCHASE_COMPLEMENT',
        items: [item('mug', 'Tasse', 1200)],
        actions: { accept: 'add_to_order', decline: 'dismiss' },
      }),
    ]),
    'thankyou',
  );
  // Keyboard only: focus the button and press Enter; a live region says it was added.
  await page.locator(pp).getByRole('button', { name: 'Add to my order: Tasse' }).focus();
  await page.keyboard.press('Enter');
  await page.waitForSelector(`${pp} [role=status]:has-text("Added to your order")`);
});

test('a message is dismissed with its button; focus stays in the widget and the decline is reported', async () => {
  const s = await mount(
    decision([
      offer({
        id: 'segment-message:new',
        type: 'segment-message',
        text: 'Willkommen!',
        reasonCode: 'SEGMENT_MESSAGE',
        actions: { accept: 'dismiss', decline: 'dismiss' },
      }),
      offer({
        id: 'cross-sell:mug',
        type: 'cross-sell',
        text: 'Goes well with your cart: Tasse',
        reasonCode: 'BOUGHT_TOGETHER',
        items: [item('mug', 'Tasse', 1200)],
      }),
      offer({
        id: 'cross-sell:tea',
        type: 'cross-sell',
        text: 'A third offer',
        reasonCode: 'BOUGHT_TOGETHER',
        items: [item('tea', 'Tee', 900)],
      }),
    ]),
  );
  assert.deepEqual(
    await page.locator(`${s} article`).evaluateAll((a) => a.map((x) => (x as HTMLElement).dataset.offer)),
    ['segment-message:new', 'cross-sell:mug'],
    'at most two, in the order the API gave',
  );
  await page.locator(s).getByRole('button', { name: 'No thanks: Willkommen!' }).click();
  assert.equal(await page.locator(`${s} article`).count(), 1);
  assert.equal(
    await page.evaluate(() => (document.activeElement as HTMLElement).dataset.offer),
    'cross-sell:mug',
  );
  await eventually('the decline sent', () => events.some((e) => e.type === 'offer_declined'));
  const declined = events.find((e) => e.type === 'offer_declined')!;
  assert.equal(declined.offerId, 'segment-message:new');
  assert.equal(declined.currency, 'EUR');
  assert.ok(events.some((e) => e.type === 'offer_shown' && e.offerId === 'cross-sell:mug'));
});

test('the holdout: no offer drawn, the shipping and delivery lines only; the ES module build loads too', async () => {
  const s = await mount(decision([], true));
  assert.equal(await page.locator(`${s} article`).count(), 0);
  assert.equal(await page.locator(s).getAttribute('data-levers-state'), 'none');
  assert.match(await page.locator(s).innerText(), /Lieferung in 2–4 Tagen/);
  const exported = await page.evaluate(
    async (u) => Object.keys(await import(`${u}/v1/widget.mjs`)).sort(),
    url,
  );
  assert.deepEqual(exported, ['Levers', 'fromShopifyCart']);
});

test('every kind drawn on one page: no serious or critical axe-core violation', async () => {
  assert.ok((await page.locator('article.lv-o').count()) >= 10);
  assert.deepEqual(await axeProblems(page), []);
});
