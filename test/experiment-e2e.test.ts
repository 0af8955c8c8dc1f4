import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { thresholdExperiment } from './experiment-fixture.js';
import { cli, cliJson, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

test('an offer experiment end to end: configured, served with its variant, stamped on events, analysed', async () => {
  const store = tempDir();
  assert.equal(
    (await cli(['--store', store, 'simulate', '--days', '7', '--sessions-per-day', '400'])).code,
    0,
  );
  assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
  const config = join(store, 'levers.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      offers: {
        freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
        // The server runs on today's clock: the experiment started long before.
        experiments: [
          thresholdExperiment({ start: '2026-01-01', guardrails: ['cvr', 'aov', 'refunds', 'acceptance'] }),
        ],
      },
    }),
  );
  const server = await startCli(['--store', store, 'serve', '--port', '0', '--config', config]);
  const served = new Map<string, string | null>();
  // Sessions shown an offer, and those that accepted one, per variant: the acceptance guardrail by hand.
  const shown = new Map<string, { shown: number; accepted: number }>();
  try {
    const pub = { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' };
    const sec = { authorization: `Bearer ${SECRET}`, 'content-type': 'application/json' };
    const now = new Date().toISOString();
    const cart = [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 6000 }];
    for (let i = 0; i < 300; i++) {
      const sessionId = `x-${i}`;
      const d = (await (
        await fetch(`${server.url}/v1/decide`, {
          method: 'POST',
          headers: pub,
          body: JSON.stringify({ page: 'cart', sessionId, cart }),
        })
      ).json()) as {
        experiments: { experiment: string; variant: string }[];
        offers: { type: string; id?: string }[];
      };
      const variant = d.experiments[0]?.variant ?? null;
      served.set(sessionId, variant);
      // The variant decides what the shopper sees: a $60 cart is $15 short of the $75 threshold only.
      if (variant)
        assert.equal(
          d.offers.some((o) => o.type === 'free-shipping-progress'),
          variant === 't75',
          `${sessionId} in ${variant}`,
        );
      const events: Record<string, unknown>[] = [
        { idempotencyKey: `pv-${i}`, type: 'page_view', sessionId, occurredAt: now },
      ];
      // What the storefront showed: the decision's first offer, else its own message.
      const offerId = d.offers[0]?.id ?? 'store-message';
      if (variant && i % 2 === 0) {
        const tally = shown.get(variant) ?? { shown: 0, accepted: 0 };
        shown.set(variant, tally);
        tally.shown++;
        events.push({ idempotencyKey: `os-${i}`, type: 'offer_shown', sessionId, occurredAt: now, offerId });
        if (i % 3 === 0) {
          tally.accepted++;
          events.push({
            idempotencyKey: `oa-${i}`,
            type: 'offer_accepted',
            sessionId,
            occurredAt: now,
            offerId,
          });
        }
      }
      const r = await fetch(`${server.url}/v1/events`, {
        method: 'POST',
        headers: pub,
        body: JSON.stringify({ events }),
      });
      assert.equal(r.status, 202);
      if (i % 4 === 0) {
        const purchase = {
          idempotencyKey: `buy-${i}`,
          type: 'purchase',
          sessionId,
          occurredAt: now,
          orderId: `o-${i}`,
          lines: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 6000 + (i % 7) * 500 }],
        };
        const p = await fetch(`${server.url}/v1/events`, {
          method: 'POST',
          headers: sec,
          body: JSON.stringify({ events: [purchase] }),
        });
        assert.equal(p.status, 202);
      }
    }
  } finally {
    await server.stop();
  }
  assert.equal((await cli(['--store', store, 'ingest', 'api-events'])).code, 0);
  const listed = await cli(['--store', store, 'experiment', 'list', '--config', config]);
  assert.match(listed.stdout, /ship-50-75 {2}2026-01-01\.\.open \(running\), control 0\.5 \/ t75 0\.5/);
  const { code, json } = await cliJson([
    '--store',
    store,
    'experiment',
    'show',
    'ship-50-75',
    '--config',
    config,
  ]);
  assert.equal(code, 0);
  const a = json.analysis;
  const count = (v: string) => [...served.values()].filter((x) => x === v).length;
  // Every session the server decided in a variant is counted in that variant, and only those.
  assert.deepEqual(
    a.variants.map((v: { id: string; n: number }) => [v.id, v.n]),
    [
      ['control', count('control')],
      ['t75', count('t75')],
    ],
  );
  assert.ok(count('control') > 100 && count('t75') > 100);
  assert.equal(a.srm.flagged, false);
  assert.equal(a.control, 'control');
  const orders = a.variants.reduce(
    (s: number, v: { cvr: { value: number }; n: number }) => s + v.cvr.value * v.n,
    0,
  );
  assert.equal(
    Math.round(orders),
    [...served].filter(([id, v]) => v && Number(id.slice(2)) % 4 === 0).length,
  );
  // Guardrails beside the levers: acceptance as counted above; no refunds came through the API, so none to compare.
  const side = a.comparisons[0].side;
  const rate = (v: string) => shown.get(v)!.accepted / shown.get(v)!.shown;
  assert.ok(shown.get('control')!.shown >= 30 && shown.get('t75')!.shown >= 30, JSON.stringify([...shown]));
  assert.ok(Math.abs(side.acceptance.before - rate('control')) < 1e-12, `${side.acceptance.before}`);
  assert.ok(Math.abs(side.acceptance.after - rate('t75')) < 1e-12, `${side.acceptance.after}`);
  assert.deepEqual([side.refunds.before, side.refunds.after], [0, 0]);
  assert.deepEqual(a.guardrails, ['cvr', 'aov', 'refunds', 'acceptance']);
  const text = await cli(['--store', store, 'experiment', 'show', 'ship-50-75', '--config', config]);
  assert.match(text.stdout, /offer acceptance +\d+\.\d+% +\d+\.\d+% +[+−]/);
  assert.match(text.stdout, /refund share +0\.00% +0\.00% +none in either variant/);
  const unknown = await cli(['--store', store, 'experiment', 'show', 'ship-60', '--config', config]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown experiment ship-60: the configuration has ship-50-75/);
});
