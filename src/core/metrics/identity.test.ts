import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addAggregates, EMPTY_AGGREGATE, leversOf, netRevenue, type Aggregate } from './identity.js';
import { NET_BASIS } from './summary.js';

const agg = (over: Partial<Aggregate>): Aggregate => ({ ...EMPTY_AGGREGATE, ...over });

test('Revenue = Sessions × CVR × AOV and RPS = CVR × AOV, bots out of every term', () => {
  // 1,000 sessions, 40 of them bots: 960 human. 24 orders, $1,440.00 gross, $60.00 discounts, $30.00 refunded:
  // net 135,000 cents. CVR 24/960 = 2.5%, AOV 135,000/24 = 5,625, RPS 135,000/960 = 140.625.
  const a = agg({
    sessions: 1000,
    botAgent: 30,
    botBehaviour: 10,
    orders: 24,
    grossMinor: 144_000,
    discountMinor: 6_000,
    refundedMinor: 3_000,
    items: 36,
    lines: 30,
  });
  const l = leversOf(a, NET_BASIS, true);
  assert.equal(l.sessions, 960);
  assert.equal(l.cvr, 0.025);
  assert.equal(l.aovMinor, 5_625);
  assert.equal(l.rpsMinor, 140.625);
  assert.equal(l.revenueMinor, 135_000);
  assert.equal(l.sessions! * l.cvr! * l.aovMinor!, l.revenueMinor);
  assert.equal(l.cvrWithBots, 24 / 1000);
  assert.equal(l.itemsPerOrder, 1.5);
});

test('shipping and tax join revenue only when asked', () => {
  const a = agg({ orders: 1, grossMinor: 5_000, shippingMinor: 695, taxMinor: 350 });
  assert.equal(netRevenue(a, NET_BASIS), 5_000);
  assert.equal(netRevenue(a, { includeShipping: true, includeTax: true }), 6_045);
});

test('unknown is never a number: no sessions, no orders, unpriced orders, more orders than sessions', () => {
  const noSessions = leversOf(agg({ orders: 3, grossMinor: 3_000 }), NET_BASIS, false);
  assert.deepEqual([noSessions.sessions, noSessions.cvr, noSessions.rpsMinor], [null, null, null]);
  assert.equal(noSessions.aovMinor, 1_000);
  const none = leversOf(agg({ sessions: 100 }), NET_BASIS, true);
  assert.deepEqual([none.cvr, none.aovMinor, none.itemsPerOrder], [0, null, null]);
  // An order without a price: AOV and RPS unknown, never $0.00.
  const unpriced = leversOf(
    agg({ sessions: 100, orders: 2, unpricedOrders: 1, grossMinor: 900 }),
    NET_BASIS,
    true,
  );
  assert.deepEqual([unpriced.aovMinor, unpriced.rpsMinor], [null, null]);
  // More orders than human sessions: these orders are not (all) this traffic's; no CVR over 100%.
  const other = leversOf(agg({ sessions: 10, orders: 14, grossMinor: 14_000 }), NET_BASIS, true);
  assert.deepEqual([other.cvr, other.rpsMinor], [null, null]);
  // Returns beyond sales: AOV unknown rather than negative.
  const returns = leversOf(
    agg({ sessions: 50, orders: 1, grossMinor: 1_000, returnsMinor: 4_000 }),
    NET_BASIS,
    true,
  );
  assert.equal(returns.aovMinor, null);
});

test('aggregates add field by field, per-unit sums included', () => {
  const a = agg({
    sessions: 10,
    orders: 1,
    grossMinor: 100,
    units: { ...EMPTY_AGGREGATE.units, n: 10, so: 1 },
  });
  const b = agg({
    sessions: 5,
    orders: 2,
    grossMinor: 250,
    units: { ...EMPTY_AGGREGATE.units, n: 5, so: 2 },
  });
  const s = addAggregates(a, b);
  assert.deepEqual([s.sessions, s.orders, s.grossMinor, s.units.n, s.units.so], [15, 3, 350, 15, 3]);
});

test('returns beyond sales leave RPS unknown like AOV, never negative', () => {
  const l = leversOf(
    agg({ sessions: 100, orders: 1, grossMinor: 1_000, returnsMinor: 4_000 }),
    NET_BASIS,
    true,
  );
  assert.deepEqual([l.aovMinor, l.rpsMinor], [null, null]);
});
