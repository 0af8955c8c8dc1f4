import { simulate } from '../src/sim/simulate.js';
import type { Database } from '../src/store/port.js';
import type { SqlConn } from '../src/store/sql/conn.js';
import type { SqlDatabase } from '../src/store/sql/database.js';

/** The rollup tests' shared set-up: the store's SQL connection, its tables as text, and simulated loads. */
export const DAY = 86_400_000;
export const START = Date.UTC(2026, 0, 5);

/** Every rollup a report reads (the fact tables rf_sessions and rf_orders aside). */
export const ROLLUP_TABLES = [
  'rf_daily_sessions',
  'rf_daily_units',
  'rf_daily_orders',
  'rf_days',
  'rf_offer_daily',
  'rf_fsp_shown',
  'rf_session_offers',
  'rf_checkouts',
  'rf_fsp_accepted',
  'rf_customers',
  'rf_customer_totals',
  'rf_customer_orders',
  'rf_customer_cohorts',
  'rf_cohorts',
  'rf_customer_days',
] as const;

export const conn = (db: Database): SqlConn => (db as unknown as SqlDatabase).db;

/** Every row of each table, as text, sorted: two stores' tables compare whatever order their rows came in. */
export async function tableRows(db: Database, tables: readonly string[]): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of tables) {
    const rows = await conn(db).all(`SELECT * FROM ${t}`);
    out[t] = rows.map((r) => JSON.stringify(r, (_k, v) => (typeof v === 'bigint' ? String(v) : v))).sort();
  }
  return out;
}

/** One load of a simulated baseline store's days (ids prefixed so that loads collide only when asked to). */
export async function loadSimulated(
  db: Database,
  o: { seed: number; startDay: number; days: number; idPrefix: string; sessionsPerDay: number },
) {
  const batch = await db.beginLoad();
  simulate(
    {
      seed: o.seed,
      days: o.days,
      sessionsPerDay: o.sessionsPerDay,
      startMs: START + o.startDay * DAY,
      currency: 'USD',
      scenario: 'baseline',
      intent: 3,
      idPrefix: o.idPrefix,
    },
    batch,
  );
  return batch.commit();
}
