import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventRow, OrderRow, SessionRow } from '../../core/model/rows.js';
import { openStore } from '../open.js';
import { withDatabase } from '../port.js';

const DAY = Date.UTC(2026, 2, 2, 10);
const session = (
  id: string,
  experiments: string | null,
  user_agent: string | null = null,
  customer_id: string | null = null,
): SessionRow => ({
  session_id: id,
  customer_id,
  started_at: DAY,
  device: 'desktop',
  channel: null,
  landing_page: null,
  country: null,
  user_agent,
  duration_s: 60,
  page_views: 3,
  assignment: experiments ? 'treatment' : 'holdout',
  experiments,
});
const order = (id: string, sessionId: string, gross: number, refunded: number, discount = 0): OrderRow => ({
  order_id: id,
  customer_id: null,
  session_id: sessionId,
  placed_at: DAY + 60_000,
  currency: 'USD',
  gross_merchandise: gross,
  discount,
  shipping: 0,
  tax: 0,
  refunded,
  status: refunded ? 'refunded' : 'paid',
  kind: 'sale',
  country: null,
  discount_code: null,
});
const event = (id: string, sessionId: string, type: EventRow['type']): EventRow => ({
  event_id: id,
  session_id: sessionId,
  occurred_at: DAY + 30_000,
  type,
  product_id: null,
  quantity: null,
  value: null,
  currency: 'USD',
  offer_id: 'free-shipping-progress',
});

test('guardrail sums per variant: refunded over charged and offers accepted over shown, sessions as units', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-guard-'));
  try {
    const store = openStore(dir);
    const rows = await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      const sessions = [
        session('a1', 'other=x;e1=a'),
        session('a2', 'e1=a'),
        session('a3', 'e1=a'),
        session('b1', 'e1=b;other=y'),
        session('b2', 'e1=b'),
        session('h1', null),
        // A bot by its user agent is no unit, whatever it was shown.
        session('bot', 'e1=b', 'Googlebot/2.1 (+http://www.google.com/bot.html)'),
      ];
      for (const s of sessions) load.write('sessions', s);
      load.write('orders', order('o1', 'a1', 10_000, 2_500, 1_000));
      load.write('orders', order('o2', 'a2', 4_000, 0));
      load.write('orders', order('o3', 'b1', 6_000, 6_000));
      load.write('orders', order('o4', 'bot', 9_000, 9_000));
      for (const [id, s, t] of [
        ['e1', 'a1', 'offer_shown'],
        ['e2', 'a1', 'offer_accepted'],
        ['e3', 'a1', 'offer_shown'],
        ['e4', 'a3', 'offer_shown'],
        ['e5', 'b1', 'offer_shown'],
        ['e6', 'b2', 'offer_accepted'],
        ['e7', 'bot', 'offer_accepted'],
      ] as const)
        load.write('events', event(id, s, t));
      await load.commit();
      return db.guardrailSums('USD', { from: '2026-03-02', to: '2026-03-02' }, { experiment: 'e1' });
    });
    const a = rows.find((r) => r.segment === 'a')!;
    const b = rows.find((r) => r.segment === 'b')!;
    // a: charged 9,000 (10,000 less a 1,000 discount) refunding 2,500, and 4,000 refunding nothing.
    assert.deepEqual(a.refunds, {
      n: 3,
      sx: 2_500,
      sxx: 2_500 ** 2,
      sy: 13_000,
      syy: 9_000 ** 2 + 4_000 ** 2,
      sxy: 2_500 * 9_000,
    });
    // a: two sessions shown an offer (a1 twice counts once), one accepted.
    assert.deepEqual(a.acceptance, { n: 3, sx: 1, sxx: 1, sy: 2, syy: 2, sxy: 1 });
    assert.deepEqual(b.refunds, {
      n: 2,
      sx: 6_000,
      sxx: 6_000 ** 2,
      sy: 6_000,
      syy: 6_000 ** 2,
      sxy: 6_000 ** 2,
    });
    // An acceptance without a logged impression still means the session saw the offer.
    assert.deepEqual(b.acceptance, { n: 2, sx: 1, sxx: 1, sy: 2, syy: 2, sxy: 1 });
    assert.equal(rows.find((r) => r.segment === 'unknown')?.n, 1, 'the holdout session is outside e1');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('visitors as units: a customer’s sessions are one unit, a guest’s session its own; customers only when known', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-units-'));
  try {
    const store = openStore(dir);
    const window = { from: '2026-03-02', to: '2026-03-02' };
    const got = await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      // Customer k1 has three sessions in a (one with two orders), k2 one in b; g1 and g2 are guests.
      for (const s of [
        session('s1', 'e1=a', null, 'k1'),
        session('s2', 'e1=a', null, 'k1'),
        session('s3', 'e1=a', null, 'k1'),
        session('g1', 'e1=a'),
        session('s4', 'e1=b', null, 'k2'),
        session('g2', 'e1=b'),
      ])
        load.write('sessions', s);
      load.write('orders', order('o1', 's1', 5_000, 0));
      load.write('orders', order('o2', 's1', 3_000, 1_000));
      load.write('orders', order('o3', 's3', 2_000, 0));
      load.write('orders', order('o4', 'g2', 7_000, 0));
      // k1 bought for 4,000 the day before the window: CUPED's covariate for k1's unit.
      load.write('orders', {
        ...order('p1', 'old', 4_000, 0),
        customer_id: 'k1',
        placed_at: DAY - 86_400_000,
      });
      load.write('events', event('e1', 's2', 'offer_shown'));
      load.write('events', event('e2', 's3', 'offer_accepted'));
      await load.commit();
      return {
        visitor: await db.experimentUnits('USD', window, { experiment: 'e1' }, 'visitor'),
        session: await db.experimentUnits('USD', window, { experiment: 'e1' }, 'session'),
        customer: await db.experimentUnits('USD', window, { experiment: 'e1' }, 'customer'),
        guard: await db.guardrailSums('USD', window, { experiment: 'e1' }, 'visitor'),
      };
    });
    const a = got.visitor.find((r) => r.segment === 'a')!;
    // Units k1 (3 sessions, 3 orders, 9,000 net) and g1 (1 session, nothing).
    assert.deepEqual(a, {
      segment: 'a',
      n: 2,
      ss: 4,
      sss: 10,
      so: 3,
      soo: 9,
      sr: 9_000,
      srr: 9_000 ** 2,
      sor: 3 * 9_000,
      sos: 9,
      srs: 3 * 9_000,
      // x is k1's 4,000 once per unit, not once per session; g1 never bought before.
      pre: { sx: 4_000, sxx: 4_000 ** 2, srx: 9_000 * 4_000, sox: 3 * 4_000, ssx: 3 * 4_000 },
    });
    // Sessions as units: every s is 1 and the orders sit in their own sessions.
    const sa = got.session.find((r) => r.segment === 'a')!;
    assert.deepEqual(
      [sa.n, sa.ss, sa.sss, sa.so, sa.soo, sa.sr, sa.srr],
      [4, 4, 4, 3, 5, 9_000, 7_000 ** 2 + 2_000 ** 2],
    );
    // With sessions as units each of k1's three sessions carries its 4,000.
    assert.deepEqual([sa.pre.sx, sa.pre.srx], [3 * 4_000, 4_000 * 9_000]);
    // Customers only: the guests are in no unit.
    assert.deepEqual(got.customer.map((r) => [r.segment, r.n, r.ss]).sort(), [
      ['a', 1, 3],
      ['b', 1, 1],
    ]);
    // k1's sessions were shown an offer twice (s2, s3) and accepted once: one unit, s = 2, a = 1.
    const g = got.guard.find((r) => r.segment === 'a')!;
    assert.deepEqual(g.acceptance, { n: 2, sx: 1, sxx: 1, sy: 2, syy: 4, sxy: 2 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a unit counts once, in the group of its first session: a guest who buys and comes back as a customer', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-first-'));
  try {
    const store = openStore(dir);
    const window = { from: '2026-03-02', to: '2026-03-03' };
    const rows = await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      // k9 first bought in g9 (assigned by its session id, to a), then came back as k9 and was assigned to b.
      load.write('sessions', session('g9', 'e1=a', null, 'k9'));
      load.write('sessions', { ...session('r9', 'e1=b', null, 'k9'), started_at: DAY + 86_400_000 });
      load.write('sessions', session('h1', 'e1=b'));
      load.write('orders', order('o9', 'g9', 5_000, 0));
      load.write('orders', { ...order('o10', 'r9', 2_000, 0), placed_at: DAY + 86_400_000 + 60_000 });
      await load.commit();
      return db.experimentUnits('USD', window, { experiment: 'e1' }, 'visitor');
    });
    const by = Object.fromEntries(rows.map((r) => [r.segment, [r.n, r.ss, r.so, r.sr]]));
    assert.deepEqual(by, { a: [1, 2, 2, 7_000], b: [1, 1, 0, 0] });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('capping: revenue per unit cut at the percentile of the units that bought, arms pooled, outsiders not counted', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-cap-'));
  try {
    const store = openStore(dir);
    const window = { from: '2026-03-02', to: '2026-03-02' };
    const got = await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      // Buyers a: 10, 20, 30, 40, 500 (dollars); b: 15, 25, 35, 45; a non-buyer in each; a holdout session
      // (in no variant) with 9,999 that must not move the percentile.
      const a = [1_000, 2_000, 3_000, 4_000, 50_000];
      const b = [1_500, 2_500, 3_500, 4_500];
      for (const [arm, values] of [
        ['a', a],
        ['b', b],
      ] as const) {
        values.forEach((v, i) => {
          load.write('sessions', session(`${arm}${i}`, `e1=${arm}`));
          load.write('orders', order(`o${arm}${i}`, `${arm}${i}`, v, 0));
        });
        load.write('sessions', session(`${arm}-none`, `e1=${arm}`));
      }
      load.write('sessions', session('h', null));
      load.write('orders', order('oh', 'h', 999_900, 0));
      await load.commit();
      const by = { experiment: 'e1' };
      return {
        plain: await db.experimentUnits('USD', window, by, 'session'),
        capped: await db.experimentUnits('USD', window, by, 'session', { cap: 0.8 }),
      };
    });
    // Nine buyers pooled; the discrete 80th percentile is the 8th smallest (8/9 ≥ 0.8 > 7/9): 4,500.
    const ca = got.capped.find((r) => r.segment === 'a')!;
    const cb = got.capped.find((r) => r.segment === 'b')!;
    assert.deepEqual(ca.capped, { at: 4_500, units: 1 });
    assert.deepEqual(cb.capped, { at: 4_500, units: 0 });
    assert.equal(ca.sr, 1_000 + 2_000 + 3_000 + 4_000 + 4_500);
    assert.equal(ca.srr, 1_000 ** 2 + 2_000 ** 2 + 3_000 ** 2 + 4_000 ** 2 + 4_500 ** 2);
    assert.deepEqual([ca.n, ca.so], [6, 5]);
    // b had nothing above the cap: its sums are the uncapped ones; without a cap nothing says capped.
    const pb = got.plain.find((r) => r.segment === 'b')!;
    assert.deepEqual([cb.sr, cb.srr], [pb.sr, pb.srr]);
    assert.equal(got.plain.find((r) => r.segment === 'a')!.sr, 60_000);
    assert.equal(pb.capped, undefined);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
