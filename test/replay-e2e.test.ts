import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReplayTally } from '../src/sim/replay.js';
import { cli, cliJson, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

test(
  'a simulated day replayed through the API shows up in levers report: offer acceptance and holdout vs ' +
    'treated RPS',
  async () => {
    const store = tempDir();
    // History to mine (ends 2026-01-25), then a day a week later replayed through the running server.
    assert.equal(
      (await cli(['--store', store, 'simulate', '--seed', '3', '--days', '21', '--sessions-per-day', '800']))
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
        rateLimitPerMinute: { publishable: 100_000 },
        offers: {
          holdoutShare: 0.2,
          freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
          volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
          bundles: [
            {
              id: 'brew',
              title: 'Brew set',
              items: ['cm-basic', 'filters-100', 'beans-house'],
              percentOff: 10,
            },
          ],
          messages: { returning: 'Welcome back! Free shipping over {threshold}.' },
        },
      }),
    );
    const server = await startCli(['--store', store, 'serve', '--port', '0', '--config', config]);
    let replay: { code: number; json: ReplayTally; stderr: string };
    try {
      replay = await cliJson<ReplayTally>([
        'replay',
        '--url',
        server.url,
        '--key',
        PUB,
        '--date',
        '2026-02-02',
        '--sessions',
        '1500',
      ]);
    } finally {
      assert.equal(await server.stop(), 0);
    }
    assert.equal(replay.code, 0, replay.stderr);
    const t = replay.json;
    assert.ok(
      t.sessions.treatment > 0 && t.sessions.holdout > 0 && t.orders.treatment > 0 && t.orders.holdout > 0,
      JSON.stringify(t),
    );
    assert.ok((t.offers['cross-sell']?.accepted ?? 0) > 0, 'some cross-sells are accepted');

    const load = await cliJson(['--store', store, 'ingest', 'api-events']);
    assert.equal(load.code, 0, load.stderr);
    assert.deepEqual(load.json.rows, { read: t.events, loaded: t.events, rejected: 0, skipped: 0 });

    const r = await cliJson([
      '--store',
      store,
      'report',
      '--from',
      '2026-02-02',
      '--to',
      '2026-02-02',
      '--no-clv',
    ]);
    assert.equal(r.code, 0, r.stderr);
    const o = r.json.offers;
    // What the storefront did (the replay's own tally) is exactly what the report reads back from the events.
    for (const [type, v] of Object.entries(
      t.offers as Record<string, { shown: number; accepted: number; declined: number }>,
    )) {
      const got = o.byType.find((x: { type: string }) => x.type === type);
      assert.deepEqual({ shown: got?.shown, accepted: got?.accepted, declined: got?.declined }, v, type);
    }
    assert.equal(
      o.shown,
      Object.values(t.offers as Record<string, { shown: number }>).reduce((s, v) => s + v.shown, 0),
    );
    for (const g of ['treatment', 'holdout'] as const) {
      assert.equal(o[g].sessions, t.sessions[g], `${g} sessions`);
      assert.equal(o[g].orders, t.orders[g], `${g} orders`);
      assert.equal(o[g].revenueMinor, t.revenueMinor[g], `${g} revenue`);
    }
    const rps = (g: 'treatment' | 'holdout') => t.revenueMinor[g] / t.sessions[g];
    assert.ok(Math.abs(o.lift.rps.relative.value - (rps('treatment') / rps('holdout') - 1)) < 1e-12);
    assert.ok(
      o.lift.rps.relative.low < o.lift.rps.relative.value &&
        o.lift.rps.relative.value < o.lift.rps.relative.high,
    );
    assert.match(o.verdict, /95% CI/);

    const text = await cli([
      '--store',
      store,
      'report',
      '--from',
      '2026-02-02',
      '--to',
      '2026-02-02',
      '--no-clv',
    ]);
    assert.match(
      text.stdout,
      /Offers ─+\n {2}[\d,]+ shown, [\d,]+ accepted \(\d+\.\d%\)\n {2}offer type +shown/,
    );
    assert.match(
      text.stdout,
      /\n {2}RPS +\$\d+\.\d\d +\$\d+\.\d\d +[+−]\d+\.\d% +[+−]\d+\.\d% to [+−]\d+\.\d%/,
    );
    assert.match(text.stdout, /\n {2}sessions +[\d,]+ +[\d,]+\n/);
    // The day before the replayed one has no data: nothing is compared, and the report says so, never a change
    // from nothing.
    assert.match(
      text.stdout,
      /no data in the comparison window \d{4}-\d\d-\d\d\.\.\d{4}-\d\d-\d\d: nothing is compared/,
    );
    assert.match(text.stdout, /No earlier data to compare with\./);
  },
);
