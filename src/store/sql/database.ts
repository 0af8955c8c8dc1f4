import type { ClvRanking } from '../../core/metrics/clv/clv.js';
import type { RevenueBasis } from '../../core/metrics/identity.js';
import { TABLE_NAMES } from '../../core/model/tables.js';
import type {
  AggregateBy,
  AggregateKey,
  BasketQuery,
  Calibration,
  Database,
  ExperimentUnit,
  ExperimentUnitOptions,
  IngestRun,
  LoadBatch,
  ProfitBasis,
  Window,
} from '../port.js';
import { ident, type SqlConn } from './conn.js';
import { inDays } from './definitions.js';
import {
  customerHistory,
  itemInfo,
  lastOrderDay,
  loadBaskets,
  repeatCustomerHistories,
  saleTimeQuantile,
} from './queries/baskets.js';
import { dataRange, orderValueBins, valueBinMargins } from './queries/details.js';
import { experimentUnits, guardrailSums } from './queries/experiments.js';
import { aggregates, covariates } from './queries/facts.js';
import { aggregatesFromRollups } from './queries/rollup-aggregates.js';
import {
  cohortsFromRollups,
  customerSpendFromRollups,
  customerStatsFromRollups,
  offerEventsFromRollups,
  shippingResponseFromRollups,
} from './queries/rollup-details.js';
import {
  cachedResult,
  FACT_SOURCES,
  factsHeld,
  markRollupsFresh,
  markRollupsStale,
  refreshRollups,
  rollupsFresh,
  updateRollups,
} from './rollups.js';
import { forgetTouched, recordingTouched } from './touched.js';
import {
  clvCustomers,
  clvSummaries,
  clvTopCandidates,
  currencies,
  customerDayRange,
  customerPurchases,
  forgetCustomerTables,
  soldMargin,
} from './queries/purchases.js';
import { experimentRewards } from './queries/rewards.js';

/**
 * The analytic side of the store over any SQL engine with a dialect (DuckDB, PostgreSQL): the metric SQL is
 * shared, an adapter adds how rows get in (its bulk load) and how it closes. The fact tables the metrics read and
 * their daily rollups are kept in the store (src/store/sql/rollups.ts): rebuilt after a load changed the data, and
 * on first use when they are not current (a store made before them, a load that stopped half-way), so a report
 * reads rollups instead of scanning the sessions.
 */
export abstract class SqlDatabase implements Database {
  /** The check (and rebuild) of the stored facts; null after a change (several reads at once check once). */
  private factsChecked: Promise<void> | null = null;

  protected constructor(readonly db: SqlConn) {}

  protected abstract startLoad(): Promise<LoadBatch>;
  abstract close(): void;

  private async facts(): Promise<SqlConn> {
    this.factsChecked ??= (async () => {
      if (!(await rollupsFresh(this.db))) await refreshRollups(this.db);
    })().catch((e) => {
      this.factsChecked = null;
      throw e;
    });
    await this.factsChecked;
    return this.db;
  }

  /**
   * A load's commit, then its facts and rollups: the one place they follow the data. They are marked stale first,
   * so that a reader in between (or after a crash) rebuilds them rather than read old ones. A load that changed no
   * row leaves them as they are; one into a store whose facts were current updates them from what it touched
   * (updateRollups); otherwise (an empty store, facts not current) they are rebuilt whole.
   */
  async beginLoad(): Promise<LoadBatch> {
    const load = await this.startLoad();
    const commit = load.commit.bind(load);
    load.commit = async () => {
      this.factsChecked = null;
      forgetCustomerTables(this.db);
      await this.dataChanging();
      const wasFresh = await rollupsFresh(this.db);
      const incremental = wasFresh && (await factsHeld(this.db));
      await markRollupsStale(this.db);
      await forgetTouched(this.db);
      if (incremental) recordingTouched.add(this.db);
      let counts: Awaited<ReturnType<LoadBatch['commit']>>;
      try {
        counts = await commit();
      } finally {
        recordingTouched.delete(this.db);
      }
      const changed = FACT_SOURCES.some((t) => {
        const c = counts[t];
        return c != null && c.inserted + c.updated > 0;
      });
      if (changed && incremental) await updateRollups(this.db);
      else if (changed || !wasFresh) await refreshRollups(this.db);
      else await markRollupsFresh(this.db);
      await forgetTouched(this.db);
      return counts;
    };
    return load;
  }

  async recordIngestRun(r: IngestRun): Promise<void> {
    await this.db.run(`INSERT INTO ingest_runs VALUES ($1, now(), $2, $3, $4, $5, $6, $7, $8)`, [
      r.runId,
      r.format,
      r.files.join(', '),
      r.rows.read,
      r.rows.loaded,
      r.rows.rejected,
      r.rows.skipped,
      r.rejectsFile,
    ]);
  }

  async rowCount(): Promise<number> {
    const r = await this.db.one<{ n: number }>(
      `SELECT ((SELECT count(*) FROM orders) + (SELECT count(*) FROM sessions))::INTEGER AS n`,
    );
    return r.n;
  }

  async integrity(): Promise<{ orphanLines: number; unbalancedOrders: number }> {
    return this.db.one(`SELECT
      (SELECT count(*) FROM order_lines l WHERE NOT EXISTS (SELECT 1 FROM orders o WHERE o.order_id = l.order_id))::INTEGER AS "orphanLines",
      (SELECT count(*) FROM orders o JOIN (SELECT order_id, sum(quantity * unit_price) AS total FROM order_lines
         WHERE line_type = 'product' GROUP BY 1) l USING (order_id)
       WHERE o.kind = 'sale' AND o.gross_merchandise <> l.total)::INTEGER AS "unbalancedOrders"`);
  }

  /** Called before anything changes the data tables (a load's commit, clear). */
  protected async dataChanging(): Promise<void> {}

  async clear(): Promise<void> {
    await markRollupsStale(this.db);
    this.factsChecked = null;
    await this.dataChanging();
    for (const t of TABLE_NAMES) await this.db.run(`DELETE FROM ${ident(t)}`);
    forgetCustomerTables(this.db);
  }

  cached = async <T>(name: string, params: unknown, compute: () => Promise<T>): Promise<T> =>
    cachedResult(await this.facts(), name, params, compute);
  currencies = () => currencies(this.db);
  dataRange = async () => dataRange(await this.facts());
  activeDays = async (w: Window) =>
    (
      await (
        await this.facts()
      ).one<{ n: number }>(
        `SELECT count(DISTINCT d)::INTEGER AS n FROM (
      SELECT d FROM rf_days WHERE d >= $1::DATE AND d <= $2::DATE) days`,
        [w.from, w.to],
      )
    ).n;
  aggregates = async (currency: string, key: AggregateKey, by: AggregateBy, basis: RevenueBasis) =>
    by != null && typeof by === 'object'
      ? aggregates(await this.facts(), currency, key, by, basis)
      : aggregatesFromRollups(await this.facts(), currency, key, by, basis);
  covariates = async (currency: string, w: Window, by: AggregateBy) =>
    covariates(await this.facts(), currency, w, by);
  experimentUnits = async (
    currency: string,
    w: Window,
    by: AggregateBy,
    unit: ExperimentUnit,
    options?: ExperimentUnitOptions,
  ) => experimentUnits(await this.facts(), currency, w, by, unit, options);
  guardrailSums = async (currency: string, w: Window, by: AggregateBy, unit?: ExperimentUnit) =>
    guardrailSums(await this.facts(), currency, w, by, unit);
  experimentRewards = async (currency: string, w: Window, experiment: string, basis: ProfitBasis) =>
    experimentRewards(await this.facts(), currency, w, experiment, basis);
  orderValueBins = async (currency: string, w: Window) => orderValueBins(await this.facts(), currency, w);
  valueBinMargins = async (currency: string, w: Window) => valueBinMargins(await this.facts(), currency, w);
  shippingResponse = async (currency: string, w: Window) =>
    shippingResponseFromRollups(await this.facts(), currency, w);
  customerStats = async (currency: string, to: string) =>
    customerStatsFromRollups(await this.facts(), currency, to);
  cohorts = async (currency: string, to: string) => cohortsFromRollups(await this.facts(), currency, to);
  customerSpend = async (currency: string) => customerSpendFromRollups(await this.facts(), currency);
  offerEvents = async (w: Window) => offerEventsFromRollups(await this.facts(), w);
  eventCounts = async (w: Window) =>
    this.db.one<{ purchase: number }>(
      `SELECT count(*) FILTER (WHERE type = 'purchase')::INTEGER AS purchase FROM events
       WHERE ${inDays('occurred_at', '$1', '$2')}`,
      [w.from, w.to],
    );
  soldMargin = () => soldMargin(this.db);
  customerPurchases = (currency: string) => customerPurchases(this.db, currency);
  customerDayRange = async (currency: string) => customerDayRange(await this.facts(), currency);
  clvSummaries = async (currency: string, c: Calibration) =>
    clvSummaries(await this.facts(), currency, c.calibrationEndDay, c.holdoutEndDay);
  clvCustomers = async (currency: string, c: Calibration) =>
    clvCustomers(await this.facts(), currency, c.calibrationEndDay, c.holdoutEndDay);
  clvTopCandidates = async (currency: string, c: Calibration, ranking: ClvRanking, n: number) =>
    clvTopCandidates(await this.facts(), currency, c.calibrationEndDay, c.holdoutEndDay, ranking, n);
  baskets = (q?: BasketQuery) => loadBaskets(this.db, q);
  itemInfo = (ids: readonly string[], currency: string) => itemInfo(this.db, ids, currency);
  customerHistory = (id: string) => customerHistory(this.db, id);
  repeatCustomerHistories = (max: number) => repeatCustomerHistories(this.db, max);
  lastOrderDay = () => lastOrderDay(this.db);
  saleTimeQuantile = (q: number) => saleTimeQuantile(this.db, q);
}
