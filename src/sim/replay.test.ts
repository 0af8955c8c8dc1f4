import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ApiEvent } from '../core/model/api-event.js';
import { parseOfferConfig } from '../core/offers/config.js';
import { decide } from '../core/offers/decide.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel } from '../core/recs/model.js';
import { assign } from '../core/experiments/assign.js';
import { PRODUCTS } from './catalog.js';
import { replayAll, type StorefrontApi } from './replay.js';
import type { SessionOutcome } from './shopper.js';
import { forEachSession } from './simulate.js';

function day(): { sessions: SessionOutcome[]; model: ReturnType<typeof buildModel> } {
  const sessions: SessionOutcome[] = [];
  const history: string[][] = [];
  forEachSession(
    {
      seed: 5,
      days: 8,
      sessionsPerDay: 400,
      startMs: Date.UTC(2026, 0, 5),
      currency: 'USD',
      scenario: 'baseline',
      idPrefix: 'r',
      organic: true,
    },
    (o, d) => {
      if (d < 7) {
        if (o.lines.length) history.push(o.lines.map((l) => l.product_id!));
      } else sessions.push(o);
    },
  );
  const meta = new Map(
    PRODUCTS.map((p) => [
      p.id,
      {
        id: p.id,
        title: p.title,
        category: p.category,
        family: p.family,
        priceMinor: p.price,
        costMinor: p.cost,
      },
    ]),
  );
  return {
    sessions,
    model: buildModel(
      encodeBaskets(history),
      meta,
      { minSupport: 0.005, minConfidence: 0.05, maxLen: 3, topK: 20 },
      { version: 1, createdAt: '', currency: 'USD' },
    ),
  };
}

const config = parseOfferConfig({
  holdoutShare: 0.2,
  freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
  volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
});

function inProcess(model: ReturnType<typeof buildModel>, sink: ApiEvent[]): StorefrontApi {
  return {
    decide: async (req) => {
      await new Promise((r) => setImmediate(r));
      return decide(model, config, req);
    },
    events: async (batch) => {
      sink.push(...batch);
    },
  };
}

test(
  'replay: reproducible whatever the concurrency; holdout sessions get no offers; the tally adds up ' +
    'from the events sent',
  async () => {
    const { sessions, model } = day();
    const a: ApiEvent[] = [];
    const b: ApiEvent[] = [];
    const ta = await replayAll(sessions, inProcess(model, a), 7, 1);
    const tb = await replayAll(sessions, inProcess(model, b), 7, 12);
    assert.deepEqual(ta, tb);
    const key = (e: ApiEvent) => e.idempotencyKey;
    assert.deepEqual(
      [...a].sort((x, y) => key(x).localeCompare(key(y))),
      [...b].sort((x, y) => key(x).localeCompare(key(y))),
    );
    assert.equal(new Set(a.map(key)).size, a.length, 'idempotency keys are unique');
    assert.equal(ta.events, a.length);

    const held = (e: ApiEvent) =>
      assign({
        experiment: config.experiment,
        unit: e.customerId ?? e.sessionId,
        holdoutShare: 0.2,
        variants: [],
      }).inHoldout;
    assert.equal(
      a.filter((e) => e.type.startsWith('offer_') && held(e)).length,
      0,
      'no offer event in a held-out session',
    );
    const sessionsOf = (g: boolean) => new Set(a.filter((e) => held(e) === g).map((e) => e.sessionId)).size;
    assert.equal(ta.sessions.holdout, sessionsOf(true));
    assert.equal(ta.sessions.treatment, sessionsOf(false));
    const purchases = a.filter((e) => e.type === 'purchase');
    assert.equal(ta.orders.treatment + ta.orders.holdout, purchases.length);
    const net = (e: ApiEvent) =>
      e.lines!.reduce((s, l) => s + l.quantity * l.unitPriceMinor - (l.discountMinor ?? 0), 0);
    assert.equal(
      ta.revenueMinor.treatment + ta.revenueMinor.holdout,
      purchases.reduce((s, e) => s + net(e), 0),
    );
    for (const e of purchases)
      assert.equal(
        e.valueMinor,
        e.lines!.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0),
      );
    const count = (t: string) => a.filter((e) => e.type === t).length;
    const sum = (k: 'shown' | 'accepted' | 'declined') =>
      Object.values(ta.offers).reduce((s, v) => s + v[k], 0);
    assert.deepEqual(
      [count('offer_shown'), count('offer_accepted'), count('offer_declined')],
      [sum('shown'), sum('accepted'), sum('declined')],
    );
    assert.ok(sum('accepted') > 0 && ta.botsSkipped > 0);
  },
);
