import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { showExperiment } from '../src/app/experiment.js';
import { ingest } from '../src/app/ingest.js';
import { report } from '../src/app/report.js';
import { Serving } from '../src/app/serving.js';
import { encodeBaskets } from '../src/core/recs/baskets.js';
import { buildModel } from '../src/core/recs/model.js';
import { buildApp } from '../src/server/app.js';
import { parseServerConfig } from '../src/server/config.js';
import { DecideResponse, ErrorResponse } from '../src/server/contract.js';
import { openStore } from '../src/store/open.js';
import { thresholdExperiment } from './experiment-fixture.js';
import { tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const NOW = Date.parse('2026-03-01T12:00:00Z');
const RUNS = Number(process.env.LEVERS_PROPERTY_RUNS ?? 10_000);

// Values that break naive code: huge and negative numbers, non-integers, NUL and control characters, long
// text.
const nasty = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(2 ** 31, 2 ** 53, -1, 0, 1e308, -0),
  fc.string(),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    '\u0000',
    'x'.repeat(5000),
    '2026-03-01T11:00:00Z',
    '1900-01-01T00:00:00Z',
    'NaN',
    'USD',
    'JPY',
    'XXX',
  ),
  fc.boolean(),
  fc.constant(null),
  fc.jsonValue({ maxDepth: 3 }),
);
const id = fc.oneof(
  fc.constantFrom('maker', 'filters', 'ghost', 's-1', 'c-1'),
  fc.string({ minLength: 1, maxLength: 12 }),
);
const time = fc
  .integer({ min: NOW - 40 * 86_400_000, max: NOW + 2 * 3_600_000 })
  .map((t) => new Date(t).toISOString());
const maybe = <T>(a: fc.Arbitrary<T>) => fc.option(a, { nil: undefined });
const line = fc.record({
  productId: id,
  quantity: fc.oneof(fc.integer({ min: 1, max: 5 }), nasty),
  unitPriceMinor: fc.oneof(fc.integer({ min: 0, max: 10 ** 7 }), nasty),
});
const hostileEvent = fc.record(
  {
    idempotencyKey: fc.oneof(id, nasty),
    type: fc.oneof(
      fc.constantFrom('page_view', 'add_to_cart', 'purchase', 'offer_shown', 'offer_accepted'),
      nasty,
    ),
    sessionId: fc.oneof(id, nasty),
    occurredAt: fc.oneof(time, nasty),
    customerId: maybe(id),
    productId: maybe(id),
    quantity: maybe(fc.oneof(fc.integer({ min: 0, max: 10 }), nasty)),
    valueMinor: maybe(fc.oneof(fc.integer({ min: 0, max: 10 ** 8 }), nasty)),
    orderId: maybe(id),
    lines: maybe(fc.array(line, { maxLength: 4 })),
    currency: maybe(fc.constantFrom('USD', 'JPY', 'EUR', 'usd', 'XYZ')),
    device: maybe(fc.constantFrom('mobile', 'desktop', 'toaster')),
    offerId: maybe(id),
  },
  { requiredKeys: [] },
);
// Mostly well-formed events (so the happy path and the loader are exercised), with edge values where they are
// legal.
const goodLine = fc.record({
  productId: id,
  quantity: fc.oneof(fc.integer({ min: 1, max: 3 }), fc.constant(2 ** 31 - 1)),
  unitPriceMinor: fc.integer({ min: 0, max: 10 ** 5 }),
});
const goodEvent = fc.record(
  {
    idempotencyKey: fc.uuid(),
    type: fc.constantFrom(
      'page_view',
      'product_view',
      'add_to_cart',
      'purchase',
      'offer_shown',
      'offer_accepted',
    ),
    sessionId: fc.constantFrom('s-1', 's-2', 's-3', 'ünïcødé', 's'.repeat(200)),
    occurredAt: time,
    customerId: maybe(fc.constantFrom('c-1', 'c-2')),
    productId: maybe(id),
    quantity: maybe(fc.integer({ min: 0, max: 2 ** 31 - 1 })),
    valueMinor: maybe(fc.integer({ min: 0, max: 2 * 10 ** 6 })),
    orderId: maybe(fc.constantFrom('o-1', 'o-2', 'o-3')),
    lines: maybe(fc.array(goodLine, { minLength: 1, maxLength: 3 })),
    // The store's own currency (events in another are refused at the door: the hostile events send them).
    currency: maybe(fc.constant('USD')),
    device: maybe(fc.constantFrom('mobile', 'desktop')),
    offerId: maybe(id),
  },
  { requiredKeys: ['idempotencyKey', 'type', 'sessionId', 'occurredAt'] },
);
const apiEvent = fc.oneof({ weight: 3, arbitrary: goodEvent }, { weight: 1, arbitrary: hostileEvent });
const decideBody = fc.record(
  {
    page: fc.oneof(fc.constantFrom('product', 'cart', 'checkout', 'thankyou'), nasty),
    sessionId: fc.oneof(id, nasty),
    cart: fc.oneof(fc.array(line, { maxLength: 5 }), nasty),
    productId: maybe(id),
    customer: maybe(
      fc.record(
        { id, spendMinor: maybe(fc.oneof(fc.integer({ min: 0, max: 10 ** 6 }), nasty)) },
        { requiredKeys: ['id'] },
      ),
    ),
    visitorType: maybe(fc.constantFrom('new', 'returning', 'vip', 'alien')),
    exiting: maybe(fc.oneof(fc.boolean(), nasty)),
  },
  { requiredKeys: [] },
);
const request = fc.record({
  route: fc.constantFrom(
    'POST /v1/decide',
    'POST /v1/events',
    'POST /v1/events',
    'POST /v1/events',
    'GET /v1/recommendations',
    'GET /v1/report',
    'POST /v1/events/load',
    'GET /v1/experiments',
    'GET /v1/experiments/holdout',
    'GET /v1/experiments/ship-50-75',
    'GET /v1/experiments/ship-60',
    'GET /healthz',
    'GET /v1/openapi.json',
    'GET /nowhere',
    'PUT /v1/decide',
    'OPTIONS /v1/decide',
  ),
  key: fc.constantFrom('pub', 'pub', 'secret', 'none', 'bogus', 'lower', 'query'),
  type: fc.constantFrom('application/json', 'application/json', 'text/plain', 'application/xml', undefined),
  origin: fc.constantFrom(undefined, undefined, 'https://shop.example.com', 'https://evil.example.net'),
  body: fc.oneof(
    { weight: 2, arbitrary: decideBody },
    { weight: 4, arbitrary: fc.record({ events: fc.array(apiEvent, { minLength: 0, maxLength: 4 }) }) },
    fc.jsonValue({ maxDepth: 4 }),
    fc.constantFrom('{"events": [', '', 'null', '[]'),
  ),
  query: fc.oneof(
    fc.constant(''),
    fc.constantFrom(
      '?cart=maker&k=3',
      '?k=0',
      '?period=month',
      '?period=year',
      '?from=2026-02-01&to=2026-01-01',
      '?segment=planet',
      '?currency=EUR',
      '?freeShippingThreshold=abc',
      '?x=1',
      '?sequential=true&targetLift=0.1',
      '?sequential=maybe',
      `?cart=${'a,'.repeat(3000)}`,
    ),
  ),
});

test(
  `property: ${RUNS} hostile but well-formed requests across every endpoint: never a 5xx, errors in the ` +
    `envelope, the report still loads`,
  async () => {
    const store = openStore(tempDir());
    const model = buildModel(
      encodeBaskets(Array.from({ length: 30 }, (_, i) => ['maker', 'filters', ...(i % 2 ? ['beans'] : [])])),
      new Map(),
      { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
      { version: 1, createdAt: '', currency: 'USD' },
    );
    const config = parseServerConfig({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      allowedOrigins: ['https://shop.example.com'],
      rateLimitPerMinute: { publishable: 10 ** 9, secret: 10 ** 9, failedAuth: 10 ** 9 },
      offers: {
        freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
        volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
        experiments: [thresholdExperiment({ start: '2026-01-01' })],
      },
    });
    const events = store.openEventLog();
    let serial = Promise.resolve() as Promise<unknown>;
    const one = <T>(f: () => Promise<T>) => (serial = serial.then(f, f)) as Promise<T>;
    const app = await buildApp({
      config: () => config,
      serving: new Serving({ model, offers: config.offers, histories: new Map() }),
      events,
      clock: () => new Date(NOW),
      report: (o, experiments) => one(() => report(store, o, experiments)),
      experiment: (id, o, ctx) => one(() => showExperiment(store, id, o, ctx)),
      loadEvents: () => one(() => ingest(store, 'api-events', [], { runId: 'prop' })),
    });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(request, async (r) => {
        const [method, url] = r.route.split(' ') as [string, string];
        const headers: Record<string, string> = {};
        if (r.key === 'pub') headers.authorization = `Bearer ${PUB}`;
        if (r.key === 'secret') headers.authorization = `Bearer ${SECRET}`;
        if (r.key === 'bogus') headers.authorization = 'Bearer pk_nobody_000000000000';
        if (r.key === 'lower') headers.authorization = `bearer ${PUB}`;
        if (r.type) headers['content-type'] = r.type;
        if (r.origin) headers.origin = r.origin;
        const q = r.key === 'query' ? (r.query ? `${r.query}&key=${PUB}` : `?key=${PUB}`) : r.query;
        const payload =
          method === 'POST' ? (typeof r.body === 'string' ? r.body : JSON.stringify(r.body)) : undefined;
        const res = await app.inject({
          method: method as 'GET',
          url: url + q,
          headers,
          ...(payload !== undefined ? { payload } : {}),
        });
        assert.ok(res.statusCode < 500, `${r.route}${q} → ${res.statusCode} ${res.body.slice(0, 300)}`);
        if (res.statusCode >= 400)
          assert.ok(
            ErrorResponse.safeParse(res.json()).success,
            `not in the envelope: ${res.body.slice(0, 200)}`,
          );
        if (url === '/v1/decide' && res.statusCode === 200) DecideResponse.parse(res.json());
        if (url === '/v1/events' && res.statusCode === 202) accepted += res.json().accepted;
      }),
      { numRuns: RUNS, seed: 20261124 },
    );
    assert.ok(accepted > RUNS / 200, `${accepted} events accepted: the generator reaches the happy path too`);
    // Whatever was accepted, the event log loads into the store and the report is computed.
    const load = await app.inject({
      method: 'POST',
      url: '/v1/events/load',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    assert.equal(load.statusCode, 200, load.body);
    const rows = load.json().rows;
    assert.equal(rows.read, rows.loaded + rows.rejected + rows.skipped);
    const rep = await app.inject({
      method: 'GET',
      url: '/v1/report',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    assert.equal(rep.statusCode, 200, rep.body.slice(0, 300));
    events.close();
  },
);
