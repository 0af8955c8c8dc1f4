import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

test(
  'levers serve: a real process answers decide and events over HTTP, keeps acknowledged events, stops ' +
    'on SIGTERM',
  async () => {
    const store = tempDir();
    assert.equal(
      (await cli(['--store', store, 'simulate', '--seed', '2', '--days', '14', '--sessions-per-day', '1500']))
        .code,
      0,
    );
    assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
    const config = join(store, 'levers.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        eventTimeWindow: { pastDays: 36500 },
        publishableKeys: [PUB],
        secretKeys: [SECRET],
        offers: { freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 } },
      }),
    );
    const server = await startCli(['--store', store, 'serve', '--port', '0', '--config', config]);
    const url = server.url;
    try {
      const headers = { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' };
      const d = await fetch(`${url}/v1/decide`, {
        method: 'POST',
        headers,
        body: JSON.stringify({
          page: 'cart',
          sessionId: 's-7',
          cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 }],
        }),
      });
      assert.equal(d.status, 200);
      const decision = (await d.json()) as { reason: string; offers: unknown[] };
      assert.ok(decision.reason.length > 0 && decision.offers.length <= 2);
      const events = {
        events: [
          {
            idempotencyKey: 'k1',
            type: 'offer_shown',
            sessionId: 's-7',
            occurredAt: '2026-01-05T10:00:00Z',
            offerId: 'x',
          },
        ],
      };
      const e = await fetch(`${url}/v1/events`, { method: 'POST', headers, body: JSON.stringify(events) });
      assert.equal(e.status, 202);
      const h = (await (await fetch(`${url}/healthz`)).json()) as { events: number };
      assert.equal(h.events, 1);
    } finally {
      assert.equal(await server.stop(), 0);
    }
  },
);
