import type { RevenueBasis } from '../../core/metrics/identity.js';
import { TABLE_NAMES } from '../../core/model/tables.js';
import type {
  AggregateBy,
  AggregateKey,
  BasketQuery,
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
import {
  cohorts,
  customerSpend,
  customerStats,
  dataRange,
  offerEvents,
  orderValueBins,
  shippingResponse,
} from './queries/details.js';
import { experimentUnits, guardrailSums } from './queries/experiments.js';
import { aggregates, buildFacts, covariates } from './queries/facts.js';
import { currencies, customerPurchases, soldMargin } from './queries/purchases.js';
import { experimentRewards } from './queries/rewards.js';

/**
 * The analytic side of the store over any SQL engine with a dialect (DuckDB, PostgreSQL): the metric SQL is
 * shared, an adapter adds how rows get in (its bulk load) and how it closes. The fact tables the metrics read are
 * built on first use and rebuilt after anything changes the data, so a report costs one pass over the sessions
 * however many sections ask.
 */
export abstract class SqlDatabase implements Database {
  /** The fact tables being or been built; null after a change (several facts asked at once build them once). */
  private factsBuilt: Promise<void> | null = null;

  protected constructor(readonly db: SqlConn) {}

  protected abstract startLoad(): Promise<LoadBatch>;
  abstract close(): void;

  private async facts(): Promise<SqlConn> {
    this.factsBuilt ??= buildFacts(this.db).catch((e) => {
      this.factsBuilt = null;
      throw e;
    });
    await this.factsBuilt;
    return this.db;
  }

  async beginLoad(): Promise<LoadBatch> {
    const load = await this.startLoad();
    const commit = load.commit.bind(load);
    load.commit = async () => {
      this.factsBuilt = null;
      await this.dataChanging();
      return commit();
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
    await this.dataChanging();
    for (const t of TABLE_NAMES) await this.db.run(`DELETE FROM ${ident(t)}`);
    this.factsBuilt = null;
  }

  currencies = () => currencies(this.db);
  dataRange = async () => dataRange(await this.facts());
  activeDays = async (w: Window) =>
    (
      await (
        await this.facts()
      ).one<{ n: number }>(
        `SELECT count(DISTINCT d)::INTEGER AS n FROM (
      SELECT started_at::DATE AS d FROM rf_sessions UNION SELECT placed_at::DATE FROM rf_orders) days
      WHERE d >= $1::DATE AND d <= $2::DATE`,
        [w.from, w.to],
      )
    ).n;
  aggregates = async (currency: string, key: AggregateKey, by: AggregateBy, basis: RevenueBasis) =>
    aggregates(await this.facts(), currency, key, by, basis);
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
  shippingResponse = async (currency: string, w: Window) => shippingResponse(await this.facts(), currency, w);
  customerStats = async (currency: string, to: string) => customerStats(await this.facts(), currency, to);
  cohorts = async (currency: string, to: string) => cohorts(await this.facts(), currency, to);
  customerSpend = async (currency: string) => customerSpend(await this.facts(), currency);
  offerEvents = (w: Window) => offerEvents(this.db, w);
  eventCounts = async (w: Window) =>
    this.db.one<{ purchase: number }>(
      `SELECT count(*) FILTER (WHERE type = 'purchase')::INTEGER AS purchase FROM events
       WHERE ${inDays('occurred_at', '$1', '$2')}`,
      [w.from, w.to],
    );
  soldMargin = () => soldMargin(this.db);
  customerPurchases = (currency: string) => customerPurchases(this.db, currency);
  baskets = (q?: BasketQuery) => loadBaskets(this.db, q);
  itemInfo = (ids: readonly string[], currency: string) => itemInfo(this.db, ids, currency);
  customerHistory = (id: string) => customerHistory(this.db, id);
  repeatCustomerHistories = (max: number) => repeatCustomerHistories(this.db, max);
  lastOrderDay = () => lastOrderDay(this.db);
  saleTimeQuantile = (q: number) => saleTimeQuantile(this.db, q);
}
