import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tempDir } from '../../../../test/helpers.js';
import { simulate } from '../../../app/simulate.js';
import type { SimOptions } from '../../../sim/params.js';
import { forEachSession } from '../../../sim/simulate.js';
import { sessionNetMinor, sessionProfitMinor } from '../../../sim/truth.js';
import { openStore } from '../../open.js';
import { withDatabase } from '../../port.js';

const opts: SimOptions = {
  seed: 11,
  days: 6,
  sessionsPerDay: 700,
  startMs: Date.UTC(2026, 0, 5),
  currency: 'USD',
  scenario: 'baseline',
  experiment: {
    id: 'sim-threshold',
    variants: [
      { id: 't50', weight: 0.5, thresholdMinor: 5000 },
      { id: 't75', weight: 0.5, thresholdMinor: 7500 },
    ],
  },
};

test("a bandit's rewards per variant are the simulator's own revenue and profit per session, summed", async () => {
  const store = openStore(tempDir());
  await simulate(store, opts, {});
  // What the simulator says each human session earned: net merchandise, and its truth's profit.
  const want = new Map<string, { n: number; r: number; rr: number; p: number; pp: number }>();
  forEachSession(opts, (o) => {
    const v = o.session.experiments?.split('=')[1];
    if (o.isBot || !v) return;
    const w = want.get(v) ?? { n: 0, r: 0, rr: 0, p: 0, pp: 0 };
    const r = sessionNetMinor(o);
    const p = sessionProfitMinor(o);
    want.set(v, { n: w.n + 1, r: w.r + r, rr: w.rr + r * r, p: w.p + p, pp: w.pp + p * p });
  });
  const got = await withDatabase(store, (db) =>
    db.experimentRewards('USD', { from: '2026-01-05', to: '2026-01-10' }, 'sim-threshold', {
      assumedMargin: 0.4,
      shippingCostMinor: 695,
    }),
  );
  assert.deepEqual(
    got.map((g) => g.segment),
    ['t50', 't75'],
  );
  for (const g of got) {
    const w = want.get(g.segment)!;
    // The store flags a few zero-second human sessions as bots by behaviour; they placed no order.
    assert.ok(g.n <= w.n && g.n > 0.99 * w.n, `${g.segment}: ${g.n} of ${w.n}`);
    const close = (a: number, b: number) => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));
    assert.ok(close(g.revenue.sx, w.r), `${g.segment} revenue ${g.revenue.sx} vs ${w.r}`);
    assert.ok(close(g.revenue.sxx, w.rr), `${g.segment} revenue² ${g.revenue.sxx} vs ${w.rr}`);
    assert.ok(close(g.profit.sx, w.p), `${g.segment} profit ${g.profit.sx} vs ${w.p}`);
    assert.ok(close(g.profit.sxx, w.pp), `${g.segment} profit² ${g.profit.sxx} vs ${w.pp}`);
    // Every simulated product has a cost.
    assert.equal(g.costedMinor, g.soldMinor);
    assert.ok(g.soldMinor > 0);
  }
  // Without a shipping cost, shipping is out of profit; a missing cost would be priced at the assumed margin.
  const noShip = await withDatabase(store, (db) =>
    db.experimentRewards('USD', { from: '2026-01-05', to: '2026-01-10' }, 'sim-threshold', {
      assumedMargin: 0.4,
      shippingCostMinor: null,
    }),
  );
  assert.ok(noShip[0]!.profit.sx !== got[0]!.profit.sx);
});
