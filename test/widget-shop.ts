import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { assignUnit } from '../src/core/offers/decide.js';
import { loadServerConfig } from '../src/server/config.js';
import { CHROMIUM, cli, type Running, startCli, tempDir } from './helpers.js';

/** A demo store of `days` days served by a real levers serve, with the keys its configuration holds. */
export async function demoServer(
  days: number,
  sessionsPerDay: number,
): Promise<{
  store: string;
  config: string;
  server: Running;
  keys: { publishable: string; secret: string };
}> {
  const store = join(tempDir(), 'demo');
  const r = await cli([
    '--store',
    store,
    'demo',
    '--days',
    String(days),
    '--sessions-per-day',
    String(sessionsPerDay),
    '--no-serve',
  ]);
  if (r.code !== 0) throw new Error(`levers demo failed: ${r.stderr}`);
  const config = join(store, 'levers.config.json');
  const server = await startCli([
    '--store',
    store,
    'serve',
    '--port',
    '0',
    '--config',
    config,
    '--log-level',
    'warn',
  ]);
  const c = JSON.parse(readFileSync(config, 'utf8'));
  return { store, config, server, keys: { publishable: c.publishableKeys[0], secret: c.secretKeys[0] } };
}

/** Helpers for the browser tests (widget, dashboard): the demo store's server, seen from a browser. */
const require = createRequire(import.meta.url);

export interface Line {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}
export interface Decided {
  offers: { id: string; type: string; items: { productId: string; priceMinor: number | null }[] }[];
}

export async function launch(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'],
  });
}

/** A session id in the treated group or in the holdout, by the server's own hash (the test picks, not luck). */
export function sessionIn(configFile: string, holdout: boolean, prefix: string): string {
  const offers = loadServerConfig(configFile).offers;
  for (let i = 0; ; i++)
    if (assignUnit(offers, `${prefix}-${i}`).inHoldout === holdout) return `${prefix}-${i}`;
}

/**
 * A browser context as one shopper: their session id (so the test knows their group), their cart cookie, and
 * the page's layout shifts summed as the CLS definition does (shifts right after input excluded).
 */
export async function shopper(
  browser: Browser,
  url: string,
  session: string,
  cart: Record<string, number> = {},
): Promise<BrowserContext> {
  const ctx = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  await ctx.addInitScript((id) => {
    localStorage.setItem('levers:session', JSON.stringify({ id, at: Date.now() }));
    const w = window as unknown as { __shift: number };
    w.__shift = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        if (!e.hadRecentInput) w.__shift += e.value;
    }).observe({ type: 'layout-shift', buffered: true });
  }, session);
  await ctx.addCookies([
    { name: 'levers_demo_cart', value: encodeURIComponent(JSON.stringify(cart)), url: `${url}/shop` },
  ]);
  return ctx;
}

/** Waits until the page's widget slot has its answer: offers, none, or failed. */
export async function settled(page: Page): Promise<string> {
  const slot = page.locator('[data-levers][data-levers-state]');
  await slot.waitFor({ timeout: 20_000 });
  return (await slot.getAttribute('data-levers-state'))!;
}

/**
 * axe-core's serious and critical violations on the page, as readable lines. A page whose CSP refuses inline
 * scripts (the dashboard) gets axe through the debugging protocol instead of a script tag.
 */
export async function axeProblems(page: Page, o: { strictCsp?: boolean } = {}): Promise<string[]> {
  const axe = require.resolve('axe-core/axe.min.js');
  if (o.strictCsp) await page.evaluate(readFileSync(axe, 'utf8'));
  else await page.addScriptTag({ path: axe });
  const r = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (c: Document) => Promise<{ violations: unknown[] }> } })
      .axe;
    return (await axe.run(document)).violations as {
      id: string;
      impact: string;
      help: string;
      nodes: { target: string[] }[];
    }[];
  });
  return r
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

/** The server's event log, as stored. */
export function loggedEvents(
  store: string,
): { idempotencyKey: string; type: string; sessionId: string; offerId?: string; orderId?: string }[] {
  return readFileSync(join(store, 'events', 'events.jsonl'), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** Polls until the condition holds (the events arrive when the browser sends them), or fails after 20 s. */
export async function eventually(what: string, ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (ok()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`never happened: ${what}`);
}
