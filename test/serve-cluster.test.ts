import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const headers = { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' };
const body = JSON.stringify({
  page: 'cart',
  sessionId: 's-1',
  cart: [
    { productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 },
    { productId: 'mug', quantity: 1, unitPriceMinor: 1200 },
  ],
});
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
/**
 * fetch, tried again once when the connection fails before an answer: a keep-alive socket the server closes as
 * idle just as a request goes out is ordinary HTTP, and every request here is safe to repeat (events carry
 * idempotency keys).
 */
// A kept-alive socket the server closed at the same moment fails the request before it was sent; on a loaded
// machine that can happen twice in a row, so a few tries (the requests are idempotent).
const fetchAgain = async (url: string | URL, init?: RequestInit, tries = 5): Promise<Response> => {
  try {
    return await fetch(url, init);
  } catch (e) {
    if (tries <= 1) throw e;
    await sleep(100);
    return fetchAgain(url, init, tries - 1);
  }
};

test(
  'levers serve --workers 2: reloads model and configuration on SIGHUP without dropping a request; one ' +
    'event log for all workers',
  async () => {
    const store = tempDir();
    assert.equal(
      (await cli(['--store', store, 'simulate', '--seed', '4', '--days', '14', '--sessions-per-day', '800']))
        .code,
      0,
    );
    assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
    const config = join(store, 'levers.config.json');
    const conf = (maxOffers: number) =>
      JSON.stringify({
        eventTimeWindow: { pastDays: 36500 },
        publishableKeys: [PUB],
        secretKeys: [SECRET],
        rateLimitPerMinute: { publishable: 1_000_000 },
        offers: {
          maxOffersPerDecision: maxOffers,
          holdoutShare: 0,
          volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
          freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
        },
      });
    writeFileSync(config, conf(2));
    const server = await startCli([
      '--store',
      store,
      'serve',
      '--port',
      '0',
      '--workers',
      '2',
      '--config',
      config,
    ]);
    const seen: { status: number; model?: number; offers?: number }[] = [];
    let running = true;
    const load = async () => {
      while (running) {
        try {
          const r = await fetch(`${server.url}/v1/decide`, { method: 'POST', headers, body });
          const j = (await r.json()) as { model: number; offers: unknown[] };
          seen.push({ status: r.status, model: j.model, offers: j.offers?.length });
        } catch (_e) {
          seen.push({ status: -1 });
        }
      }
    };
    const loops = Array.from({ length: 6 }, load);
    try {
      const waitFor = async (ok: () => boolean, what: string) => {
        for (let i = 0; i < 200 && !ok(); i++) await sleep(50);
        assert.ok(ok(), what);
      };
      await waitFor(() => seen.length > 50, 'requests flow');
      assert.ok(seen.every((s) => s.model === 1 && s.offers === 2));
      // A new snapshot and a new configuration, then SIGHUP: both take effect while requests keep flowing.
      assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.01'])).code, 0);
      writeFileSync(config, conf(1));
      const before = seen.length;
      server.child.kill('SIGHUP');
      await waitFor(() => seen.slice(before).some((s) => s.model === 2), 'the new model is served');
      const after = seen.length;
      await waitFor(() => seen.length > after + 50, 'requests keep flowing');
      assert.ok(
        seen.slice(after).every((s) => s.model === 2 && s.offers === 1),
        'every worker serves the new model and configuration',
      );
      // A broken configuration is refused at reload: the server keeps the last good one.
      writeFileSync(config, '{ "publishableKeys": [');
      const mark = seen.length;
      server.child.kill('SIGHUP');
      await waitFor(() => /reload failed/.test(server.stderr()), 'the failed reload is logged');
      await waitFor(() => seen.length > mark + 50, 'requests keep flowing after a failed reload');
      assert.ok(seen.slice(mark).every((s) => s.status === 200 && s.offers === 1));

      // Events through either worker land in one log, once: a retried batch is a duplicate whichever worker
      // takes it.
      const batch = (n: number) => ({
        events: Array.from({ length: 5 }, (_, i) => ({
          idempotencyKey: `b${n}-${i}`,
          type: 'page_view',
          sessionId: `s${n}`,
          occurredAt: '2026-01-20T10:00:00Z',
        })),
      });
      const send = (n: number) =>
        fetchAgain(`${server.url}/v1/events`, {
          method: 'POST',
          headers,
          body: JSON.stringify(batch(n)),
        }).then((r) => r.json() as Promise<{ accepted: number; duplicates: number }>);
      const first = await Promise.all(Array.from({ length: 40 }, (_, n) => send(n)));
      const again = await Promise.all(Array.from({ length: 40 }, (_, n) => send(n)));
      assert.equal(
        first.reduce((s, r) => s + r.accepted, 0),
        200,
      );
      assert.equal(
        again.reduce((s, r) => s + r.duplicates, 0),
        200,
      );
      // Loading the log is a POST (it writes); reports from both workers at once then run one at a time in
      // the primary.
      const load = await fetchAgain(`${server.url}/v1/events/load`, {
        method: 'POST',
        headers: { authorization: `Bearer ${SECRET}` },
      });
      assert.equal(load.status, 200, await load.clone().text());
      assert.equal(((await load.json()) as { rows: { loaded: number } }).rows.loaded, 200);
      const report = () =>
        fetchAgain(`${server.url}/v1/report`, { headers: { authorization: `Bearer ${SECRET}` } }).then(
          async (r) => ({ status: r.status, json: (await r.json()) as { dataRange: { last: string } } }),
        );
      const reports = await Promise.all([report(), report(), report(), report()]);
      assert.deepEqual(
        reports.map((r) => r.status),
        [200, 200, 200, 200],
        JSON.stringify(reports.map((r) => r.json)).slice(0, 500),
      );
      assert.ok(
        reports.every((r) => r.json.dataRange.last === '2026-01-20'),
        'the events the server received are in its report',
      );
    } finally {
      running = false;
      await Promise.all(loops);
      assert.equal(await server.stop(), 0);
    }
    assert.equal(seen.filter((s) => s.status !== 200).length, 0, 'no request failed or was dropped');
    const logged = readFileSync(join(store, 'events', 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean);
    assert.equal(logged.length, 200);
    assert.match(server.stderr(), /"role":"worker-1"/);
    assert.match(server.stderr(), /"msg":"stopped"/);
  },
);
