import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, tempDir } from './helpers.js';

/**
 * Runs the curl command exactly as printed when curl is installed; otherwise sends the same request with
 * fetch.
 */
async function runCurl(command: string): Promise<string> {
  if (spawnSync('curl', ['--version']).status === 0) {
    const r = spawnSync('sh', ['-c', command], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  }
  const url = /curl -s (\S+)/.exec(command)![1]!;
  const headers = Object.fromEntries(
    [...command.matchAll(/-H '([^:]+): ([^']+)'/g)].map((m) => [m[1]!, m[2]!]),
  );
  return (await fetch(url, { method: 'POST', headers, body: /-d '([^']+)'/.exec(command)![1]! })).text();
}

test(
  'levers demo simulates, loads, mines and serves a store, and the curl example it prints ' + 'works',
  async () => {
    const store = join(tempDir(), 'demo');
    const demo = await startCli(
      ['--store', store, 'demo', '--days', '14', '--sessions-per-day', '600', '--port', '0'],
      /Ask the API what to show[^\n]*\n\n(curl [^\n]*\n[^\n]*\n[^\n]*)\n/,
    );
    try {
      const decision = JSON.parse(await runCurl(demo.url)) as {
        offers: { type: string; text: string }[];
        reason: string;
        model: number;
      };
      assert.equal(decision.model, 1);
      assert.ok(decision.offers.length > 0 && decision.offers.length <= 2, JSON.stringify(decision));
      assert.ok(decision.offers.every((o) => o.text.length > 0));
    } finally {
      assert.equal(await demo.stop(), 0);
    }
  },
);

test('levers demo prints the dashboard and its secret key, and that key signs in there', async () => {
  const store = join(tempDir(), 'demo');
  const demo = await startCli(
    ['--store', store, 'demo', '--days', '14', '--sessions-per-day', '300', '--port', '0'],
    /operator's dashboard at (http:\/\/\S+)\/dashboard and sign in with the secret key \S+/,
  );
  try {
    const key = JSON.parse(readFileSync(join(store, 'levers.config.json'), 'utf8')).secretKeys[0];
    const r = await fetch(`${demo.url}/dashboard/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ key }).toString(),
      redirect: 'manual',
    });
    assert.equal(r.status, 303);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    const page = await fetch(`${demo.url}/dashboard/overview`, { headers: { cookie } });
    assert.equal(page.status, 200);
    assert.match(await page.text(), /<h1>Overview<\/h1>/);
  } finally {
    assert.equal(await demo.stop(), 0);
  }
});
