import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { showExperiment } from '../app/experiment.js';
import { ingest } from '../app/ingest.js';
import { report } from '../app/report.js';
import { Serving } from '../app/serving.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel } from '../core/recs/model.js';
import { openStore } from '../store/open.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import {
  DecideResponse,
  ErrorResponse,
  EventsResponse,
  HealthResponse,
  LoadEventsResponse,
  RecommendationsResponse,
  ReportResponse,
} from './contract.js';
import { ExperimentListResponse, ExperimentResponse } from './contract-experiments.js';
import { openApiDocument } from './openapi.js';
import { simulate } from '../app/simulate.js';
import { thresholdExperiment } from '../../test/experiment-fixture.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

test('every response matches its documented schema; a response that drifts from it fails', async () => {
  const store = openStore(mkdtempSync(join(tmpdir(), 'levers-contract-')));
  const model = buildModel(
    encodeBaskets(Array.from({ length: 30 }, (_, i) => ['maker', 'filters', ...(i % 2 ? ['beans'] : [])])),
    new Map(),
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
    { version: 2, createdAt: '', currency: 'USD' },
  );
  const config = parseServerConfig({
    publishableKeys: [PUB],
    secretKeys: [SECRET],
    offers: {
      holdoutShare: 0.2,
      freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
      volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
      messages: { new: 'Hi' },
      experiments: [thresholdExperiment()],
    },
  });
  // A simulated store with a holdout, for the experiment analysis.
  const simulated = openStore(mkdtempSync(join(tmpdir(), 'levers-contract-sim-')));
  await simulate(
    simulated,
    {
      seed: 1,
      days: 7,
      sessionsPerDay: 300,
      startMs: Date.UTC(2026, 0, 5),
      currency: 'USD',
      scenario: 'baseline',
    },
    {},
  );
  const events = store.openEventLog();
  const app = await buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories: new Map() }),
    events,
    clock: () => new Date('2026-03-01T12:00:00Z'),
    report: (o) => report(store, o),
    loadEvents: () => ingest(store, 'api-events', [], { runId: 'c' }),
    experiment: (id, o, ctx) => showExperiment(simulated, id, o, ctx),
  });
  const call = async (method: 'GET' | 'POST', url: string, key: string | null, payload?: unknown) => {
    const r = await app.inject({
      method,
      url,
      headers: key ? { authorization: `Bearer ${key}` } : {},
      ...(payload ? { payload: payload as object } : {}),
    });
    return { status: r.statusCode, body: r.json() as unknown };
  };
  const carts = [
    [],
    [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }],
    [{ productId: 'ghost', quantity: 2, unitPriceMinor: 100 }],
  ];
  for (let s = 0; s < 40; s++) {
    const d = await call('POST', '/v1/decide', PUB, {
      page: (['cart', 'product', 'thankyou'] as const)[s % 3],
      sessionId: `s${s}`,
      cart: carts[s % 3],
      visitorType: 'new',
    });
    assert.equal(d.status, 200);
    DecideResponse.parse(d.body);
  }
  const e = await call('POST', '/v1/events', PUB, {
    events: [
      {
        idempotencyKey: 'k',
        type: 'purchase',
        sessionId: 's1',
        occurredAt: '2026-03-01T11:00:00Z',
        orderId: 'o',
        valueMinor: 4000,
      },
    ],
  });
  EventsResponse.parse(e.body);
  HealthResponse.parse((await call('GET', '/healthz', null)).body);
  RecommendationsResponse.parse((await call('GET', '/v1/recommendations?cart=maker', SECRET)).body);
  LoadEventsResponse.parse((await call('POST', '/v1/events/load', SECRET)).body);
  ReportResponse.parse((await call('GET', '/v1/report?clv=false', SECRET)).body);
  const list = ExperimentListResponse.parse((await call('GET', '/v1/experiments', SECRET)).body);
  assert.equal(list.experiments[0]?.status, 'scheduled', 'it starts 2026-12-01; the clock says 2026-03-01');
  const analysed = await call('GET', '/v1/experiments/holdout?sequential=true', SECRET);
  assert.equal(analysed.status, 200);
  const analysis = ExperimentResponse.parse(analysed.body);
  for (const [m, u, k] of [
    ['GET', '/v1/report', PUB],
    ['POST', '/v1/decide', null],
    ['GET', '/nope', null],
    ['GET', '/v1/recommendations?k=0', SECRET],
    ['GET', '/v1/experiments', PUB],
    ['GET', '/v1/experiments/nope', SECRET],
    ['GET', '/v1/experiments/ship-50-75', SECRET],
    ['GET', '/v1/experiments/holdout?to=soon', SECRET],
  ] as const) {
    ErrorResponse.parse((await call(m, u, k, m === 'POST' ? {} : undefined)).body);
  }
  // Drift: a field the contract does not document, a code outside its closed list, a missing field.
  const good = (await call('POST', '/v1/decide', PUB, { page: 'cart', sessionId: 's1', cart: carts[1] }))
    .body as Record<string, unknown>;
  assert.equal(DecideResponse.safeParse({ ...good, debug: true }).success, false);
  assert.equal(DecideResponse.safeParse({ ...good, reasonCode: 'MAYBE' }).success, false);
  const { info: _info, ...noInfo } = good;
  assert.equal(DecideResponse.safeParse(noInfo).success, false);
  const verdict = analysis.analysis.comparisons[0]!.verdict;
  const withVerdict = (v: unknown) => ({
    ...analysis,
    analysis: { ...analysis.analysis, comparisons: [{ ...analysis.analysis.comparisons[0], verdict: v }] },
  });
  assert.equal(ExperimentResponse.safeParse(withVerdict({ ...verdict, code: 'MAYBE' })).success, false);
  assert.equal(ExperimentResponse.safeParse({ ...analysis, debug: 1 }).success, false);
  const { status: _s, ...noStatus } = list.experiments[0]!;
  assert.equal(ExperimentListResponse.safeParse({ ...list, experiments: [noStatus] }).success, false);
  events.close();
});

test(
  'the OpenAPI document is generated from the contract and lists the codes a client may branch ' + 'on',
  async () => {
    const doc = openApiDocument() as {
      components: { schemas: Record<string, { properties?: Record<string, { enum?: string[] }> }> };
      'x-levers-codes': Record<string, string[]>;
    };
    const decision = doc.components.schemas.Decision!;
    assert.deepEqual(decision.properties!.reasonCode!.enum, [
      'OFFERS',
      'HOLDOUT',
      'ALL_REFUSED',
      'NONE_APPLIES',
    ]);
    assert.ok(doc['x-levers-codes'].offerTypes!.includes('free-shipping-progress'));
    assert.ok(doc['x-levers-codes'].offerReasons!.includes('FREE_SHIPPING_GAP'));
    assert.ok(Object.keys(doc.components.schemas).includes('Error'));
    const experiment = doc.components.schemas.Experiment as { properties: Record<string, unknown> };
    assert.deepEqual(Object.keys(experiment.properties), [
      'experiment',
      'description',
      'window',
      'currency',
      'notes',
      'capping',
      'analysis',
    ]);
    assert.deepEqual(doc['x-levers-codes'].verdicts, [
      'SHIP',
      'STOP_HARM',
      'STOP_GUARDRAIL',
      'KEEP_RUNNING',
      'INCONCLUSIVE',
      'SRM',
      'NO_DATA',
    ]);
    const paths = (doc as unknown as { paths: Record<string, { get?: { parameters?: { name: string }[] } }> })
      .paths;
    assert.deepEqual(
      paths['/v1/experiments/{id}']!.get!.parameters!.map((p) => p.name),
      ['id', 'from', 'to', 'currency', 'sequential', 'targetLift'],
    );
    assert.ok(paths['/v1/experiments']!.get);
  },
);
