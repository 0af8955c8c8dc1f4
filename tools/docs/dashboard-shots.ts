import { join } from 'node:path';
import { chromium } from 'playwright-core';

/**
 * Screenshots of every dashboard page for docs/ (small PNGs, 1000 px wide, the top of each page), from a
 * running levers serve: node dist/tools/docs/dashboard-shots.js <url> <secret key> [out dir] [query].
 */
const [url, key, out = 'docs', query = ''] = process.argv.slice(2);
if (!url || !key) {
  console.error('usage: dashboard-shots <url> <secret key> [out dir] [query]');
  process.exit(2);
}
const PAGES = ['overview', 'segments', 'offers', 'experiments', 'customers', 'recommendations', 'live'];
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage({ viewport: { width: 1000, height: 1250 }, deviceScaleFactor: 1 });
await page.goto(`${url}/dashboard/sign-in`);
await page.getByLabel('Secret key').fill(key);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.waitForURL('**/dashboard/overview**');
for (const p of PAGES) {
  await page.goto(`${url}/dashboard/${p}${query}`);
  await page.waitForFunction(() => {
    const c = (window as unknown as { __charts?: { expected: number; rendered: number } }).__charts;
    return c && c.rendered >= c.expected;
  });
  // ECharts animates the first paint.
  await page.waitForTimeout(1200);
  const file = join(out, `dashboard-${p}.png`);
  await page.screenshot({ path: file });
  console.log(file);
}
await browser.close();
