import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RevenueBasis } from '../src/core/metrics/identity.js';
import { openStore } from '../src/store/open.js';
import { SEGMENT_DIMENSIONS, withDatabase, type AggregateKey, type Database } from '../src/store/port.js';
import {
  cohorts,
  customerSpend,
  customerStats,
  offerEvents,
  shippingResponse,
} from '../src/store/sql/queries/details.js';
import { aggregates } from '../src/store/sql/queries/facts.js';
import { aggregatesFromRollups } from '../src/store/sql/queries/rollup-aggregates.js';
import {
  cohortsFromRollups,
  customerSpendFromRollups,
  customerStatsFromRollups,
  offerEventsFromRollups,
  shippingResponseFromRollups,
} from '../src/store/sql/queries/rollup-details.js';
import { markRollupsStale, refreshRollups, rollupsFresh } from '../src/store/sql/rollups.js';
import { conn, loadSimulated, ROLLUP_TABLES, tableRows } from './rollups-fixture.js';

/** Every rollup row, as text, in one order: what a report can read. */
const rollups = (db: Database) => tableRows(db, ROLLUP_TABLES);

const load = (db: Database, seed: number, days: number, startDay: number, idPrefix: string) =>
  loadSimulated(db, { seed, startDay, days, idPrefix, sessionsPerDay: 150 });

test('rollups after loads that add, re-load unchanged and rewrite earlier days equal rollups rebuilt from scratch', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-rollups-'));
  try {
    await withDatabase(openStore(dir), async (db) => {
      await load(db, 1, 8, 0, 'a-');
      await load(db, 2, 8, 8, 'b-');
      const before = await rollups(db);
      // The same rows again change nothing: the rollups stay current without a rebuild.
      const again = await load(db, 1, 8, 0, 'a-');
      for (const t of ['sessions', 'orders', 'order_lines'] as const) {
        assert.equal(again[t]!.inserted + again[t]!.updated, 0, t);
      }
      assert.equal(await rollupsFresh(conn(db)), true);
      assert.deepEqual(await rollups(db), before);
      // Other rows under the same ids, on other days: sessions, orders and customers move between days.
      await load(db, 3, 5, 4, 'a-');
      const incremental = await rollups(db);
      assert.notDeepEqual(incremental, before);
      await markRollupsStale(conn(db));
      await refreshRollups(conn(db));
      assert.deepEqual(await rollups(db), incremental);
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('aggregates, offer events and the shipping response from the rollups equal them over the facts and events', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-rollups-'));
  try {
    await withDatabase(openStore(dir), async (db) => {
      await load(db, 4, 12, 0, 'c-');
      // Later days in the next month: customers of two monthly cohorts.
      await load(db, 5, 6, 26, 'd-');
      // A store without current rollups (one made before them) builds them on first read.
      await markRollupsStale(conn(db));
      const range = await db.dataRange();
      assert.equal(await rollupsFresh(conn(db)), true);
      assert.ok(range.first && range.last);
      const keys: AggregateKey[] = [
        { by: 'all' },
        { by: 'period', period: 'day' },
        { by: 'period', period: 'week' },
        { by: 'period', period: 'month' },
        {
          by: 'window',
          current: { from: '2026-01-11', to: '2026-01-16' },
          previous: { from: '2026-01-05', to: '2026-01-10' },
        },
      ];
      const bases: RevenueBasis[] = [false, true].flatMap((s) =>
        [false, true].map((t) => ({ includeShipping: s, includeTax: t })),
      );
      let rows = 0;
      for (const key of keys) {
        for (const by of [null, ...SEGMENT_DIMENSIONS, 'assignment' as const]) {
          for (const basis of bases) {
            const facts = await aggregates(conn(db), 'USD', key, by, basis);
            const rolled = await aggregatesFromRollups(conn(db), 'USD', key, by, basis);
            assert.deepEqual(rolled, facts, `${JSON.stringify(key)} by ${by} ${JSON.stringify(basis)}`);
            rows += facts.length;
          }
        }
      }
      assert.ok(rows > 1000);
      for (const w of [
        { from: '2026-01-05', to: '2026-01-16' },
        { from: '2026-01-08', to: '2026-01-10' },
      ]) {
        const offers = await offerEvents(conn(db), w);
        assert.ok(offers.length > 0);
        assert.deepEqual(await offerEventsFromRollups(conn(db), w), offers);
        const response = await shippingResponse(conn(db), 'USD', w);
        assert.ok(response.progress.length > 0 && response.checkouts.length > 0);
        assert.deepEqual(await shippingResponseFromRollups(conn(db), 'USD', w), response);
        // In a currency the sessions never bought in, no checkout made an order.
        assert.deepEqual(
          await shippingResponseFromRollups(conn(db), 'EUR', w),
          await shippingResponse(conn(db), 'EUR', w),
        );
      }
      // The customers: to the data's last day from the per-customer rollups, to an earlier day over the orders.
      for (const to of [range.last!, '2026-01-10']) {
        const stats = await customerStats(conn(db), 'USD', to);
        assert.ok(stats.repeatCustomers > 0 && stats.distribution.length > 1);
        assert.deepEqual(await customerStatsFromRollups(conn(db), 'USD', to), stats, to);
        const months = await cohorts(conn(db), 'USD', to);
        assert.ok(months.length > (to === range.last ? 1 : 0));
        assert.deepEqual(await cohortsFromRollups(conn(db), 'USD', to), months, to);
      }
      const spend = await customerSpend(conn(db), 'USD');
      assert.ok(spend.customers > 0 && spend.cohorts.length > 0);
      assert.deepEqual(await customerSpendFromRollups(conn(db), 'USD'), spend);
      assert.deepEqual(await customerSpendFromRollups(conn(db), 'EUR'), await customerSpend(conn(db), 'EUR'));
      assert.deepEqual(
        await customerStatsFromRollups(conn(db), 'EUR', range.last!),
        await customerStats(conn(db), 'EUR', range.last!),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
