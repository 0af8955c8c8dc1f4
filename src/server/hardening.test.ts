import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { LeversError } from '../core/errors.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel } from '../core/recs/model.js';
import { Serving } from '../app/serving.js';
import { JsonlEventLog } from '../store/files/event-log.js';
import type { AppendResult, StoredEvent } from '../store/port.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import { KeyRing } from './keys.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const model = buildModel(
  encodeBaskets(Array.from({ length: 20 }, () => ['maker', 'filters'])),
  new Map(),
  { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
  { version: 1, createdAt: '', currency: 'USD' },
);
const NOW = new Date('2026-03-01T12:00:00Z');

async function server(
  over: Record<string, unknown> = {},
  events?: { append(e: readonly StoredEvent[]): AppendResult; size: number; degraded: string | null },
) {
  const config = parseServerConfig({
    publishableKeys: [PUB],
    secretKeys: [SECRET],
    allowedOrigins: ['https://shop.example.com'],
    ...over,
  });
  const log = events ?? new JsonlEventLog(join(mkdtempSync(join(tmpdir(), 'levers-hard-')), 'events.jsonl'));
  const app = await buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories: new Map() }),
    events: log,
    clock: () => NOW,
  });
  return { app, log };
}
const json = { 'content-type': 'application/json' };
const pub = { ...json, authorization: `Bearer ${PUB}` };
const event = (over: Record<string, unknown> = {}) => ({
  idempotencyKey: `k-${Math.random()}`,
  type: 'page_view',
  sessionId: 's',
  occurredAt: '2026-03-01T11:00:00Z',
  ...over,
});
const post = (
  app: Awaited<ReturnType<typeof server>>['app'],
  events: unknown[],
  headers: Record<string, string> = pub,
) => app.inject({ method: 'POST', url: '/v1/events', headers, payload: { events } });

test(
  'the publishable key cannot store what the store cannot hold: int32 counts, amounts in range, the ' +
    "store's currency, times near the clock",
  async () => {
    const { app } = await server();
    const cases: [Record<string, unknown>, string][] = [
      [{ type: 'add_to_cart', quantity: 2 ** 31 }, 'events.0.quantity'],
      [{ type: 'purchase', valueMinor: 2 ** 53 }, 'events.0.valueMinor'],
      // One store, one currency: acknowledged here, an event in another would be refused by the loader later.
      [{ type: 'purchase', currency: 'EUR', valueMinor: 4_900 }, 'events.0.currency'],
      [{ occurredAt: '1956-03-01T11:00:00Z' }, 'events.0.occurredAt'],
      [{ occurredAt: '2026-03-02T12:00:00Z' }, 'events.0.occurredAt'],
      [{ sessionId: 'a\u0000b' }, 'events.0.sessionId'],
    ];
    for (const [over, field] of cases) {
      const r = await post(app, [event(over)]);
      assert.equal(r.statusCode, 400, JSON.stringify(over));
      assert.equal(r.json().error.field, field, r.body);
    }
    assert.equal(
      (await post(app, [event({ type: 'add_to_cart', quantity: 3, valueMinor: 4000 })])).statusCode,
      202,
    );
  },
);

test(
  "a purchase reported by the browser is capped and marked client-reported; the store's own systems use " +
    'the secret key',
  async () => {
    const { app, log } = await server({ clientOrderMaxMinor: 500_000 });
    const million = event({ type: 'purchase', orderId: 'o-1', valueMinor: 100_000_000 });
    const r = await post(app, [million]);
    assert.equal(r.statusCode, 400);
    assert.match(r.json().error.message, /at most 500000 minor units/);
    const trusted = await post(app, [million], { ...json, authorization: `Bearer ${SECRET}` });
    assert.equal(trusted.statusCode, 202);
    assert.equal(
      (await post(app, [event({ type: 'purchase', orderId: 'o-2', valueMinor: 4_900 })])).statusCode,
      202,
    );
    const logged = readFileSync((log as JsonlEventLog).file, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l));
    assert.deepEqual(
      logged.map((e) => [e.orderId, e.source]),
      [
        ['o-1', 'server'],
        ['o-2', 'client'],
      ],
    );
  },
);

test('other sites are refused, reads and writes, in the error envelope; so are unknown routes', async () => {
  const { app } = await server();
  const evil = await post(app, [event()], { ...pub, origin: 'https://evil.example.net' });
  assert.deepEqual([evil.statusCode, evil.json().error.code], [403, 'ORIGIN_NOT_ALLOWED']);
  const pre = await app.inject({
    method: 'OPTIONS',
    url: '/v1/events',
    headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
  });
  assert.deepEqual([pre.statusCode, pre.json().error.code], [403, 'ORIGIN_NOT_ALLOWED']);
  assert.equal((await post(app, [event()], { ...pub, origin: 'https://shop.example.com' })).statusCode, 202);
  const missing = await app.inject({ method: 'GET', url: '/v1/nothing?key=sk_secret' });
  assert.deepEqual([missing.statusCode, missing.json().error.code], [404, 'NOT_FOUND']);
  assert.doesNotMatch(missing.body, /sk_secret/, 'the query string is not echoed');
});

test(
  'keys: the bearer scheme in any case; failed authentications limited per address; compared in ' +
    'constant time',
  async () => {
    const { app } = await server({ rateLimitPerMinute: { failedAuth: 3 } });
    const lower = await app.inject({
      method: 'POST',
      url: '/v1/decide',
      headers: { ...json, authorization: `bearer ${PUB}` },
      payload: { page: 'cart', sessionId: 's', cart: [] },
    });
    assert.equal(lower.statusCode, 200, lower.body);
    const guess = () =>
      app.inject({
        method: 'POST',
        url: '/v1/decide',
        headers: { ...json, authorization: 'Bearer pk_guess_000000000000' },
        payload: {},
      });
    assert.deepEqual(
      await Promise.all([guess(), guess(), guess()]).then((rs) => rs.map((r) => r.statusCode)),
      [401, 401, 401],
    );
    const fourth = await guess();
    assert.deepEqual([fourth.statusCode, fourth.json().error.code], [429, 'RATE_LIMITED']);
    assert.ok(Number(fourth.headers['retry-after']) >= 1);
    const ring = new KeyRing([PUB], [SECRET]);
    assert.deepEqual(
      [ring.scopeOf(PUB), ring.scopeOf(SECRET), ring.scopeOf(PUB.slice(0, -1)), ring.scopeOf('')],
      ['publishable', 'secret', null, null],
    );
    // Only the whole key: not one character more or different, not a key's own prefix or a longer key's.
    const other = (k: string) => `${k.slice(0, -1)}${k.endsWith('0') ? '1' : '0'}`;
    assert.deepEqual(
      [
        `${PUB}0`,
        other(PUB),
        `0${PUB.slice(1)}`,
        `${PUB}\u0000`,
        PUB.toUpperCase(),
        SECRET.slice(0, PUB.length),
      ].map((k) => ring.scopeOf(k)),
      [null, null, null, null, null, null],
    );
  },
);

test(
  'behind a proxy: with trustProxy each shopper has its own bucket; without it X-Forwarded-For is ' +
    'ignored',
  async () => {
    for (const [trustProxy, expect] of [
      [true, [200, 200, 200, 200]],
      [false, [200, 200, 429, 429]],
    ] as const) {
      const { app } = await server({ trustProxy, rateLimitPerMinute: { publishable: 2 } });
      const ask = (ip: string) =>
        app
          .inject({
            method: 'POST',
            url: '/v1/decide',
            remoteAddress: '10.0.0.1',
            headers: { ...pub, 'x-forwarded-for': ip },
            payload: { page: 'cart', sessionId: 's', cart: [] },
          })
          .then((r) => r.statusCode);
      assert.deepEqual(
        [await ask('1.1.1.1'), await ask('2.2.2.2'), await ask('1.1.1.1'), await ask('2.2.2.2')],
        expect,
        `trustProxy ${trustProxy}`,
      );
    }
  },
);

test(
  'when events cannot be stored: 503 with Retry-After, nothing acknowledged, the health check says ' +
    'degraded',
  async () => {
    let full = true;
    const sink = {
      size: 0,
      degraded: null as string | null,
      append(e: readonly StoredEvent[]): AppendResult {
        if (full) {
          sink.degraded = 'the disk is full';
          throw new LeversError('EVENTS_UNAVAILABLE', { detail: 'the disk is full' });
        }
        sink.degraded = null;
        sink.size += e.length;
        return { accepted: e.length, duplicates: 0 };
      },
    };
    const { app } = await server({}, sink);
    const r = await post(app, [event()]);
    assert.deepEqual([r.statusCode, r.json().error.code], [503, 'EVENTS_UNAVAILABLE']);
    assert.equal(r.headers['retry-after'], '5');
    const h = (await app.inject({ method: 'GET', url: '/healthz' })).json();
    assert.deepEqual([h.status, h.eventsWritable], ['degraded', false]);
    assert.match(h.problem, /disk is full/);
    assert.equal(
      (
        await app.inject({
          method: 'POST',
          url: '/v1/decide',
          headers: pub,
          payload: { page: 'cart', sessionId: 's', cart: [] },
        })
      ).statusCode,
      200,
      'decisions still answer from memory',
    );
    full = false;
    assert.equal((await post(app, [event()])).statusCode, 202);
    assert.equal((await app.inject({ method: 'GET', url: '/healthz' })).json().status, 'ok');
  },
);

test('a request that computes longer than the request timeout still gets its answer; a silent connection is closed', async () => {
  const config = parseServerConfig({ publishableKeys: [PUB], secretKeys: [SECRET], requestTimeoutMs: 300 });
  const app = await buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories: new Map() }),
    events: new JsonlEventLog(join(mkdtempSync(join(tmpdir(), 'levers-slow-')), 'events.jsonl')),
    clock: () => NOW,
    // A report on a large store: four times the timeout.
    report: () => new Promise((resolve) => setTimeout(() => resolve({ slow: true }), 1_200)),
  });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  try {
    const r = await fetch(`${url}/v1/report`, { headers: { authorization: `Bearer ${SECRET}` } });
    assert.equal(r.status, 200);
    assert.deepEqual(await r.json(), { slow: true });
    // A client that connects and sends nothing does not hold its connection for long.
    const { port } = new URL(url);
    const closed = await new Promise<boolean>((resolve) => {
      const s = connect(Number(port), '127.0.0.1');
      s.on('close', () => resolve(true));
      s.on('error', () => {});
      setTimeout(() => resolve(false), 10_000).unref();
    });
    assert.ok(closed, 'a silent connection is closed');
  } finally {
    await app.close();
  }
});
