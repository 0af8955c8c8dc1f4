import assert from 'node:assert/strict';
import { test } from 'node:test';
import { compare } from '../stats/compare.js';
import { offerKpis } from './offers.js';

const rows = [
  { offer_id: 'cross-sell:filters', shown: 100, accepted: 12, declined: 88 },
  { offer_id: 'cross-sell:mug', shown: 50, accepted: 3, declined: 47 },
  { offer_id: 'volume-tier:maker:2', shown: 40, accepted: 4, declined: 36 },
  { offer_id: 'gift-wrap', shown: 10, accepted: 0, declined: 0 },
];

test('offer KPIs by offer and by type (the registry says an id’s type; ids no kind makes are "other")', () => {
  const k = offerKpis(rows, null, null, null);
  assert.equal(k.shown, 200);
  assert.equal(k.accepted, 19);
  assert.equal(k.acceptanceRate, 19 / 200);
  assert.deepEqual(
    k.byType.map((t) => [t.type, t.shown, t.accepted]),
    [
      ['cross-sell', 150, 15],
      ['volume-tier', 40, 4],
      ['other', 10, 0],
    ],
  );
  assert.equal(k.lift, null);
  assert.equal(k.verdict, null);
});

test('treated against holdout: the verdict says detectable or not, with the interval and the MDE', () => {
  const rps = (before: number, after: number, v: number) =>
    compare({ value: before, variance: v, n: 1000 }, { value: after, variance: v, n: 1000 });
  const none = offerKpis(rows, null, null, null);
  assert.equal(none.verdict, null);
  const lev = { sessions: 1000 } as never;
  const noise = offerKpis(rows, lev, lev, {
    rps: rps(100, 105, 100),
    cvr: null,
    aov: null,
    sessions: null,
    revenue: null,
  });
  assert.match(
    noise.verdict!,
    /^no detectable difference between treated and held-out sessions yet \(RPS \+5\.0%, 95% CI/,
  );
  assert.match(noise.verdict!, /only a lift beyond ±\d+% would show/);
  const clear = offerKpis(rows, lev, lev, {
    rps: rps(100, 130, 4),
    cvr: null,
    aov: null,
    sessions: null,
    revenue: null,
  });
  assert.match(clear.verdict!, /^treated sessions earn \+30\.0% revenue per session against the holdout/);
});

test('O8: offer KPIs by channel, each offer counted once over its channels; an event without one is web', () => {
  const k = offerKpis(
    [
      { offer_id: 'upsell:maker-pro', channel: 'chat', shown: 20, accepted: 5, declined: 6, replied: 4 },
      { offer_id: 'upsell:maker-pro', channel: 'web', shown: 30, accepted: 3, declined: 20, replied: 0 },
      { offer_id: 'cross-sell:mug', shown: 10, accepted: 1, declined: 9 },
      { offer_id: 'post-purchase:mug', channel: 'email', shown: 5, accepted: 1, declined: 0 },
    ],
    null,
    null,
    null,
  );
  assert.deepEqual(
    k.offers.map((o) => [o.offerId, o.shown, o.accepted]),
    [
      ['upsell:maker-pro', 50, 8],
      ['cross-sell:mug', 10, 1],
      ['post-purchase:mug', 5, 1],
    ],
  );
  assert.deepEqual(
    k.byChannel.map((c) => [c.channel, c.shown, c.accepted, c.replied, c.acceptanceRate]),
    [
      ['web', 40, 4, 0, 0.1],
      ['chat', 20, 5, 4, 0.25],
      ['email', 5, 1, 0, 0.2],
    ],
  );
  assert.equal(k.shown, 65);
});
