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
