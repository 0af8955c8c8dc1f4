import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EMPTY_AGGREGATE, type Aggregate } from './identity.js';
import { NET_BASIS, summarize, unknownsOf } from './summary.js';

const agg = (over: Partial<Aggregate>): Aggregate => ({ ...EMPTY_AGGREGATE, ...over });

/** A clean store: every session has a user agent, every order a session, lines and prices. */
const clean = agg({
  sessions: 200,
  sessionsWithAgent: 200,
  botAgent: 15,
  botBehaviour: 5,
  orders: 9,
  linkedOrders: 9,
  grossMinor: 45_000,
  discountMinor: 2_000,
  refundedMinor: 1_000,
  returnsMinor: 500,
  shippingMinor: 900,
  items: 12,
  lines: 10,
});

test('summarize: net-basis levers, refunds plus returns, bots by how they were told apart', () => {
  const s = summarize('EUR', clean, 7, true);
  assert.equal(s.currency, 'EUR');
  assert.equal(s.customers, 7);
  // Net revenue 45,000 − 2,000 − 1,000 − 500 = 41,500 (shipping left out); 200 − 15 − 5 = 180 human sessions.
  assert.equal(s.levers.revenueMinor, 41_500);
  assert.equal(s.levers.sessions, 180);
  assert.equal(s.levers.cvr, 9 / 180); // 5%
  assert.equal(s.grossMinor, 45_000);
  assert.equal(s.discountMinor, 2_000);
  assert.equal(s.refundsMinor, 1_500); // 1,000 refunded + 500 returns
  assert.deepEqual(s.bots, { byUserAgent: 15, byBehaviour: 5 });
  assert.deepEqual(s.unknown, []);
  assert.deepEqual(NET_BASIS, { includeShipping: false, includeTax: false });
});

test('summarize without sessions: no bots figure, no CVR, and the unknowns say why', () => {
  const s = summarize('USD', agg({ orders: 3, grossMinor: 3_000, lines: 3, items: 3 }), 3, false);
  assert.equal(s.bots, null);
  assert.equal(s.levers.sessions, null);
  assert.equal(s.levers.cvr, null);
  assert.equal(s.levers.aovMinor, 1_000); // 3,000 / 3 orders: AOV needs no sessions
  assert.equal(s.unknown.length, 1);
  assert.match(s.unknown[0]!, /^sessions, CVR and RPS: the data has orders but no sessions/);
});

test('unknownsOf names each gap once, with its counts and the scope', () => {
  const a = agg({
    sessions: 50,
    sessionsWithAgent: 0, // no user agents at all
    botBehaviour: 2,
    orders: 6,
    linkedOrders: 4, // 2 orders with no session
    unpricedOrders: 1,
    clientOrders: 3,
    lines: 0,
  });
  const u = unknownsOf(a, true, ' on mobile');
  assert.deepEqual(u, [
    'bots by user agent: the data has no user agents, so only behaviour rules could flag bots',
    '2 orders on mobile are not linked to a session',
    'items and lines per order: the data has no order lines',
    'AOV and RPS: 1 of 6 orders on mobile have no value in the data, so order value is unknown',
    '3 of 6 orders on mobile were reported by the browser (client-reported, unconfirmed): ' +
      'load the orders export or send orders with a secret key, and those replace them',
  ]);
});

test('more orders than human sessions is said, with the human count (bots out)', () => {
  // 12 sessions, 4 of them bots: 8 human sessions against 9 orders.
  const a = agg({
    sessions: 12,
    sessionsWithAgent: 12,
    botAgent: 3,
    botBehaviour: 1,
    orders: 9,
    linkedOrders: 9,
  });
  const u = unknownsOf(a, true);
  assert.equal(u.length, 2);
  assert.match(u[0]!, /^items and lines per order/);
  assert.match(
    u[1]!,
    /^conversion: more orders \(9\) than sessions \(8\): the orders are not \(all\) from this traffic/,
  );
  // Exactly as many orders as human sessions is a (100%) conversion, not a mismatch.
  assert.deepEqual(unknownsOf({ ...a, orders: 8, linkedOrders: 8, lines: 8 }, true), []);
});

test('without sessions the session-side checks are not made (no agent, link or conversion lines)', () => {
  const a = agg({ orders: 4, linkedOrders: 0, lines: 4 });
  const u = unknownsOf(a, false);
  assert.equal(u.length, 1);
  assert.match(u[0]!, /no denominator \(never invented\)$/);
  // An empty aggregate with sessions known has nothing unknown: no orders means no order-side gap.
  assert.deepEqual(unknownsOf(EMPTY_AGGREGATE, true), []);
});
