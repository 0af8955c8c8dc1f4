import { LeversError, isLeversError } from '../core/errors.js';
import { histogram, inferThreshold, justUnder, type Histogram } from '../core/metrics/basket.js';
import type { ClvResult } from '../core/metrics/clv/clv.js';
import { historicValue, retention, type HistoricValue } from '../core/metrics/customers.js';
import { lmdi } from '../core/metrics/decompose.js';
import {
  addAggregates,
  EMPTY_AGGREGATE,
  leversOf,
  type Aggregate,
  type Levers,
  type RevenueBasis,
} from '../core/metrics/identity.js';
import { diagnose, summarySentences, type Comparison, type Diagnosis } from '../core/metrics/narrative.js';
import { offerKpis, type OfferKpis } from '../core/metrics/offers.js';
import { rateMixSplit, type SegmentSplit } from '../core/metrics/segments.js';
import { unknownsOf } from '../core/metrics/summary.js';
import { DEFAULT_RESPONSE, estimateThreshold, type ThresholdEstimate } from '../core/metrics/threshold.js';
import { currencyExponent, parseMoney } from '../core/money.js';
import {
  withDatabase,
  type AggregateRow,
  type Database,
  type Period,
  type Store,
  type Window,
} from '../store/port.js';
import { clvOf, CLV_DEFAULTS } from './clv.js';
import type { ReportOptions } from './report-options.js';
import { resolveWindows } from './report-windows.js';

export const REPORT_SCHEMA_VERSION = 1;

export interface Report {
  schemaVersion: number;
  currency: string;
  basis: RevenueBasis;
  windows: { current: Window; previous: Window };
  dataRange: { first: string; last: string; hasSessions: boolean };
  unknown: string[];
  current: Levers;
  previous: Levers;
  change: {
    revenue: {
      total: number;
      sessions: number | null;
      cvr: number | null;
      aov: number;
      orders: number | null;
    };
    rps: { total: number; cvr: number; aov: number } | null;
  };
  series: { period: Period; points: (Levers & { period: string })[] };
  segments: Record<string, { cvr: SegmentSplit | null; aov: SegmentSplit | null; rps: SegmentSplit | null }>;
  warnings: string[];
  bots: {
    byUserAgent: number;
    byBehaviour: number;
    cvrWithBots: number | null;
    cvrWithoutBots: number | null;
  } | null;
  basket: {
    histogram: Histogram;
    itemsPerOrder: number | null;
    linesPerOrder: number | null;
    threshold: number | null;
    thresholdSource: 'option' | 'inferred' | 'unknown';
    justUnder: { orders: number; share: number } | null;
  };
  customers: HistoricValue & { cohorts: ReturnType<typeof retention> };
  clv:
    | (Omit<ClvResult, 'values'> & {
        top: ClvResult['values'];
        calibrationEnd: string;
        customersValued: number;
      })
    | null;
  offers: OfferKpis | null;
  freeShipping: ThresholdEstimate | null;
  summary: string[];
  diagnosis: Diagnosis;
}

/** Why revenue moved, what customers are worth, what to do next: the report of a store. */
export async function report(store: Store, o: ReportOptions): Promise<Report> {
  return withDatabase(store, (db) => reportOf(db, o));
}

const pick = (rows: AggregateRow[], key: string, segment = 'all'): Aggregate =>
  rows.find((r) => r.key === key && r.segment === segment)?.aggregate ?? EMPTY_AGGREGATE;

export async function reportOf(db: Database, o: ReportOptions): Promise<Report> {
  const range = await db.dataRange();
  if (!range.first || !range.last) {
    throw new LeversError('NO_DATA', {
      what: 'sessions or orders',
      hint: 'load data with levers ingest or levers simulate',
    });
  }
  const sales = await db.currencies();
  if (o.currency && sales.length && !sales.some((c) => c.currency === o.currency)) {
    throw new LeversError('INVALID_OPTION', {
      option: 'currency',
      detail: `the store has no sales in ${o.currency} (it has ${sales.map((c) => c.currency).join(', ')})`,
    });
  }
  const currency = o.currency ?? sales[0]?.currency ?? 'USD';
  const others = sales.filter((c) => c.currency !== currency);
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
  const windows = resolveWindows(o, range.first, range.last);
  const key = { by: 'window' as const, ...windows };
  const has = range.hasSessions;
  const lev = (a: Aggregate) => leversOf(a, basis, has);

  const totals = await db.aggregates(currency, key, null);
  const aggCur = pick(totals, 'current');
  const current = lev(aggCur);
  const previous = lev(pick(totals, 'previous'));
  const unknown = unknownsOf(aggCur, has, ' in the period');
  if (others.length) {
    const n = others.reduce((s, c) => s + c.sales, 0);
    unknown.push(
      `${n} orders in other currencies (${others.map((c) => c.currency).join(', ')}) are left out: each ` +
        `currency is reported on its own`,
    );
  }

  const revenueParts = has
    ? (() => {
        const r = lmdi(
          [previous.sessions ?? 0, previous.cvr ?? 0, previous.aovMinor ?? 0],
          [current.sessions ?? 0, current.cvr ?? 0, current.aovMinor ?? 0],
        );
        return { total: r.total, sessions: r.parts[0]!, cvr: r.parts[1]!, aov: r.parts[2]!, orders: null };
      })()
    : (() => {
        const r = lmdi([previous.orders, previous.aovMinor ?? 0], [current.orders, current.aovMinor ?? 0]);
        return { total: r.total, sessions: null, cvr: null, aov: r.parts[1]!, orders: r.parts[0]! };
      })();
  const rps =
    has && current.rpsMinor != null && previous.rpsMinor != null
      ? (() => {
          const r = lmdi(
            [previous.cvr ?? 0, previous.aovMinor ?? 0],
            [current.cvr ?? 0, current.aovMinor ?? 0],
          );
          return { total: r.total, cvr: r.parts[0]!, aov: r.parts[1]! };
        })()
      : null;

  const seriesRows = await db.aggregates(currency, { by: 'period', period: o.period }, null);
  const series = {
    period: o.period,
    points: seriesRows.map((r) => ({ period: r.key, ...lev(r.aggregate) })),
  };

  const segments: Report['segments'] = {};
  const warnings: string[] = [];
  for (const dim of o.segment) {
    const split = segmentSplits(await db.aggregates(currency, key, dim), basis, has, current, previous);
    if (!split) continue;
    segments[dim] = split;
    for (const [metric, s] of Object.entries(split) as [string, SegmentSplit | null][]) {
      if (!s?.againstEverySegment) continue;
      const moved = s.total < 0 ? 'fell' : 'rose';
      warnings.push(
        `${metric.toUpperCase()} ${moved} overall while no ${dim} segment ${moved}: the change is mix ` +
          `(${dim} shares moved), not rate`,
      );
    }
  }

  const bins = await db.orderValueBins(currency, windows.current);
  const hist = histogram(bins);
  const inferred = inferThreshold(bins);
  const threshold = thresholdMinor != null ? thresholdMinor / scale : inferred;
  const margin = o.margin ?? (await db.soldMargin());
  const cs = await db.customerStats(currency, windows.current.to);
  const aovMajor = (current.aovMinor ?? 0) / scale;
  const customers = {
    ...historicValue({
      customers: cs.customers,
      repeatCustomers: cs.repeatCustomers,
      orders: cs.orders,
      aovMinor: current.aovMinor,
      margin,
      cacMinor: cacMinor ?? null,
      category: o.category ?? null,
    }),
    cohorts: retention(await db.cohorts(currency, windows.current.to)),
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
  // Without a threshold in force, the estimate only makes sense for a store that charges most orders
  // shipping.
  const thresholdStore = threshold != null || paidShare >= 0.5;
  const freeShipping =
    fee != null && bins.length > 0 && thresholdStore
      ? estimateThreshold(
          {
            bins,
            sessions: current.sessions,
            current: threshold,
            fee,
            cost: costOption != null ? costOption / scale : fee,
            margin,
            response: DEFAULT_RESPONSE,
          },
          aovMajor,
        )
      : null;
  if (!freeShipping) {
    unknown.push(
      fee == null
        ? 'free-shipping estimate: no order in the period paid shipping, so the fee is unknown (give the ' +
            'shipping fee)'
        : `free-shipping estimate: no threshold is visible and only ${(paidShare * 100).toFixed(1)}% of ` +
            `orders paid shipping (give the threshold)`,
    );
  }

  const offerRows = await db.offerEvents(windows.current);
  const byAssignment = has ? await db.aggregates(currency, key, 'assignment') : [];
  const grp = (g: string) =>
    byAssignment.some((x) => x.key === 'current' && x.segment === g)
      ? lev(pick(byAssignment, 'current', g))
      : null;
  const offers =
    offerRows.length || grp('holdout') ? offerKpis(offerRows, grp('treatment'), grp('holdout')) : null;

  let clv: Report['clv'] = null;
  if (o.clv) {
    try {
      const r = await clvOf(db, currency, {
        calibrationShare: 2 / 3,
        ...CLV_DEFAULTS,
        margin: margin ?? undefined,
        minCustomers: 20,
      });
      const { values, ...rest } = r;
      clv = {
        ...rest,
        top: values.slice(0, 20),
        calibrationEnd: r.calibrationEnd,
        customersValued: values.length,
      };
    } catch (e) {
      // A degenerate history (almost no repeat buyers) must not take the rest of the report down with it.
      if (!isLeversError(e)) throw e;
      unknown.push(
        `predictive CLV: ${e.code === 'NO_DATA' ? 'too few customers to fit the BG/NBD model' : e.message}`,
      );
    }
  }
  for (const [k, v] of Object.entries(clv?.bgnbd.params ?? {})) {
    if (v > 0.99e4 || v < 1.01e-4) {
      warnings.push(
        `BG/NBD parameter ${k} reached the search bound (${v.toPrecision(3)}): the history shows ` +
          (k === 'b' || k === 'a'
            ? 'almost no drop-out; read P(alive) as ≈ 1'
            : 'too little repeat activity to pin it down'),
      );
    }
  }
  const comparison: Comparison = { current, previous, revenueParts, segments };
  const weekly = await db.aggregates(currency, { by: 'period', period: 'week' }, null);
  const dev = segments.device?.aov?.segments;
  const mob = dev?.find((s) => s.segment === 'mobile')?.value1;
  const desk = dev?.find((s) => s.segment === 'desktop')?.value1;
  const ju = threshold != null ? justUnder(bins, threshold) : null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION,
    currency,
    basis,
    windows,
    dataRange: { first: range.first, last: range.last, hasSessions: has },
    unknown,
    current,
    previous,
    change: { revenue: revenueParts, rps },
    series,
    segments,
    warnings,
    bots: has
      ? {
          byUserAgent: aggCur.botAgent,
          byBehaviour: aggCur.botBehaviour,
          cvrWithBots: current.cvrWithBots,
          cvrWithoutBots: current.cvr,
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
    freeShipping,
    summary: summarySentences(comparison, currency),
    diagnosis: diagnose({
      weeklySessions: weekly.slice(1, -1).map((w) => w.aggregate.sessions),
      cvr: current.cvr,
      aovGrowth:
        current.aovMinor != null && previous.aovMinor ? current.aovMinor / previous.aovMinor - 1 : null,
      mobileAovGap: mob != null && desk ? 1 - mob / desk : null,
      customers,
      justUnderShare: ju?.share ?? null,
      threshold,
      currency,
    }),
  };
}

const TOP_SEGMENTS = 8;

function segmentSplits(
  rows: AggregateRow[],
  basis: RevenueBasis,
  has: boolean,
  current: Levers,
  previous: Levers,
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
    .map((s) => ({
      s,
      c: leversOf(agg('current', s), basis, has),
      p: leversOf(agg('previous', s), basis, has),
    }))
    .filter(({ c, p }) => c.orders + p.orders + (c.sessionsWithBots ?? 0) + (p.sessionsWithBots ?? 0) > 0);
  const split = (
    w: (l: Levers) => number,
    v: (l: Levers) => number | null,
    t1: number | null,
    t0: number | null,
  ) =>
    t1 == null || t0 == null
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
  return {
    cvr: has
      ? split(
          (l) => l.sessions ?? 0,
          (l) => l.cvr,
          current.cvr,
          previous.cvr,
        )
      : null,
    aov: split(
      (l) => l.orders,
      (l) => l.aovMinor,
      current.aovMinor,
      previous.aovMinor,
    ),
    rps: has
      ? split(
          (l) => l.sessions ?? 0,
          (l) => l.rpsMinor,
          current.rpsMinor,
          previous.rpsMinor,
        )
      : null,
  };
}
