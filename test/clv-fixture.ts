import assert from 'node:assert/strict';
import { clvOf, clvTopOf } from '../src/app/clv.js';
import { summarisePurchases } from '../src/core/metrics/clv/clv.js';
import { simulate } from '../src/sim/simulate.js';
import { type Store, withDatabase } from '../src/store/port.js';

/** A simulated store with a few hundred customers, some of them buying again (more: a later load). */
export async function simulatedClvStore(store: Store, more?: { seed: number; days: number }): Promise<void> {
  await withDatabase(store, async (db) => {
    const load = await db.beginLoad();
    simulate(
      {
        seed: more?.seed ?? 4,
        days: more?.days ?? 45,
        sessionsPerDay: 400,
        startMs: Date.UTC(2026, 0, 5) + (more ? 45 * 86_400_000 : 0),
        currency: 'USD',
        scenario: 'baseline',
        ...(more ? { idPrefix: `more${more.seed}-` } : {}),
      },
      load,
    );
    await load.commit();
  });
}

/**
 * The report's CLV (the fit and the top n) is cached per version of the data: computed once for the data as it
 * is, kept through a re-load that changed nothing, computed afresh after a load that changed the data, and then
 * what valuing every customer of the new data gives.
 */
export async function assertClvCacheFollowsLoads(store: Store): Promise<void> {
  const o = { calibrationShare: 2 / 3, horizon: 12, discountRate: 0.01, minCustomers: 20 };
  let computed = 0;
  const probe = (s: Store) =>
    withDatabase(s, (db) =>
      db.cached('probe', { o }, async () => {
        computed++;
        return { n: computed, nan: Number.NaN, inf: -Infinity };
      }),
    );
  const before = await withDatabase(store, (db) => clvTopOf(db, 'USD', o, 20));
  assert.deepEqual(await withDatabase(store, (db) => clvTopOf(db, 'USD', o, 20)), before);
  assert.deepEqual(await probe(store), { n: 1, nan: Number.NaN, inf: -Infinity });
  assert.deepEqual(await probe(store), { n: 1, nan: Number.NaN, inf: -Infinity }, 'read back, not computed');
  await simulatedClvStore(store);
  assert.equal((await probe(store)).n, 1, 'an unchanged re-load keeps the cache');
  await simulatedClvStore(store, { seed: 8, days: 30 });
  assert.equal((await probe(store)).n, 2, 'a load that changed the data drops it');
  await withDatabase(store, async (db) => {
    const after = await clvTopOf(db, 'USD', o, 20);
    const all = await clvOf(db, 'USD', o);
    assert.deepEqual(after.top, all.values.slice(0, 20));
    assert.deepEqual(after.bgnbd, all.bgnbd);
    assert.notDeepEqual(after.bgnbd, before.bgnbd);
    assert.ok(after.customers > before.customers, `${after.customers} > ${before.customers} customers`);
  });
}

/**
 * What the store computes in SQL for CLV is what the pure core computes from every purchase: the summaries, the
 * customers one by one, and the report's top n (ranked in SQL) the first n of everyone valued.
 */
export async function assertClvFromSql(store: Store): Promise<void> {
  await withDatabase(store, async (db) => {
    const purchases = await db.customerPurchases('USD');
    const range = await db.customerDayRange('USD');
    assert.equal(range.customers, purchases.length);
    assert.ok(range.customers > 100, `${range.customers} customers`);
    const first = range.firstDay!;
    const last = range.lastDay!;
    // All history, two thirds (the report's), and a calibration end before some customers' first purchase.
    for (const calibrationEndDay of [last, first + Math.floor(((last - first) * 2) / 3), first + 10]) {
      const cal = { calibrationEndDay, holdoutEndDay: last };
      const pure = summarisePurchases(purchases, calibrationEndDay, last);
      assert.deepEqual(
        await db.clvSummaries('USD', cal),
        pure.summaries,
        `summaries to day ${calibrationEndDay}`,
      );
      assert.deepEqual(
        await db.clvCustomers('USD', cal),
        pure.customers,
        `customers to day ${calibrationEndDay}`,
      );
      assert.ok(pure.customers.length > 20 && pure.summaries.patterns.length < pure.customers.length);
    }
    for (const o of [
      { calibrationShare: 2 / 3, horizon: 12, discountRate: 0.01, minCustomers: 20 },
      { horizon: 6, discountRate: 0, margin: 0.4 },
    ]) {
      const all = await clvOf(db, 'USD', o);
      assert.ok(all.gammaGamma, 'spend is modelled');
      for (const n of [1, 20, all.values.length + 5]) {
        const top = await clvTopOf(db, 'USD', o, n);
        assert.deepEqual(top.top, all.values.slice(0, n), `top ${n}`);
        const { values: _, totalSeconds: _t, fitSeconds: _f, fitMs: _m, ...model } = all;
        const { top: _top, totalSeconds: _t2, fitSeconds: _f2, fitMs: _m2, ...topModel } = top;
        assert.deepEqual(topModel, model);
      }
    }
  });
}
