import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { cliJson, type Running } from './helpers.js';
import {
  axeProblems,
  demoServer,
  eventually,
  launch,
  loggedEvents,
  sessionIn,
  shopper,
} from './widget-shop.js';

/*
 * O8 in Chromium: the chat bubble on the demo shop of a real levers serve. A coffee maker added to the cart
 * brings the better model once; "no thanks" ends the suggestions for the session; accepting changes the cart,
 * and the acceptance reaches the event log and the report by channel.
 */
let store = '';
let config = '';
let server: Running;
let browser: Browser;

before(async () => {
  ({ store, config, server } = await demoServer(14, 600));
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const bubble = (page: Page) => page.locator('[data-levers-chat]');
const botSaid = (page: Page) => bubble(page).locator('.lv-bot').allInnerTexts();
const UPSELL = /the Drip Coffee Maker Pro brews into a thermal carafe/;

/** Adds the product on its page and waits for the chat's answer to that moment. */
async function addOnProductPage(page: Page): Promise<void> {
  await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/v1/conversation'), { timeout: 20_000 }),
    page.getByRole('button', { name: 'Add to cart' }).click(),
  ]);
}

test('a coffee maker added: the bubble offers the premium model, and only once however often it is added', async () => {
  const ctx = await shopper(browser, server.url, sessionIn(config, false, 'chat-once'));
  const page = await ctx.newPage();
  await page.goto(`${server.url}/shop/product/cm-basic`);
  await addOnProductPage(page);
  await bubble(page).waitFor({ timeout: 20_000 });
  const first = await botSaid(page);
  assert.match(first[0]!, /^Great choice on the Drip Coffee Maker! For just \$40\.00 more, /);
  assert.match(first[0]!, UPSELL);
  assert.ok(first.length <= 2, 'at most two suggestions');
  assert.deepEqual(await axeProblems(page), [], 'the page with the bubble open');
  // Add a second and a third: whatever the chat says now, the better model is not offered again.
  await addOnProductPage(page);
  await addOnProductPage(page);
  await page.waitForTimeout(300);
  assert.equal((await botSaid(page)).filter((t) => UPSELL.test(t)).length, 1, 'the upsell is offered once');
  await ctx.close();
});

test('accepting the premium model in the chat puts it in the cart, and the acceptance reaches the log', async () => {
  const session = sessionIn(config, false, 'chat-yes');
  const ctx = await shopper(browser, server.url, session);
  const page = await ctx.newPage();
  await page.goto(`${server.url}/shop/product/cm-basic`);
  await addOnProductPage(page);
  await bubble(page).getByRole('button', { name: 'Add Drip Coffee Maker Pro' }).click();
  await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '2', null, {
    timeout: 20_000,
  });
  await bubble(page)
    .locator('.lv-bot', { hasText: 'Done! Drip Coffee Maker Pro is in your cart.' })
    .waitFor();
  const cookie = (await ctx.cookies()).find((c) => c.name === 'levers_demo_cart')!;
  assert.deepEqual(JSON.parse(decodeURIComponent(cookie.value)), { 'cm-basic': 1, 'cm-pro': 1 });
  await eventually('the chat acceptance in the log', () =>
    loggedEvents(store).some(
      (e) =>
        e.sessionId === session &&
        e.type === 'offer_accepted' &&
        e.offerId === 'upsell:cm-pro' &&
        (e as { channel?: string }).channel === 'chat',
    ),
  );
  const shown = loggedEvents(store).filter(
    (e) =>
      e.sessionId === session &&
      e.type === 'offer_shown' &&
      e.offerId === 'upsell:cm-pro' &&
      (e as { channel?: string }).channel === 'chat',
  );
  // The page's own slot may show it too: that one is logged as web.
  assert.equal(shown.length, 1, `shown once in the chat, logged once: ${JSON.stringify(shown)}`);
  await ctx.close();
});

test('"no thanks" ends the suggestions for the session, and the decline reaches the log', async () => {
  const session = sessionIn(config, false, 'chat-no');
  const ctx = await shopper(browser, server.url, session);
  const page = await ctx.newPage();
  await page.goto(`${server.url}/shop/product/cm-basic`);
  await addOnProductPage(page);
  assert.match((await botSaid(page))[0]!, UPSELL);
  await bubble(page).getByRole('button', { name: 'No thanks' }).click();
  await bubble(page).locator('.lv-bot', { hasText: "I won't suggest anything else this visit" }).waitFor();
  const said = (await botSaid(page)).length;
  // Another page, another add: the history in the browser says no, so the server suggests nothing.
  await page.goto(`${server.url}/shop/product/beans-house`);
  await page.getByRole('button', { name: 'Add to cart' }).click();
  await page.waitForFunction(() => document.getElementById('cart-count')?.textContent === '2');
  await page.waitForTimeout(500);
  assert.equal(await bubble(page).count(), 0, 'the bubble does not open again on the next page');
  assert.ok(said >= 2);
  await eventually('the chat decline in the log', () =>
    loggedEvents(store).some(
      (e) => e.sessionId === session && e.type === 'offer_declined' && e.offerId === 'upsell:cm-pro',
    ),
  );
  await ctx.close();
});

test('the report splits acceptance by channel: the chat acceptance is counted under chat', async () => {
  const today = new Date().toISOString().slice(0, 10);
  const load = await cliJson(['--store', store, 'ingest', 'api-events']);
  assert.ok(load.code === 0 || load.code === 3, load.stderr);
  const r = await cliJson(['--store', store, 'report', '--from', today, '--to', today]);
  assert.equal(r.code, 0, r.stderr);
  const chat = r.json.offers.byChannel.find((c: { channel: string }) => c.channel === 'chat');
  assert.ok(chat, JSON.stringify(r.json.offers?.byChannel ?? r.json.offers ?? null));
  assert.ok(chat.accepted >= 1 && chat.shown >= 2, JSON.stringify(chat));
});
