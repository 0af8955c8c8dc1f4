import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, startCli, tempDir } from './helpers.js';

/*
 * Under --workers the primary holds the dashboard's sessions and runs its store work: a sign-in on one worker
 * opens every worker, a sign-out on one closes them all, and pages that read the store work from any.
 */
test('under --workers 2, one sign-in opens every worker, and one sign-out closes them all', async () => {
  const store = join(tempDir(), 'demo');
  const made = await cli([
    '--store',
    store,
    'demo',
    '--days',
    '14',
    '--sessions-per-day',
    '300',
    '--no-serve',
  ]);
  assert.equal(made.code, 0, made.stderr);
  const config = join(store, 'levers.config.json');
  const key = JSON.parse(readFileSync(config, 'utf8')).secretKeys[0];
  const server = await startCli(
    ['--store', store, 'serve', '--port', '0', '--workers', '2', '--config', config, '--log-level', 'warn'],
    /levers serve: (http:\/\/\S+) \(2 workers/,
  );
  // A fresh connection each time, so the cluster hands requests to both workers in turn.
  const get = (path: string, cookie: string) =>
    fetch(`${server.url}${path}`, { headers: { cookie, connection: 'close' }, redirect: 'manual' });
  try {
    const r = await fetch(`${server.url}/dashboard/sign-in`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
      body: new URLSearchParams({ key }).toString(),
      redirect: 'manual',
    });
    assert.equal(r.status, 303);
    const cookie = r.headers.get('set-cookie')!.split(';')[0]!;
    // The cluster hands connections to the workers in turn: eight in a row reach both, and each knows the
    // session.
    for (let i = 0; i < 8; i++) assert.equal((await get('/dashboard/api/live', cookie)).status, 200);
    // Decisions on both workers, summed by the primary on the Live page's JSON (each worker reports once a
    // second: polled until it has, not timed).
    const pk = JSON.parse(readFileSync(config, 'utf8')).publishableKeys[0];
    for (let i = 0; i < 6; i++) {
      const r = await fetch(`${server.url}/v1/decide`, {
        method: 'POST',
        headers: { authorization: `Bearer ${pk}`, 'content-type': 'application/json', connection: 'close' },
        body: JSON.stringify({ page: 'cart', sessionId: `s-${i}`, cart: [] }),
      });
      assert.equal(r.status, 200);
    }
    let live = { workers: 0, totals: { decisions: 0 } };
    for (let i = 0; i < 100 && live.totals.decisions < 6; i++) {
      await new Promise((r) => setTimeout(r, 100));
      live = (await (await get('/dashboard/api/live', cookie)).json()) as typeof live;
    }
    assert.equal(live.workers, 2);
    assert.equal(live.totals.decisions, 6, 'every decision counted once, whichever worker made it');
    for (const page of ['customers', 'recommendations']) {
      const p = await get(`/dashboard/${page}`, cookie);
      assert.equal(p.status, 200, page);
      assert.match(await p.text(), /<h1>/);
    }
    const html = await (await get('/dashboard/live', cookie)).text();
    assert.match(
      html,
      /counters of the 2 workers, summed by the primary/,
      'the Live page says whose they are',
    );
    const token = /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
    const out = await fetch(`${server.url}/dashboard/sign-out`, {
      method: 'POST',
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', connection: 'close' },
      body: new URLSearchParams({ _csrf: token }).toString(),
      redirect: 'manual',
    });
    assert.equal(out.status, 303);
    for (let i = 0; i < 4; i++) assert.equal((await get('/dashboard/api/live', cookie)).status, 401);
  } finally {
    assert.equal(await server.stop(), 0);
  }
});
