import { isLeversError, LeversError } from '../core/errors.js';
import { histogram, inferThreshold, justUnder, type Histogram } from '../core/metrics/basket.js';
import type { ClvResult } from '../core/metrics/clv/clv.js';
import { historicValue, retention, type HistoricValue } from '../core/metrics/customers.js';
import { lmdi, roundParts } from '../core/metrics/decompose.js';
import { diagnose, type Diagnosis } from '../core/metrics/diagnosis.js';
import {
  addAggregates,
  EMPTY_AGGREGATE,
  leversOf,
  type Aggregate,
  type Levers,
  type RevenueBasis,
} from '../core/metrics/identity.js';
import { summarySentences, type Comparison } from '../core/metrics/narrative.js';
import { offerKpis, type OfferKpis } from '../core/metrics/offers.js';
import { rateMixSplit, type SegmentSplit } from '../core/metrics/segments.js';
import { unknownsOf } from '../core/metrics/summary.js';
import { estimateResponse } from '../core/metrics/shipping-response.js';
import { type ThresholdWithResponse, thresholdWithResponse } from '../core/metrics/threshold.js';
import {
  leverChanges,
  leverEstimates,
  type DailyTotals,
  type LeverChanges,
} from '../core/metrics/uncertainty.js';
import { currencyExponent, parseMoney } from '../core/money.js';
import type { Change } from '../core/stats/compare.js';
import {
  withDatabase,
  type AggregateRow,
  type Database,
  type Period,
  type ProfitBasis,
  type Store,
  type Window,
} from '../store/port.js';
import { CLV_DEFAULTS, clvTopOf } from './clv.js';
import type { Experiment } from '../core/experiments/config.js';
import { currencyOf } from './currency.js';
import { type ReportExperiments, reportExperiments } from './report-experiments.js';
import type { ReportOptions } from './report-options.js';
import { partialPeriod, resolveWindows, withActiveDays } from './report-windows.js';

export const REPORT_SCHEMA_VERSION = 2;

/** A split of a change into parts that add up to it, and the same in whole minor units that add up as shown. */
export interface Split {
  total: number;
  parts: Record<string, number>;
  shown: { total: number; parts: Record<string, number> };
}

export interface SegmentChanges {
  segment: string;
  cvr: Change | null;
  aov: Change | null;
  rps: Change | null;
}

export interface Report {
  schemaVersion: number;
  currency: string;
  basis: RevenueBasis;
  windows: { current: Window; previous: Window | null; totalsComparable: boolean; notes: string[] };
  dataRange: { first: string; last: string; hasSessions: boolean };
  unknown: string[];
  current: Levers;
  previous: Levers | null;
  /** Each lever's change against the previous window, with its 95% interval (null without a comparison). */
  changes: LeverChanges | null;
  /**
   * The revenue change split exactly into sessions, CVR and AOV (or orders and AOV without sessions), and the RPS
   * change into CVR and AOV; null when a window is empty, a lever unknown or the totals are not comparable.
   */
  split: { revenue: Split | null; rps: Split | null };
  series: { period: Period; points: (Levers & { period: string; partial: boolean })[] };
  segments: Record<
    string,
    {
      cvr: SegmentSplit | null;
      aov: SegmentSplit | null;
      rps: SegmentSplit | null;
      changes: SegmentChanges[];
    }
  >;
  warnings: string[];
  bots: {
    byUserAgent: number;
    byBehaviour: number;
    cvrWithBots: number | null;
    cvrWithoutBots: number | null;
    ordersLeftOut: number;
    revenueLeftOutMinor: number;
  } | null;
  basket: {
    histogram: Histogram;
    itemsPerOrder: number | null;
    linesPerOrder: number | null;
    threshold: number | null;
    thresholdSource: 'option' | 'inferred' | 'unknown';
    justUnder: { orders: number; share: number } | null;
  };
  customers: HistoricValue & { cohortRetention: ReturnType<typeof retention> };
  clv:
    | (Omit<ClvResult, 'values'> & {
        top: ClvResult['values'];
        calibrationEnd: string;
        customersValued: number;
      })
    | null;
  offers: OfferKpis | null;
  /** The offer experiments of the configuration that ran in the window (the global holdout is under offers). */
  experiments: ReportExperiments;
  freeShipping: ThresholdWithResponse | null;
  summary: string[];
  diagnosis: Diagnosis;
}

/** Why revenue moved, what customers are worth, what to do next: the report of a store. */
/**
 * `experiments`: the offer experiments of the configuration (null when no configuration was given), each
 * reported over its days within the window; `profit`, the configuration's economics, for those whose primary
 * metric is profit per session.
 */
export async function report(
  store: Store,
  o: ReportOptions,
  experiments: readonly Experiment[] | null = null,
  profit?: ProfitBasis,
): Promise<Report> {
  return withDatabase(store, (db) => reportOf(db, o, experiments, profit));
}

const pick = (rows: AggregateRow[], key: string, segment = 'all'): Aggregate =>
  rows.find((r) => r.key === key && r.segment === segment)?.aggregate ?? EMPTY_AGGREGATE;

export async function reportOf(
  db: Database,
  o: ReportOptions,
  experiments: readonly Experiment[] | null = null,
  profit?: ProfitBasis,
): Promise<Report> {
  const range = await db.dataRange();
  if (!range.first || !range.last) {
    throw new LeversError('NO_DATA', {
      what: 'sessions or orders',
      hint: 'load data with levers ingest or levers simulate',
    });
  }
  const { currency, sold: sales } = await currencyOf(db, o.currency);
  const exp = currencyExponent(currency);
  const minor = (text: string | undefined, option: string): number | undefined => {
    if (text === undefined) return undefined;
    const p = parseMoney(text, exp);
    if (!p.ok) throw new LeversError('INVALID_OPTION', { option, detail: p.reason });
    return p.minor;
  };
  const thresholdMinor = minor(o.freeShippingThreshold, 'freeShippingThreshold');
  const feeOption = minor(o.shippingFee, 'shippingFee');
  const costOption = minor(o.shippingCost, 'shippingCost');
  const cacMinor = minor(o.cac, 'cac');
  const scale = 10 ** exp;
  const basis: RevenueBasis = { includeShipping: o.includeShipping, includeTax: o.includeTax };
  const resolved = resolveWindows(o, range.first, range.last);
  const w = resolved.previous
    ? withActiveDays(resolved, await db.activeDays(resolved.current), await db.activeDays(resolved.previous))
    : resolved;
  // Without a comparison window the key still names two windows; the second simply matches nothing.
  const key = {
    by: 'window' as const,
    current: w.current,
    previous: w.previous ?? { from: '0001-01-01', to: '0001-01-01' },
  };
  const has = range.hasSessions;
  const lev = (a: Aggregate) => leversOf(a, basis, has);

  const totals = await db.aggregates(currency, key, null, basis);
  const aggCur = pick(totals, 'current');
  const aggPrev = pick(totals, 'previous');
  const current = lev(aggCur);
  const previous = w.previous ? lev(aggPrev) : null;
  const daily = await db.aggregates(currency, { by: 'period', period: 'day' }, null, basis);
  const daysOf = (win: Window): DailyTotals => {
    const inside = daily
      .filter((d) => d.key >= win.from && d.key <= win.to)
      .map((d) => ({ d, l: lev(d.aggregate) }));
    return {
      sessions: inside.map((x) => x.l.sessions ?? 0),
      revenueMinor: inside.map((x) => x.d.aggregate.units.sr),
    };
  };
  const changes =
    previous && w.previous
      ? leverChanges(
          leverEstimates(aggPrev, previous, daysOf(w.previous)),
          leverEstimates(aggCur, current, daysOf(w.current)),
        )
      : null;
  const unknown = [...w.notes, ...unknownsOf(aggCur, has, ' in the period')];
  const others = sales.filter((c) => c.currency !== currency);
  if (others.length) {
    const n = others.reduce((s, c) => s + c.sales, 0);
    unknown.push(
      `${n} orders in other currencies (${others.map((c) => c.currency).join(', ')}) are left out: each currency is reported on its own`,
    );
  }
  const split = splits(current, previous, w.totalsComparable, unknown);

  const seriesRows = await db.aggregates(currency, { by: 'period', period: o.period }, null, basis);
  const series = {
    period: o.period,
    points: seriesRows.map((r) => ({
      period: r.key,
      ...lev(r.aggregate),
      partial: partialPeriod(r.key, o.period, range.first!, range.last!),
    })),
  };

  const segments: Report['segments'] = {};
  const warnings: string[] = [];
  for (const dim of o.segment) {
    const seg = segmentSplits(await db.aggregates(currency, key, dim, basis), basis, has, current, previous);
    if (!seg) continue;
    segments[dim] = seg;
    for (const [metric, s] of Object.entries(seg) as [string, SegmentSplit | null][]) {
      // Only a change that is there (detectable) is worth explaining as mix.
      const detectable = changes?.[metric as 'cvr' | 'aov' | 'rps']?.detectable;
      if (metric === 'changes' || !s?.againstEverySegment || !detectable) continue;
      const moved = s.total < 0 ? 'fell' : 'rose';
      warnings.push(
        `${metric.toUpperCase()} ${moved} overall while no ${dim} segment ${moved}: the change is mix (${dim} shares moved), not rate`,
      );
    }
  }

  const bins = await db.orderValueBins(currency, w.current);
  const hist = histogram(bins);
  const inferred = inferThreshold(bins);
  const threshold = thresholdMinor != null ? thresholdMinor / scale : inferred;
  const margin = o.margin ?? (await db.soldMargin());
  // Customer value is the store's whole history, whatever window the report looks at.
  const cs = await db.customerStats(currency, range.last);
  const customers = {
    ...historicValue({
      customers: cs.customers,
      repeatCustomers: cs.repeatCustomers,
      orders: cs.orders,
      spend: await db.customerSpend(currency),
      margin,
      cacMinor: cacMinor ?? null,
      category: o.category ?? null,
    }),
    cohortRetention: retention(await db.cohorts(currency, range.last)),
  };

  const paidOrders = bins.reduce((s, b) => s + b.paidShipping, 0);
  const fee =
    feeOption != null
      ? feeOption / scale
      : paidOrders
        ? bins.reduce((s, b) => s + b.shippingMinor, 0) / paidOrders / scale
        : null;
  const paidShare =
    paidOrders /
    Math.max(
      1,
      bins.reduce((s, b) => s + b.orders, 0),
    );
  // Without a threshold in force, the estimate only makes sense for a store that charges most orders shipping.
  const thresholdStore = threshold != null || paidShare >= 0.5;
  const { topUpLines, toppedUp, ...responseRows } = await db.shippingResponse(currency, w.current);
  const response = estimateResponse({
    threshold,
    ...responseRows,
    margin,
    topUpLines: {
      revenue: Number(topUpLines.revenue),
      cost: topUpLines.cost == null ? null : Number(topUpLines.cost),
      lines: topUpLines.lines,
    },
    given: {
      ...(o.topUpRate != null ? { bridgeAtThreshold: o.topUpRate } : {}),
      ...(o.topUpBand != null ? { band: o.topUpBand } : {}),
      ...(o.abandonRate != null ? { abandonWhenCharged: o.abandonRate } : {}),
    },
  });
  // A margin given by the operator holds for every cart; measured from costs, each cart value gets its own.
  const binMargins =
    o.margin == null && margin != null && fee != null && bins.length > 0 && thresholdStore
      ? await db.valueBinMargins(currency, w.current)
      : undefined;
  const freeShipping =
    fee != null && bins.length > 0 && thresholdStore
      ? thresholdWithResponse(
          {
            bins,
            sessions: current.sessions,
            current: threshold,
            toppedUp,
            fee,
            cost: costOption != null ? costOption / scale : fee,
            margin,
            ...(binMargins ? { binMargins } : {}),
          },
          response,
          (current.aovMinor ?? 0) / scale,
        )
      : null;
  if (!freeShipping) {
    unknown.push(
      fee == null
        ? 'free-shipping estimate: no order in the period paid shipping, so the fee is unknown (give the shipping fee)'
        : `free-shipping estimate: no threshold is visible and only ${(paidShare * 100).toFixed(1)}% of orders paid shipping (give the threshold)`,
    );
  }

  const offers = await offerSection(db, currency, key, basis, has);
  const experimentRows = await reportExperiments(db, currency, w.current, experiments, profit);
  const events = await db.eventCounts(w.current);
  if (events.purchase > 0 && current.orders === 0) {
    unknown.push(
      `${events.purchase} purchase events in the period but no orders: load the orders export (or the server's ` +
        'event log with its purchases, levers ingest api-events) to measure conversion and revenue',
    );
  }
  const clv = o.clv ? await clvSection(db, currency, margin, unknown, warnings) : null;
  const comparison: Comparison = {
    current,
    previous,
    changes,
    totalsComparable: w.totalsComparable,
    segments,
  };
  const weekly = await db.aggregates(currency, { by: 'period', period: 'week' }, null, basis);
  const dev = segments.device?.aov?.segments;
  const mob = dev?.find((s) => s.segment === 'mobile')?.value1;
  const desk = dev?.find((s) => s.segment === 'desktop')?.value1;
  const ju = threshold != null ? justUnder(bins, threshold) : null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    currency,
    basis,
    windows: {
      current: w.current,
      previous: w.previous,
      totalsComparable: w.totalsComparable,
      notes: w.notes,
    },
    dataRange: { first: range.first, last: range.last, hasSessions: has },
    unknown,
    current,
    previous,
    changes,
    split,
    series,
    segments,
    warnings,
    bots: has
      ? {
          byUserAgent: aggCur.botAgent,
          byBehaviour: aggCur.botBehaviour,
          cvrWithBots: current.cvrWithBots,
          cvrWithoutBots: current.cvr,
          ordersLeftOut: aggCur.botOrders,
          revenueLeftOutMinor: aggCur.botNetMinor,
        }
      : null,
    basket: {
      histogram: hist,
      itemsPerOrder: current.itemsPerOrder,
      linesPerOrder: current.linesPerOrder,
      threshold,
      thresholdSource: thresholdMinor != null ? 'option' : inferred != null ? 'inferred' : 'unknown',
      justUnder: ju,
    },
    customers,
    clv,
    offers,
    experiments: experimentRows,
    freeShipping,
    summary: summarySentences(comparison, currency),
    diagnosis: diagnose({
      // Whole weeks only: the first and last may be cut by the data's edges.
      weeklySessions: weekly
        .filter((x) => !partialPeriod(x.key, 'week', range.first!, range.last!))
        .map((x) => x.aggregate.sessions),
      cvr: current.cvr,
      aovChange: changes?.aov ?? null,
      mobileAovGap: mob != null && desk ? 1 - mob / desk : null,
      customers,
      justUnderShare: ju?.share ?? null,
      threshold,
      currency,
    }),
  };
}

/**
 * LMDI splits of the revenue and RPS changes. There is nothing to split from or to an empty window, nor when a lever
 * is unknown or the windows hold different numbers of days; the unknowns say which.
 */
function splits(cur: Levers, prev: Levers | null, comparable: boolean, unknown: string[]): Report['split'] {
  if (!prev) return { revenue: null, rps: null };
  const split = (names: string[], before: number[], after: number[]): Split => {
    const r = lmdi(before, after);
    const shown = roundParts(r.total, r.parts);
    const parts = Object.fromEntries(names.map((n, i) => [n, r.parts[i]!]));
    return {
      total: r.total,
      parts,
      shown: { total: shown.total, parts: Object.fromEntries(names.map((n, i) => [n, shown.parts[i]!])) },
    };
  };
  const positive = cur.revenueMinor > 0 && prev.revenueMinor > 0;
  const rps =
    positive && cur.rpsMinor != null && prev.rpsMinor != null && cur.cvr != null && prev.cvr != null
      ? split(['cvr', 'aov'], [prev.cvr, prev.aovMinor!], [cur.cvr, cur.aovMinor!])
      : null;
  if (!positive) {
    unknown.push(
      `why revenue moved: the ${prev.revenueMinor > 0 ? 'current' : 'previous'} window has no revenue, so there is nothing to split`,
    );
    return { revenue: null, rps };
  }
  if (!comparable) return { revenue: null, rps };
  if (cur.aovMinor == null || prev.aovMinor == null) {
    unknown.push('why revenue moved: order value is unknown in a window, so the change cannot be split');
    return { revenue: null, rps };
  }
  if (cur.sessions != null && prev.sessions != null && cur.cvr != null && prev.cvr != null) {
    return {
      revenue: split(
        ['sessions', 'cvr', 'aov'],
        [prev.sessions, prev.cvr, prev.aovMinor],
        [cur.sessions, cur.cvr, cur.aovMinor],
      ),
      rps,
    };
  }
  return { revenue: split(['orders', 'aov'], [prev.orders, prev.aovMinor], [cur.orders, cur.aovMinor]), rps };
}

async function offerSection(
  db: Database,
  currency: string,
  key: Parameters<Database['aggregates']>[1],
  basis: RevenueBasis,
  has: boolean,
): Promise<OfferKpis | null> {
  const win = key.by === 'window' ? key.current : null;
  const rows = win ? await db.offerEvents(win) : [];
  const groups = has ? await db.aggregates(currency, key, 'assignment', basis) : [];
  const group = (g: string) => {
    const a = groups.find((x) => x.key === 'current' && x.segment === g)?.aggregate;
    return a ? { a, l: leversOf(a, basis, has) } : null;
  };
  const [t, h] = [group('treatment'), group('holdout')];
  if (!rows.length && !h) return null;
  const lift = t && h ? leverChanges(leverEstimates(h.a, h.l), leverEstimates(t.a, t.l)) : null;
  return offerKpis(rows, t?.l ?? null, h?.l ?? null, lift);
}

/** Customers the report lists by value. */
const CLV_TOP = 20;

/** M8 in the report: fit on the first two thirds of the customer history, track the last third. */
async function clvSection(
  db: Database,
  currency: string,
  margin: number | null,
  unknown: string[],
  warnings: string[],
): Promise<Report['clv']> {
  try {
    const r = await clvTopOf(
      db,
      currency,
      { calibrationShare: 2 / 3, ...CLV_DEFAULTS, margin: margin ?? undefined, minCustomers: 20 },
      CLV_TOP,
    );
    for (const [k, v] of Object.entries(r.bgnbd.params)) {
      if (v > 0.99e4 || v < 1.01e-4) {
        warnings.push(
          `BG/NBD parameter ${k} reached the search bound (${v.toPrecision(3)}): the history shows ` +
            (k === 'b' || k === 'a'
              ? 'almost no drop-out; read P(alive) as ≈ 1'
              : 'too little repeat activity to pin it down'),
        );
      }
    }
    return { ...r, customersValued: r.customers };
  } catch (e) {
    // A degenerate history (almost no repeat buyers) must not take the rest of the report down with it.
    if (!isLeversError(e)) throw e;
    unknown.push(
      `predictive CLV: ${e.code === 'NO_DATA' ? 'too few customers to fit the BG/NBD model' : e.message}`,
    );
    return null;
  }
}

const TOP_SEGMENTS = 8;

function segmentSplits(
  rows: AggregateRow[],
  basis: RevenueBasis,
  has: boolean,
  current: Levers,
  previous: Levers | null,
) {
  const names = [...new Set(rows.map((r) => r.segment))];
  if (names.length < 2) return null;
  const weight = (s: string) =>
    rows.filter((r) => r.segment === s).reduce((t, r) => t + r.aggregate.sessions + r.aggregate.orders, 0);
  const top = names.sort((a, b) => weight(b) - weight(a)).slice(0, TOP_SEGMENTS);
  const agg = (k: string, s: string) =>
    rows
      .filter((r) => r.key === k && (s === 'other' ? !top.includes(r.segment) : r.segment === s))
      .reduce((a, r) => addAggregates(a, r.aggregate), EMPTY_AGGREGATE);
  const segs = names.length > TOP_SEGMENTS ? [...top, 'other'] : top;
  const pts = segs
    .map((s) => ({ s, ac: agg('current', s), ap: agg('previous', s) }))
    .map((x) => ({ ...x, c: leversOf(x.ac, basis, has), p: leversOf(x.ap, basis, has) }))
    .filter(({ c, p }) => c.orders + p.orders + (c.sessionsWithBots ?? 0) + (p.sessionsWithBots ?? 0) > 0);
  const split = (
    w: (l: Levers) => number,
    v: (l: Levers) => number | null,
    t1: number | null,
    t0: number | null,
  ) =>
    !previous || t1 == null || t0 == null
      ? null
      : rateMixSplit(
          pts.map(({ s, c, p }) => ({
            segment: s,
            weight0: w(p),
            value0: w(p) > 0 ? v(p) : null,
            weight1: w(c),
            value1: w(c) > 0 ? v(c) : null,
          })),
          t0,
          t1,
        );
  const changes: SegmentChanges[] = previous
    ? pts.map(({ s, ac, ap, c, p }) => {
        const ch = leverChanges(leverEstimates(ap, p), leverEstimates(ac, c));
        return { segment: s, cvr: ch.cvr, aov: ch.aov, rps: ch.rps };
      })
    : [];
  return {
    cvr: has
      ? split(
          (l) => l.sessions ?? 0,
          (l) => l.cvr,
          current.cvr,
          previous?.cvr ?? null,
        )
      : null,
    aov: split(
      (l) => l.orders,
      (l) => l.aovMinor,
      current.aovMinor,
      previous?.aovMinor ?? null,
    ),
    rps: has
      ? split(
          (l) => l.sessions ?? 0,
          (l) => l.rpsMinor,
          current.rpsMinor,
          previous?.rpsMinor ?? null,
        )
      : null,
    changes,
  };
}
