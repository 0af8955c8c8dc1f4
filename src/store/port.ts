import type { BanditWeights } from '../core/experiments/bandit-snapshot.js';
import type { ClvRanking, ClvSummaries, CustomerSummary } from '../core/metrics/clv/clv.js';
import type { CustomerPurchases } from '../core/metrics/clv/rfm.js';
import type { CustomerSpend } from '../core/metrics/customers.js';
import type { Aggregate, RevenueBasis } from '../core/metrics/identity.js';
import type { Reject, RowSink } from '../core/model/rows.js';
import type { TableName } from '../core/model/tables.js';
import type { DuckDBValue } from '@duckdb/node-api';
import type { DuckDb } from './duckdb/connection.js';
import type { Baskets } from '../core/recs/baskets.js';
import type { CustomerHistories, PastOrder } from '../core/recs/habits.js';
import type { ItemMeta, RecsModel } from '../core/recs/model.js';
import type { UnitSums } from '../core/stats/estimate.js';

export type { Reject };

/**
 * The store as the use cases see it: facts and aggregates in the language of the metrics, baskets, purchases,
 * customer histories, snapshots, the event log and rejects. No SQL, connection or folder path crosses this
 * line; an adapter (DuckDB in a folder today, PostgreSQL next) implements it.
 */
export interface Store {
  /** Where the store is, for messages ("store .levers"). */
  readonly location: string;
  /** The analytic tables; one writer at a time, so open it for a use case and close it after. */
  openDatabase(): Promise<Database>;
  readonly snapshots: SnapshotStore;
  /** The append-only log of API events (opened by the one process that writes it). */
  openEventLog(): EventLog;
  /**
   * True when many processes may open the event log and the counters at once (a database): a cluster's workers
   * then write to it themselves instead of through the primary.
   */
  readonly sharedByServers?: boolean;
  /**
   * Counters every server of the store adds to (rate limits), when the store is shared; absent or null for a
   * folder, whose one server counts alone.
   */
  openSharedCounters?(): SharedCounters | null;
  /**
   * With a shared store: brings what was published newer than this machine's snapshots into them (the model,
   * the offer configuration, each bandit's weights; see Pulled), publishes this machine's current model, and
   * follows new publications (`onNew` after each pull that brought something). Absent for a folder, whose
   * snapshots are already the only ones.
   */
  pullSnapshots?(): Promise<Pulled>;
  publishSnapshots?(): Promise<number>;
  followSnapshots?(onNew: (pulled: Pulled) => void): { close(): void };
  /** With a shared store: publishes a bandit's weights, just saved to this machine's snapshots, for every server. */
  publishBanditWeights?(w: BanditWeights): Promise<void>;
  /**
   * With a shared store: publishes an offers section (checked by the caller) as the next version of the store's
   * offer configuration; the same as the newest publishes nothing (`unchanged`).
   */
  publishOffers?(offers: unknown): Promise<{ version: number; unchanged: boolean }>;
  /**
   * With a shared store: the offer configuration published for every server, as last pulled to this machine;
   * null when none was ever published (the configuration file's offers are served then).
   */
  publishedOffers?(): PublishedOffers | null;
  /** The event log's files, oldest first, for `ingest api-events` (a database's log is exported to one). */
  eventLogFiles(): Promise<string[]>;
  /** Keeps rejected rows where the operator can fix them; returns where. */
  writeRejects(runId: string, format: string, rejects: readonly Reject[]): string;
  /** The simulator's truth (what really happened), beside the data it explains; returns where. */
  writeTruth(truth: unknown): string;
  /** The simulator's truth, when this store was simulated (null otherwise). */
  readTruth(): unknown;
  /** Where `levers demo` keeps its exported files and its server configuration. */
  readonly demo: { exportDir: string; configFile: string };
  /** True when the store holds nothing at all (no database, no snapshot, no event log). */
  isEmpty(): boolean;
  /** True when this looks like a store `levers demo` made (it may be replaced without asking). */
  isDemoStore(): boolean;
  markAsDemo(): void;
  /** Deletes the store (only ever called for a demo store). */
  destroy(): void;
}

/** What a pull from a shared store brought: newer versions only (null or none: nothing newer). */
export interface Pulled {
  model: number | null;
  offers: number | null;
  weights: { experiment: string; version: number }[];
}

/** An offer configuration as published for every server of a shared store. */
export interface PublishedOffers {
  version: number;
  /** When it was published, UTC (YYYY-MM-DDTHH:MM:SSZ). */
  publishedAt: string;
  /** The offers section as the operator wrote it (parsed, with defaults, by the server that serves it). */
  offers: unknown;
}

/** Opens the database for one use case and always closes it. */
export async function withDatabase<T>(store: Store, fn: (db: Database) => Promise<T>): Promise<T> {
  const db = await store.openDatabase();
  try {
    return await fn(db);
  } finally {
    db.close();
  }
}

export const SEGMENT_DIMENSIONS = ['device', 'channel', 'landing', 'country', 'customer_type'] as const;
export type SegmentDimension = (typeof SEGMENT_DIMENSIONS)[number];
export const PERIODS = ['day', 'week', 'month'] as const;
export type Period = (typeof PERIODS)[number];
/** Inclusive days, YYYY-MM-DD. */
export interface Window {
  from: string;
  to: string;
}

/**
 * One segment's guardrail sums, sessions as units: the refund share (refunded over what sale orders charged for
 * merchandise, minor units) and offer acceptance (sessions that accepted an offer over sessions shown one).
 */
export interface GuardrailRow {
  segment: string;
  n: number;
  refunds: UnitSums;
  acceptance: UnitSums;
}

/** What keeps its variant in an experiment (see the experiment configuration). */
export type ExperimentUnit = 'session' | 'visitor' | 'customer';

/**
 * One variant's sums over an experiment's units: n units, and per unit its human sessions s, orders o and net
 * revenue r (minor units) as Σs, Σs², Σo, Σo², Σr, Σr², Σor, Σos, Σrs.
 */
export interface ExperimentUnitRow {
  segment: string;
  n: number;
  ss: number;
  sss: number;
  so: number;
  soo: number;
  sr: number;
  srr: number;
  sor: number;
  sos: number;
  srs: number;
  /** Per unit its profit p (minor units): Σp, Σp², Σps; when asked with the store's economics. */
  profit?: { sp: number; spp: number; sps: number };
  /** Per unit x, what its customer spent before the window (CUPED's covariate): Σx, Σx², Σrx, Σox, Σsx. */
  pre: { sx: number; sxx: number; srx: number; sox: number; ssx: number };
  /** With a cap asked: the revenue per unit it cut at (minor units; null when no unit bought) and how many units it cut. */
  capped?: { at: number | null; units: number };
}

export interface ExperimentUnitOptions {
  /** Profit per session as the bandit's rewards count it (the store's economics). */
  basis?: ProfitBasis | undefined;
  /**
   * Winsorise at this percentile (0.99: the 99th): a unit's revenue, profit and pre-period spend above the
   * percentile of the units with any (all arms pooled, so every arm is cut at the same value) count as that value.
   */
  cap?: number | undefined;
}

/** How aggregates are keyed: two comparison windows, calendar periods, or everything at once. */
export type AggregateBy = SegmentDimension | 'assignment' | { experiment: string } | null;

export type AggregateKey =
  | { by: 'window'; current: Window; previous: Window }
  | { by: 'period'; period: Period }
  | { by: 'all' };

/**
 * One group's aggregate: key is 'current'/'previous', a period's first day, or 'all'; segment is 'all'
 * ungrouped.
 */
export interface AggregateRow {
  key: string;
  segment: string;
  aggregate: Aggregate;
}

export interface DataRange {
  first: string | null;
  last: string | null;
  hasSessions: boolean;
}

/**
 * Sale orders by merchandise value (after discounts) in whole major units, and whether they paid shipping.
 */
export interface ValueBinRow {
  unit: number;
  orders: number;
  paidShipping: number;
  shippingMinor: number;
}

/** Product lines of a value bin's orders whose cost is known: sold at price and at cost (major units). */
export interface ValueBinMarginRow {
  unit: number;
  revenue: number;
  cost: number;
}

export interface CustomerStats {
  customers: number;
  repeatCustomers: number;
  orders: number;
  netMinor: number;
  distribution: { orders: number; customers: number }[];
}

/**
 * What shoppers did around the free-shipping threshold, where sessions and events exist: carts shown the
 * progress bar by their gap (whole major units) and how many topped up; checkouts by cart value and how many
 * became orders.
 */
export interface ShippingResponseRows {
  /**
   * checkouts / checkoutValue: of the carts that topped up, those that reached checkout and their cart value
   * there (major units), which says how far past the threshold a top-up lands.
   */
  progress: { gap: number; shown: number; accepted: number; checkouts: number; checkoutValue: number }[];
  checkouts: { unit: number; checkouts: number; orders: number; stratum: string }[];
  /**
   * What the top-ups added, as sold: the lines of the product each accepted progress bar named, in the orders of
   * those sessions, at their price and (where known) their cost. Fillers are often cheap, high-margin items, so
   * their margin, not the store's, prices a top-up.
   */
  topUpLines: { revenue: string; cost: string | null; lines: number };
  /**
   * The orders of sessions that topped up through the progress bar, by order value (`unit`) and by the cart
   * before the top-up (`before`: the order less the lines of the product the bar named), whole major units after
   * discounts: what the orders above the threshold would have been without it, measured rather than modelled.
   */
  toppedUp: { before: number; unit: number; orders: number }[];
}

/** How profit is priced where the data cannot say (from the offer configuration's economics and shipping). */
export interface ProfitBasis {
  /** Margin of a product line without a cost, 0–1. */
  assumedMargin: number;
  /** What shipping an order costs the store, minor units; null leaves shipping out of profit. */
  shippingCostMinor: number | null;
}

/**
 * One variant's rewards per unit (human sessions): Σx and Σx² of revenue and of profit per session, minor units;
 * and the sold merchandise, with the part whose products have a cost.
 */
export interface RewardSums {
  segment: string;
  n: number;
  revenue: { sx: number; sxx: number };
  profit: { sx: number; sxx: number };
  soldMinor: number;
  costedMinor: number;
}

export interface OfferEventRow {
  offer_id: string;
  /** web, chat or email (an event without one is web's). */
  channel: string;
  shown: number;
  accepted: number;
  declined: number;
  /** "Tell me more" in the chat. */
  replied: number;
}

export interface TableCounts {
  staged: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows of this load that repeated a key already in the same load (the last one is kept). */
  duplicateKeys: number;
}

/**
 * Rows written by a loader, merged into the store on commit (keyed on ids: loading twice changes nothing).
 */
export interface LoadBatch extends RowSink {
  commit(): Promise<Partial<Record<TableName, TableCounts>>>;
  /** DuckDB stores: stage rows a format maps in SQL over a file DuckDB reads itself (absent elsewhere). */
  readonly sql?: SqlStaging;
}

/** Staging rows from SQL: the format's SELECT (columns in the order given) goes into the load's staging table. */
export interface SqlStaging {
  readonly db: DuckDb;
  /**
   * Inserts the rows `select` yields into the table's staging; returns how many. With `ordinals`, the select's
   * last column, `_ord`, places each row (unique, in 1..ordinals; later wins among equal keys) instead of the
   * order rows come in, which saves numbering them in a window over the whole select.
   */
  stage(
    table: TableName,
    columns: readonly string[],
    select: string,
    params?: DuckDBValue[],
    ordinals?: number,
  ): Promise<number>;
}

/** The newest load while nothing has changed the data since: its run, fingerprint and summary (JSON). */
export interface LastLoad {
  runId: string;
  fingerprint: string;
  summary: string;
}

export interface IngestRun {
  runId: string;
  format: string;
  files: string[];
  rows: { read: number; loaded: number; rejected: number; skipped: number };
  rejectsFile: string | null;
}

export interface BasketQuery {
  /** Orders placed before this day (training data). */
  before?: string;
  /** Orders placed on or after this day. */
  from?: string;
}

/** CLV's calibration: fit on purchases up to the first day, check the forecast on those up to the second. */
export interface Calibration {
  calibrationEndDay: number;
  holdoutEndDay: number;
}

/** The analytic side of the store. Money comes back in minor units of the currency asked for. */
export interface Database {
  beginLoad(): Promise<LoadBatch>;
  recordIngestRun(run: IngestRun): Promise<void>;
  /**
   * The newest load's fingerprint (its format, options and files' content), kept only while nothing has changed
   * the data since: loading the same again would change nothing. Stores that do not keep one leave these out.
   */
  lastLoad?(): Promise<LastLoad | null>;
  noteLoad?(load: LastLoad): Promise<void>;
  /** Sessions plus orders held. */
  rowCount(): Promise<number>;
  /** Order lines whose order is not in the store, and sales whose product lines do not add up to their gross. */
  integrity(): Promise<{ orphanLines: number; unbalancedOrders: number }>;
  /** Deletes every row (simulate --replace). */
  clear(): Promise<void>;

  /**
   * `compute`'s result (JSON data) kept for the data as it is now: read back by later calls with the same name and
   * parameters until a load or a clear changes the data (then computed afresh).
   */
  cached<T>(name: string, params: unknown, compute: () => Promise<T>): Promise<T>;
  /** Currencies of sale orders, most sales first: the first is the store's main currency. */
  currencies(): Promise<{ currency: string; sales: number }[]>;
  dataRange(): Promise<DataRange>;
  /** Days of a window on which there are sessions or orders. */
  activeDays(window: Window): Promise<number>;
  /**
   * Sessions and the orders in `currency`, aggregated by key and segment (see the metric definitions); by an
   * offer experiment, the segment is the unit's variant ('unknown' outside the experiment).
   */
  aggregates(
    currency: string,
    key: AggregateKey,
    by: AggregateBy,
    basis: RevenueBasis,
  ): Promise<AggregateRow[]>;
  /**
   * CUPED's covariate per segment, over the same human sessions as aggregates(): x is what the session's customer
   * spent (net, minor units) before the window; Σx, Σx², Σrx and Σox with the session's revenue r and orders o.
   */
  covariates(
    currency: string,
    window: Window,
    by: AggregateBy,
  ): Promise<{ segment: string; sx: number; sxx: number; srx: number; sox: number }[]>;
  /**
   * Per-group sums over units (sessions, visitors or customers) within a window: an experiment's variants, or the
   * global holdout and treatment (by 'assignment').
   */
  experimentUnits(
    currency: string,
    window: Window,
    by: AggregateBy,
    unit: ExperimentUnit,
    options?: ExperimentUnitOptions,
  ): Promise<ExperimentUnitRow[]>;
  /** Guardrail sums per segment (refund share, offer acceptance) over units (sessions unless asked). */
  guardrailSums(
    currency: string,
    window: Window,
    by: AggregateBy,
    unit?: ExperimentUnit,
  ): Promise<GuardrailRow[]>;
  /** A bandit's rewards per variant of an offer experiment over a window (see RewardSums). */
  experimentRewards(
    currency: string,
    window: Window,
    experiment: string,
    basis: ProfitBasis,
  ): Promise<RewardSums[]>;
  orderValueBins(currency: string, window: Window): Promise<ValueBinRow[]>;
  /** The same bins' product lines with a known cost, at price and at cost: the margin of carts by their value. */
  valueBinMargins(currency: string, window: Window): Promise<ValueBinMarginRow[]>;
  shippingResponse(currency: string, window: Window): Promise<ShippingResponseRows>;
  /** Known customers' sale orders up to a day (no lower bound: the repeat rate needs the history). */
  customerStats(currency: string, to: string): Promise<CustomerStats>;
  /** What known customers actually spent, over all the history, and by first-order cohort. */
  customerSpend(currency: string): Promise<CustomerSpend>;
  /** First-order cohorts by month and how many of each ordered k months later. */
  cohorts(currency: string, to: string): Promise<{ cohort: string; offset: number; customers: number }[]>;
  offerEvents(window: Window): Promise<OfferEventRow[]>;
  /** Events of a window by type (a purchase event without an order says the orders are missing). */
  eventCounts(window: Window): Promise<{ purchase: number }>;
  /** Gross margin of what was sold, from product costs; null when costs are not known. */
  soldMargin(): Promise<number | null>;
  /** Each known customer's sale days and net values in `currency`. */
  customerPurchases(currency: string): Promise<CustomerPurchases[]>;
  /**
   * Known customers who bought in `currency`, and the first and last day (days since the epoch) they did; it
   * starts a CLV run: the clv* methods after it read the purchases as they were then.
   */
  customerDayRange(
    currency: string,
  ): Promise<{ customers: number; firstDay: number | null; lastDay: number | null }>;
  /**
   * What the CLV models need of the customers who bought by the calibration end (see ClvSummaries), computed
   * where the purchases are: the same as summarisePurchases(customerPurchases(currency)).
   */
  clvSummaries(currency: string, c: Calibration): Promise<ClvSummaries>;
  /** The same customers one by one, by id. */
  clvCustomers(currency: string, c: Calibration): Promise<CustomerSummary[]>;
  /**
   * The customers who may be among the n most valuable under a ranking (by id): at least the n, and those tied
   * with the n-th to within rounding, for the core to value exactly.
   */
  clvTopCandidates(
    currency: string,
    c: Calibration,
    ranking: ClvRanking,
    n: number,
  ): Promise<CustomerSummary[]>;

  /** Sale baskets (distinct products of each sale), ordered by time, as typed arrays. */
  baskets(q?: BasketQuery): Promise<{ baskets: Baskets; orderIds: string[] }>;
  /** What the store knows of these products, prices in minor units of `currency`. */
  itemInfo(ids: readonly string[], currency: string): Promise<Map<string, ItemMeta>>;
  customerHistory(customerId: string): Promise<PastOrder[]>;
  /** Every repeat customer's last `maxOrders` orders: the habits snapshot. */
  repeatCustomerHistories(maxOrders: number): Promise<Record<string, PastOrder[]>>;
  /** Day (days since the epoch) of the last order, or null. */
  lastOrderDay(): Promise<number | null>;
  /** The placed-at time below which a share q of sales fall (YYYY-MM-DD HH:MM:SS), or null without sales. */
  saleTimeQuantile(q: number): Promise<string | null>;

  close(): void;
}

/** Model snapshots and the customer histories mined with them: files the server holds in memory. */
export interface SnapshotStore {
  /**
   * A mark of everything a server loads (model, histories, bandit weights) that changes whenever any of it is
   * replaced: a server compares marks to pick up a new snapshot without being told.
   */
  changeMark(): string;
  nextModelVersion(): number;
  /** Writes version m.version and makes it the current one atomically; returns where. */
  saveModel(m: RecsModel): string;
  /** The current snapshot; NO_DATA when there is none. */
  loadModel(): RecsModel;
  hasModel(): boolean;
  modelLocation(version: number): string;
  saveHistories(h: CustomerHistories): void;
  /** The histories, or null when the model was mined from a basket file (no customers). */
  loadHistories(): CustomerHistories | null;
  /** The next version of a bandit experiment's weights (1 for the first). */
  nextBanditVersion(experiment: string): number;
  /** Writes version w.version and makes it the one in force atomically; returns where. */
  saveBanditWeights(w: BanditWeights): string;
  /** Every bandit's weights in force; SNAPSHOT_INVALID when one does not pass its schema. */
  loadBanditWeights(): BanditWeights[];
}

export interface StoredEvent {
  idempotencyKey: string;
}

export interface AppendResult {
  accepted: number;
  duplicates: number;
}

/**
 * Where the API puts events: the log itself, or (in a cluster worker) a proxy to the process that owns it.
 */
export interface EventSink {
  append(events: readonly StoredEvent[]): AppendResult | Promise<AppendResult>;
  readonly size: number;
}

export interface EventLog extends EventSink {
  /** Why the last append failed (a full disk), until one succeeds again; null when writable. */
  readonly degraded: string | null;
  close(): void;
}

/** Counts per key and time window, summed over every process that adds to them. */
export interface SharedCounters {
  /** Adds these deltas in a window; resolves with the totals of those keys now (everyone's). */
  add(window: number, deltas: readonly [string, number][]): Promise<[string, number][]>;
  close(): void;
}
