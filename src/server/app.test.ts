import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel, type ItemMeta } from '../core/recs/model.js';
import { assign } from '../core/experiments/assign.js';
import { LoggedApiEvent } from '../core/model/api-event.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import { Serving } from '../app/serving.js';
import { JsonlEventLog as EventLog } from '../store/files/event-log.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const meta = (id: string, price: number, cost: number): ItemMeta => ({
  id,
  title: id,
  category: null,
  family: null,
  priceMinor: price,
  costMinor: cost,
});
const model = buildModel(
  encodeBaskets(Array.from({ length: 40 }, (_, i) => ['maker', 'filters', ...(i % 2 ? ['beans'] : [])])),
  new Map([
    ['maker', meta('maker', 4000, 2600)],
    ['filters', meta('filters', 900, 200)],
    ['beans', meta('beans', 1400, 700)],
  ]),
  { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
  { version: 3, createdAt: '', currency: 'USD' },
);

async function app(over: Record<string, unknown> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'levers-server-'));
  const config = parseServerConfig({
    publishableKeys: [PUB],
    secretKeys: [SECRET],
    allowedOrigins: ['https://shop.example.com'],
    bodyLimitBytes: 4096,
    offers: { freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 } },
    ...over,
  });
  const events = new EventLog(join(dir, 'events.jsonl'));
  // The events below happen on 2026-01-05: the server's clock is a day later.
  const clock = () => new Date('2026-01-06T00:00:00Z');
  return {
    a: await buildApp({
      config: () => config,
      serving: new Serving({ model, offers: config.offers, histories: new Map() }),
      events,
      clock,
    }),
    events,
    dir,
  };
}
const pub = { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' };
const decideBody = {
  page: 'cart',
  sessionId: 's-1',
  cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
};

test(
  'decide answers with offers, reasons and the model version; unknown products are noted, not ' + 'errors',
  async () => {
    const { a } = await app();
    const r = await a.inject({
      method: 'POST',
      url: '/v1/decide',
      headers: pub,
      payload: {
        ...decideBody,
        cart: [...decideBody.cart, { productId: 'ghost', quantity: 1, unitPriceMinor: 100 }],
      },
    });
    assert.equal(r.statusCode, 200, r.body);
    const j = r.json();
    assert.equal(j.model, 3);
    assert.equal(typeof j.reason, 'string');
    assert.ok(j.offers.length <= 2);
    assert.deepEqual([j.notes[0].code, j.notes[0].productId], ['UNKNOWN_PRODUCT', 'ghost']);
    assert.match(j.notes[0].text, /unknown product ghost/);
  },
);

test(
  'malformed JSON, missing fields, wrong types and oversize bodies get a 4xx that says what to ' + 'fix',
  async () => {
    const { a } = await app();
    const post = (payload: string | object) =>
      a.inject({ method: 'POST', url: '/v1/decide', headers: pub, payload });
    const bad = await post('{"page": "cart",');
    assert.equal(bad.statusCode, 400);
    assert.equal(bad.json().error.code, 'INVALID_JSON');
    const missing = await post({ page: 'cart' });
    assert.equal(missing.statusCode, 400);
    assert.match(missing.json().error.message, /^sessionId: /);
    const wrong = await post({
      ...decideBody,
      cart: [{ productId: 'maker', quantity: 'two', unitPriceMinor: 4000 }],
    });
    assert.equal(wrong.statusCode, 400);
    assert.equal(wrong.json().error.field, 'cart.0.quantity');
    const extra = await post({ ...decideBody, coupon: 'X' });
    assert.equal(extra.statusCode, 400);
    const big = await post({ ...decideBody, sessionId: 'x'.repeat(5000) });
    assert.equal(big.statusCode, 413);
    assert.match(big.json().error.message, /over 4096 bytes/);
    const ev = await a.inject({
      method: 'POST',
      url: '/v1/events',
      headers: pub,
      payload: {
        events: [
          { idempotencyKey: 'k', type: 'teleport', sessionId: 's', occurredAt: '2026-01-05T10:00:00Z' },
        ],
      },
    });
    assert.equal(ev.statusCode, 400);
    assert.equal(ev.json().error.field, 'events.0.type');
  },
);

test('keys: missing or unknown is 401, publishable keys cannot read secret endpoints', async () => {
  const { a } = await app();
  assert.equal((await a.inject({ method: 'POST', url: '/v1/decide', payload: decideBody })).statusCode, 401);
  assert.equal(
    (
      await a.inject({
        method: 'POST',
        url: '/v1/decide',
        headers: { authorization: 'Bearer nope' },
        payload: decideBody,
      })
    ).statusCode,
    401,
  );
  const r = await a.inject({ method: 'GET', url: '/v1/recommendations?cart=maker', headers: pub });
  assert.equal(r.statusCode, 403);
  assert.match(r.json().error.message, /needs a secret key/);
  const ok = await a.inject({
    method: 'GET',
    url: '/v1/recommendations?cart=maker&k=2',
    headers: { authorization: `Bearer ${SECRET}` },
  });
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().items[0].id, 'filters');
  assert.equal(
    (await a.inject({ method: 'GET', url: '/v1/report', headers: { 'x-levers-key': SECRET } })).statusCode,
    409,
  );
});

test('CORS: configured origins only', async () => {
  const { a } = await app();
  const pre = (origin: string) =>
    a.inject({
      method: 'OPTIONS',
      url: '/v1/decide',
      headers: {
        origin,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });
  assert.equal(
    (await pre('https://shop.example.com')).headers['access-control-allow-origin'],
    'https://shop.example.com',
  );
  assert.equal((await pre('https://evil.example.net')).headers['access-control-allow-origin'], undefined);
});

test(
  'events: idempotency keys deduplicate, acknowledged events survive a restart, a torn tail is ' + 'skipped',
  async () => {
    const { a, events, dir } = await app();
    const batch = {
      events: [1, 2, 3].map((n) => ({
        idempotencyKey: `e${n}`,
        type: 'add_to_cart',
        sessionId: 's-1',
        occurredAt: '2026-01-05T10:00:00Z',
        productId: 'maker',
        quantity: 1,
      })),
    };
    const r1 = await a.inject({ method: 'POST', url: '/v1/events', headers: pub, payload: batch });
    assert.equal(r1.statusCode, 202);
    assert.deepEqual(r1.json(), { accepted: 3, duplicates: 0 });
    assert.deepEqual(
      (await a.inject({ method: 'POST', url: '/v1/events', headers: pub, payload: batch })).json(),
      { accepted: 0, duplicates: 3 },
    );
    events.close();
    appendFileSync(join(dir, 'events.jsonl'), '{"idempotencyKey":"torn"');
    const again = new EventLog(join(dir, 'events.jsonl'));
    assert.equal(again.size, 3);
    assert.deepEqual(again.append([{ idempotencyKey: 'e3' }, { idempotencyKey: 'e4' }]), {
      accepted: 1,
      duplicates: 1,
    });
    again.close();
    const lines = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter((l) => l.startsWith('{"idempotencyKey":"e'));
    assert.equal(lines.length, 4);
    // The server stamps what the report needs: arrival time, the store's currency and the unit's
    // global-holdout assignment.
    const first = LoggedApiEvent.parse(JSON.parse(lines[0]!));
    assert.equal(first.currency, 'USD');
    assert.equal(
      first.assignment,
      assign({ experiment: 'offers-v1', unit: 's-1', holdoutShare: 0.05, variants: [] }).inHoldout
        ? 'holdout'
        : 'treatment',
    );
  },
);

test(
  'events: a purchase carries its order; the assignment follows the customer id when there is ' + 'one',
  async () => {
    // Find a customer in the holdout and one treated, so both stampings are exercised.
    const ids = Array.from({ length: 400 }, (_, i) => `c-${i}`);
    const held = ids.find(
      (u) => assign({ experiment: 'x', unit: u, holdoutShare: 0.05, variants: [] }).inHoldout,
    )!;
    const treated = ids.find(
      (u) => !assign({ experiment: 'x', unit: u, holdoutShare: 0.05, variants: [] }).inHoldout,
    )!;
    const { a, dir } = await app({ offers: { currency: 'EUR' } });
    const ev = (k: string, customerId: string) => ({
      idempotencyKey: k,
      type: 'purchase',
      sessionId: 's-9',
      customerId,
      occurredAt: '2026-01-05T10:00:00+01:00',
      orderId: `o-${k}`,
      valueMinor: 5800,
      lines: [
        { productId: 'maker', quantity: 1, unitPriceMinor: 4000 },
        { productId: 'filters', quantity: 2, unitPriceMinor: 900 },
      ],
    });
    assert.equal(
      (
        await a.inject({
          method: 'POST',
          url: '/v1/events',
          headers: pub,
          payload: { events: [ev('p1', held), ev('p2', treated)] },
        })
      ).statusCode,
      202,
    );
    const logged = readFileSync(join(dir, 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => LoggedApiEvent.parse(JSON.parse(l)));
    assert.deepEqual(
      logged.map((e) => [e.assignment, e.currency, e.lines?.length]),
      [
        ['holdout', 'EUR', 2],
        ['treatment', 'EUR', 2],
      ],
    );
    const bad = await a.inject({
      method: 'POST',
      url: '/v1/events',
      headers: pub,
      payload: {
        events: [{ ...ev('p3', held), lines: [{ productId: 'maker', quantity: 0, unitPriceMinor: 4000 }] }],
      },
    });
    assert.equal(bad.statusCode, 400);
    assert.match(bad.json().error.message, /events\.0\.lines\.0\.quantity: must be at least 1/);
  },
);

test('the OpenAPI document and health check', async () => {
  const { a } = await app();
  const doc = (await a.inject({ method: 'GET', url: '/v1/openapi.json' })).json();
  assert.equal(doc.openapi, '3.1.0');
  assert.ok(doc.paths['/v1/decide'] && doc.paths['/v1/events']);
  assert.deepEqual((await a.inject({ method: 'GET', url: '/healthz' })).json(), {
    ok: true,
    status: 'ok',
    model: 3,
    events: 0,
    eventsWritable: true,
    decisionCache: { hits: 0, misses: 0 },
    // The configuration file's offers, no bandit's published weights.
    offers: { source: 'file' },
    weights: {},
  });
});

test('server configuration errors name the key', () => {
  assert.throws(
    () => parseServerConfig({ publishableKeys: ['short'], secretKeys: [SECRET] }),
    /publishableKeys\.0 keys must be at least 16/,
  );
  assert.throws(
    () =>
      parseServerConfig({
        publishableKeys: [PUB],
        secretKeys: [SECRET],
        offers: { freeShipping: { thresholdMinor: 0, shippingFeeMinor: 1 } },
      }),
    /offers\.freeShipping\.thresholdMinor must be above 0/,
  );
  assert.throws(
    () => parseServerConfig({ publishableKeys: [PUB], secretKeys: [SECRET], port: 1 }),
    /unknown key\(s\) port/,
  );
});

test(
  'rate limits: a publishable key per shopper address, a secret key per key; 429 says when to ' + 'retry',
  async () => {
    const { a } = await app({ rateLimitPerMinute: { publishable: 3, secret: 2 } });
    const decideFrom = (ip: string) =>
      a.inject({ method: 'POST', url: '/v1/decide', headers: pub, payload: decideBody, remoteAddress: ip });
    for (let i = 0; i < 3; i++) assert.equal((await decideFrom('10.0.0.1')).statusCode, 200);
    const limited = await decideFrom('10.0.0.1');
    assert.equal(limited.statusCode, 429);
    assert.equal(limited.json().error.code, 'RATE_LIMITED');
    assert.match(
      limited.json().error.message,
      /more than 3 requests a minute with this key from this address; retry in \d+ s/,
    );
    assert.match(String(limited.headers['retry-after']), /^\d+$/);
    assert.equal(
      (await decideFrom('10.0.0.2')).statusCode,
      200,
      'another shopper is not throttled by the first',
    );
    const secret = { authorization: `Bearer ${SECRET}` };
    const rec = (ip: string) =>
      a.inject({ method: 'GET', url: '/v1/recommendations?cart=maker', headers: secret, remoteAddress: ip });
    assert.equal((await rec('10.0.0.1')).statusCode, 200);
    assert.equal((await rec('10.0.0.2')).statusCode, 200);
    assert.equal(
      (await rec('10.0.0.3')).statusCode,
      429,
      'a secret key is limited as a whole, wherever it calls from',
    );
  },
);

const SEC = { authorization: `Bearer ${SECRET}` };
const event = {
  idempotencyKey: 'k1',
  type: 'page_view',
  sessionId: 's-1',
  occurredAt: '2026-01-05T10:00:00Z',
};
const BODY_ENDPOINTS = [
  {
    url: '/v1/decide',
    good: decideBody,
    missing: { page: 'cart' },
    missingField: 'sessionId',
    wrong: { ...decideBody, page: 7 },
    wrongField: 'page',
    oversize: { ...decideBody, sessionId: 'x'.repeat(5000) },
  },
  {
    url: '/v1/events',
    good: { events: [event] },
    missing: { events: [{ ...event, idempotencyKey: undefined }] },
    missingField: 'events.0.idempotencyKey',
    wrong: { events: [{ ...event, quantity: 'two' }] },
    wrongField: 'events.0.quantity',
    oversize: { events: Array.from({ length: 60 }, (_, i) => ({ ...event, idempotencyKey: `k${i}` })) },
  },
];

for (const e of BODY_ENDPOINTS) {
  test(
    `POST ${e.url}: malformed JSON, missing fields, wrong types, oversize bodies, wrong or missing ` +
      `keys, a foreign origin`,
    async () => {
      const { a } = await app();
      const post = (payload: string | object, headers: Record<string, string> = pub) =>
        a.inject({ method: 'POST', url: e.url, headers, payload });
      assert.ok([200, 202].includes((await post(e.good)).statusCode));
      const malformed = await post('{"events": [');
      assert.deepEqual([malformed.statusCode, malformed.json().error.code], [400, 'INVALID_JSON']);
      assert.match(malformed.json().error.message, /not valid JSON/);
      const empty = await post('');
      assert.deepEqual([empty.statusCode, empty.json().error.code], [400, 'INVALID_JSON']);
      const missing = await post(e.missing);
      assert.deepEqual([missing.statusCode, missing.json().error.field], [400, e.missingField]);
      const wrong = await post(e.wrong);
      assert.deepEqual([wrong.statusCode, wrong.json().error.field], [400, e.wrongField]);
      const unknownField = await post({ ...e.good, coupon: 'X' });
      assert.equal(unknownField.statusCode, 400);
      assert.match(unknownField.json().error.message, /unknown field\(s\) coupon/);
      const big = await post(e.oversize);
      assert.deepEqual([big.statusCode, big.json().error.code], [413, 'BODY_TOO_LARGE']);
      const xml = await a.inject({
        method: 'POST',
        url: e.url,
        headers: { ...pub, 'content-type': 'application/xml' },
        payload: '<cart/>',
      });
      assert.deepEqual([xml.statusCode, xml.json().error.code], [415, 'UNSUPPORTED_MEDIA_TYPE']);
      const beacon = await a.inject({
        method: 'POST',
        url: e.url,
        headers: { ...pub, 'content-type': 'text/plain;charset=UTF-8' },
        payload: JSON.stringify(e.good),
      });
      assert.ok([200, 202].includes(beacon.statusCode), "a beacon's text/plain JSON is read as JSON");
      assert.equal(
        (await post(e.good, { 'content-type': 'application/json' })).json().error.code,
        'MISSING_KEY',
      );
      assert.equal(
        (
          await post(e.good, {
            'content-type': 'application/json',
            authorization: 'Bearer pk_nobody_0123456789',
          })
        ).json().error.code,
        'UNKNOWN_KEY',
      );
      assert.ok(
        [200, 202].includes(
          (await post(e.good, { 'content-type': 'application/json', 'x-levers-key': SECRET })).statusCode,
        ),
        'a secret key may call it too',
      );
      const foreign = await a.inject({
        method: 'OPTIONS',
        url: e.url,
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'POST' },
      });
      assert.equal(foreign.headers['access-control-allow-origin'], undefined);
      const own = await post(e.good, { ...pub, origin: 'https://shop.example.com' });
      assert.equal(own.headers['access-control-allow-origin'], 'https://shop.example.com');
    },
  );
}

test(
  'GET /v1/recommendations and /v1/report: wrong types, unknown or oversize parameters, wrong or ' +
    'missing keys, a foreign origin',
  async () => {
    const { a } = await app();
    const get = (url: string, headers: Record<string, string> = SEC) =>
      a.inject({ method: 'GET', url, headers });
    assert.equal((await get('/v1/recommendations?cart=maker&k=3')).statusCode, 200);
    const k = await get('/v1/recommendations?cart=maker&k=many');
    assert.deepEqual([k.statusCode, k.json().error.field], [400, 'k']);
    const page = await get('/v1/recommendations?cart=maker&page=basket');
    assert.deepEqual([page.statusCode, page.json().error.field], [400, 'page']);
    const unknown = await get('/v1/recommendations?cart=maker&sort=price');
    assert.equal(unknown.statusCode, 400);
    assert.match(unknown.json().error.message, /^query: unknown parameter\(s\) sort/);
    const long = await get(`/v1/recommendations?cart=${'maker,'.repeat(1000)}`);
    assert.deepEqual([long.statusCode, long.json().error.field], [400, 'cart']);
    const reportParam = await get('/v1/report?periods=week');
    assert.match(reportParam.json().error.message, /^query: unknown parameter\(s\) periods/);
    const badPeriod = await get('/v1/report?period=fortnight');
    assert.deepEqual(
      [badPeriod.statusCode, badPeriod.json().error.field],
      [400, 'period'],
      'the report options are validated as the CLI validates them',
    );
    assert.equal((await get('/v1/report')).statusCode, 409, 'no store behind this app: said, not a crash');
    for (const url of ['/v1/recommendations?cart=maker', '/v1/report']) {
      assert.equal((await get(url, {})).json().error.code, 'MISSING_KEY');
      assert.equal(
        (await get(url, { authorization: 'Bearer sk_nobody_0123456789abcdef012' })).json().error.code,
        'UNKNOWN_KEY',
      );
      const publishable = await get(url, { authorization: `Bearer ${PUB}` });
      assert.deepEqual([publishable.statusCode, publishable.json().error.code], [403, 'SECRET_KEY_REQUIRED']);
      const foreign = await a.inject({
        method: 'OPTIONS',
        url,
        headers: { origin: 'https://evil.example.net', 'access-control-request-method': 'GET' },
      });
      assert.equal(foreign.headers['access-control-allow-origin'], undefined);
    }
  },
);

test(
  'decide: a customer with a history in the snapshot gets their due reorder; others are answered from ' +
    'the cache',
  async () => {
    const dir = mkdtempSync(join(tmpdir(), 'levers-server-'));
    const config = parseServerConfig({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      offers: { holdoutShare: 0, maxOffersPerDecision: 3 },
    });
    const today = Math.floor(Date.parse('2026-03-01T12:00:00Z') / 86_400_000);
    const histories = new Map([
      [
        'c-7',
        [
          { day: today - 60, items: ['beans'] },
          { day: today - 30, items: ['beans'] },
        ],
      ],
    ]);
    const clock = () => new Date('2026-03-01T12:00:00Z');
    const a = await buildApp({
      config: () => config,
      serving: new Serving({ model, offers: config.offers, histories }, clock),
      events: new EventLog(join(dir, 'e.jsonl')),
      clock,
    });
    const ask = (customer?: string) =>
      a
        .inject({
          method: 'POST',
          url: '/v1/decide',
          headers: pub,
          payload: { ...decideBody, ...(customer ? { customer: { id: customer } } : {}) },
        })
        .then((r) => r.json());
    const known = await ask('c-7');
    assert.ok(
      known.offers.some(
        (o: { type: string; items: { productId: string }[] }) =>
          o.type === 'reorder' && o.items[0]!.productId === 'beans',
      ),
      JSON.stringify(known.offers),
    );
    const stranger = await ask('c-8');
    assert.ok(!stranger.offers.some((o: { type: string }) => o.type === 'reorder'));
    // The same cart without a history: computed for c-8 and c-9 (kept the second time), then a hit for c-10;
    // c-7 never counts.
    await ask('c-9');
    await ask('c-10');
    assert.deepEqual((await a.inject({ method: 'GET', url: '/healthz' })).json().decisionCache, {
      hits: 1,
      misses: 2,
    });
  },
);

test(
  'events from navigator.sendBeacon: text/plain JSON with the publishable key in the query; a secret ' +
    'key in a URL is refused',
  async () => {
    const { a } = await app();
    const beacon = (key: string) =>
      a.inject({
        method: 'POST',
        url: `/v1/events?key=${key}`,
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        payload: JSON.stringify({ events: [event] }),
      });
    const ok = await beacon(PUB);
    assert.equal(ok.statusCode, 202, ok.body);
    const secret = await beacon(SECRET);
    assert.deepEqual([secret.statusCode, secret.json().error.code], [400, 'SECRET_KEY_IN_URL']);
    const decide = await a.inject({
      method: 'POST',
      url: `/v1/decide?key=${PUB}`,
      headers: { 'content-type': 'application/json' },
      payload: decideBody,
    });
    assert.equal(
      decide.json().error.code,
      'MISSING_KEY',
      'only the beacon endpoint reads a key from the URL',
    );
  },
);
