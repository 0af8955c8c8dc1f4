import { LeversError } from '../core/errors.js';
import { histogram, inferThreshold, justUnder, type Histogram } from '../core/metrics/basket.js';
import { customerLifetimeValue, type ClvResult } from '../core/metrics/clv/clv.js';
import { dayRange } from '../core/metrics/clv/rfm.js';
import { historicValue, retention, type HistoricValue } from '../core/metrics/customers.js';
import { lmdi } from '../core/metrics/decompose.js';
import { addAggregates, EMPTY_AGGREGATE, leversOf, type Aggregate, type Levers, type RevenueBasis } from '../core/metrics/identity.js';
import { diagnose, summarySentences, type Comparison, type Diagnosis } from '../core/metrics/narrative.js';
import { offerKpis, type OfferKpis } from '../core/metrics/offers.js';
import { rateMixSplit, type SegmentSplit } from '../core/metrics/segments.js';
import { DEFAULT_RESPONSE, estimateThreshold, type ThresholdEstimate } from '../core/metrics/threshold.js';
import { currencyExponent, decimalToMinor } from '../core/money.js';
import type { Store } from '../store/connection.js';
import { mainCurrency } from '../store/queries/currency.js';
import { customerPurchases, soldMargin } from '../store/queries/purchases.js';
import { cohorts, customerStats, dataRange, offerEvents, orderValueBins } from '../store/queries/report-details.js';
import { aggregateFacts, buildReportFacts, type FactRow, type Period, type SegmentDimension } from '../store/queries/report-facts.js';
import { resolveWindows, type Window } from './windows.js';

export interface ReportOptions extends RevenueBasis {
  period: Period;
  from?: string;
  to?: string;
  compare?: string;
  segments: SegmentDimension[];
  thresholdMajor?: number;
  shippingFeeMajor?: number;
  shippingCostMajor?: number;
  margin?: number;
  cacMajor?: number;
  category?: string;
  clv: boolean;
}

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
  change: { revenue: { total: number; sessions: number | null; cvr: number | null; aov: number; orders: number | null }; rps: { total: number; cvr: number; aov: number } | null };
  series: { period: Period; points: (Levers & { period: string })[] };
  segments: Record<string, { cvr: SegmentSplit | null; aov: SegmentSplit | null; rps: SegmentSplit | null }>;
  warnings: string[];
  bots: { byUserAgent: number; byBehaviour: number; cvrWithBots: number | null; cvrWithoutBots: number | null } | null;
  basket: { histogram: Histogram; itemsPerOrder: number | null; linesPerOrder: number | null; threshold: number | null; thresholdSource: 'option' | 'inferred' | 'unknown'; justUnder: { orders: number; share: number } | null };
  customers: HistoricValue & { cohorts: ReturnType<typeof retention> };
  clv: (Omit<ClvResult, 'values'> & { top: ClvResult['values']; calibrationEnd: string; customersValued: number }) | null;
  offers: OfferKpis | null;
  freeShipping: ThresholdEstimate | null;
  summary: string[];
  diagnosis: Diagnosis;
}

const toAggregate = (r: FactRow | undefined, exp: number): Aggregate => r ? {
  sessions: r.sessions, botAgent: r.bot_agent, botBehaviour: r.bot_behaviour, orders: r.orders, botOrders: r.bot_orders,
  linkedOrders: r.linked_orders, grossMinor: decimalToMinor(r.gross, exp), discountMinor: decimalToMinor(r.discount, exp),
  refundedMinor: decimalToMinor(r.refunded, exp), returnsMinor: decimalToMinor(r.returns, exp),
  shippingMinor: decimalToMinor(r.shipping, exp), taxMinor: decimalToMinor(r.tax, exp), items: r.items, lines: r.lines,
} : EMPTY_AGGREGATE;

const windowKey = (col: string) => `CASE WHEN ${col} >= $1::TIMESTAMP AND ${col} < $2::TIMESTAMP + INTERVAL 1 DAY THEN 'current'
  WHEN ${col} >= $3::TIMESTAMP AND ${col} < $4::TIMESTAMP + INTERVAL 1 DAY THEN 'previous' END`;

export async function buildReport(store: Store, o: ReportOptions): Promise<Report> {
  await buildReportFacts(store);
  const range = await dataRange(store);
  if (!range.first || !range.last) throw new LeversError('NO_DATA', { what: 'sessions or orders', hint: 'load data with levers ingest or levers simulate' });
  const currency = (await mainCurrency(store)) ?? 'USD';
  const exp = currencyExponent(currency);
  const windows = resolveWindows(o, range.first, range.last);
  const params = [windows.current.from, windows.current.to, windows.previous.from, windows.previous.to];
  const key = { sessions: windowKey('started_at'), orders: windowKey('placed_at') };
  const has = range.hasSessions;
  const lev = (a: Aggregate) => leversOf(a, o, has);

  const totals = await aggregateFacts(store, key, null, params);
  const aggCur = toAggregate(totals.find((r) => r.key === 'current'), exp);
  const aggPrev = toAggregate(totals.find((r) => r.key === 'previous'), exp);
  const current = lev(aggCur);
  const previous = lev(aggPrev);
  const unknown: string[] = [];
  if (!has) unknown.push('sessions, CVR and RPS: the data has orders but no sessions, so there is no denominator (never invented)');
  if (has && aggCur.linkedOrders < aggCur.orders) unknown.push(`${aggCur.orders - aggCur.linkedOrders} orders in the period are not linked to a session`);
  if (current.linesPerOrder == null && current.orders > 0) unknown.push('items and lines per order: the data has no order lines');

  const revenueParts = has
    ? (() => { const r = lmdi([previous.sessions ?? 0, previous.cvr ?? 0, previous.aovMinor ?? 0], [current.sessions ?? 0, current.cvr ?? 0, current.aovMinor ?? 0]); return { total: r.total, sessions: r.parts[0]!, cvr: r.parts[1]!, aov: r.parts[2]!, orders: null }; })()
    : (() => { const r = lmdi([previous.orders, previous.aovMinor ?? 0], [current.orders, current.aovMinor ?? 0]); return { total: r.total, sessions: null, cvr: null, aov: r.parts[1]!, orders: r.parts[0]! }; })();
  const rps = has && current.rpsMinor != null && previous.rpsMinor != null
    ? (() => { const r = lmdi([previous.cvr ?? 0, previous.aovMinor ?? 0], [current.cvr ?? 0, current.aovMinor ?? 0]); return { total: r.total, cvr: r.parts[0]!, aov: r.parts[1]! }; })()
    : null;

  const seriesRows = await aggregateFacts(store, { sessions: `date_trunc('${o.period}', started_at)::DATE`, orders: `date_trunc('${o.period}', placed_at)::DATE` }, null);
  const series = { period: o.period, points: seriesRows.map((r) => ({ period: r.key.slice(0, 10), ...lev(toAggregate(r, exp)) })) };

  const segments: Report['segments'] = {};
  const warnings: string[] = [];
  for (const dim of o.segments) {
    const rows = await aggregateFacts(store, key, dim, params);
    const split = segmentSplits(rows, exp, o, has, current, previous);
    if (!split) continue;
    segments[dim] = split;
    for (const [metric, s] of Object.entries(split) as [string, SegmentSplit | null][]) {
      if (s?.againstEverySegment) {
        warnings.push(`${metric.toUpperCase()} ${s.total < 0 ? 'fell' : 'rose'} overall while no ${dim} segment ${s.total < 0 ? 'fell' : 'rose'}: ` +
          `the change is mix (${dim} shares moved), not rate`);
      }
    }
  }

  const bins = await orderValueBins(store, windows.current.from, windows.current.to);
  const hist = histogram(bins);
  const inferred = inferThreshold(bins);
  const threshold = o.thresholdMajor ?? inferred;
  const margin = o.margin ?? (await soldMargin(store));
  const cs = await customerStats(store, windows.current.to);
  const aovMajor = (current.aovMinor ?? 0) / 10 ** exp;
  const customers = { ...historicValue({ customers: cs.customers, repeatCustomers: cs.repeatCustomers, orders: cs.orders, aovMinor: current.aovMinor,
    margin, cacMinor: o.cacMajor != null ? o.cacMajor * 10 ** exp : null, category: o.category ?? null }), cohorts: retention(await cohorts(store, windows.current.to)) };

  const paid = bins.filter((b) => b.paidShipping > 0);
  const feeMajor = o.shippingFeeMajor ?? (paid.length ? paid.reduce((s, b) => s + Number(b.shippingSum), 0) / paid.reduce((s, b) => s + b.paidShipping, 0) : null);
  const paidShare = bins.reduce((s, b) => s + b.paidShipping, 0) / Math.max(1, bins.reduce((s, b) => s + b.orders, 0));
  // Without a threshold in force, the estimate only makes sense for a store that charges most orders shipping.
  const thresholdStore = threshold != null || paidShare >= 0.5;
  const freeShipping = feeMajor != null && bins.length > 0 && thresholdStore
    ? estimateThreshold({ bins, sessions: current.sessions, current: threshold, fee: feeMajor, cost: o.shippingCostMajor ?? feeMajor, margin, response: DEFAULT_RESPONSE }, aovMajor)
    : null;
  if (!freeShipping) {
    unknown.push(feeMajor == null ? 'free-shipping estimate: no order in the period paid shipping, so the fee is unknown (pass --shipping-fee)'
      : `free-shipping estimate: no threshold is visible and only ${(paidShare * 100).toFixed(1)}% of orders paid shipping (pass --free-shipping-threshold)`);
  }

  const offerRows = await offerEvents(store, windows.current.from, windows.current.to);
  const byAssignment = has ? await aggregateFacts(store, key, 'assignment', params) : [];
  const grp = (g: string) => { const r = byAssignment.find((x) => x.key === 'current' && x.seg === g); return r ? lev(toAggregate(r, exp)) : null; };
  const offers = offerRows.length || grp('holdout') ? offerKpis(offerRows, grp('treatment'), grp('holdout')) : null;

  let clv: Report['clv'] = null;
  if (o.clv) {
    try {
      clv = await clvSection(store, margin);
    } catch (e) {
      // A degenerate history (almost no repeat buyers) must not take the rest of the report down with it.
      unknown.push(`predictive CLV: the BG/NBD model could not be evaluated on this history (${(e as Error).message})`);
    }
  }
  for (const [k, v] of Object.entries(clv?.bgnbd.params ?? {})) {
    if (v > 0.99e4 || v < 1.01e-4) warnings.push(`BG/NBD parameter ${k} reached the search bound (${v.toPrecision(3)}): the history shows ${k === 'b' || k === 'a' ? 'almost no drop-out; read P(alive) as ≈ 1' : 'too little repeat activity to pin it down'}`);
  }
  const comparison: Comparison = { current, previous, revenueParts, segments };
  const weekly = await aggregateFacts(store, { sessions: `date_trunc('week', started_at)::DATE`, orders: `date_trunc('week', placed_at)::DATE` }, null);
  const dev = segments.device?.aov?.segments;
  const mob = dev?.find((s) => s.segment === 'mobile')?.value1;
  const desk = dev?.find((s) => s.segment === 'desktop')?.value1;
  const ju = threshold != null ? justUnder(bins, threshold) : null;
  return {
    schemaVersion: REPORT_SCHEMA_VERSION, currency, basis: { includeShipping: o.includeShipping, includeTax: o.includeTax }, windows,
    dataRange: { first: range.first, last: range.last, hasSessions: has }, unknown, current, previous,
    change: { revenue: revenueParts, rps }, series, segments, warnings,
    bots: has ? { byUserAgent: aggCur.botAgent, byBehaviour: aggCur.botBehaviour, cvrWithBots: current.cvrWithBots, cvrWithoutBots: current.cvr } : null,
    basket: { histogram: hist, itemsPerOrder: current.itemsPerOrder, linesPerOrder: current.linesPerOrder, threshold,
      thresholdSource: o.thresholdMajor != null ? 'option' : inferred != null ? 'inferred' : 'unknown', justUnder: ju },
    customers, clv, offers, freeShipping,
    summary: summarySentences(comparison, currency),
    diagnosis: diagnose({ weeklySessions: weekly.slice(1, -1).map((w) => w.sessions), cvr: current.cvr,
      aovGrowth: current.aovMinor != null && previous.aovMinor ? current.aovMinor / previous.aovMinor - 1 : null,
      mobileAovGap: mob != null && desk ? 1 - mob / desk : null, customers, justUnderShare: ju?.share ?? null, threshold }),
  };
}

const TOP_SEGMENTS = 8;

function segmentSplits(rows: FactRow[], exp: number, basis: RevenueBasis, has: boolean, current: Levers, previous: Levers) {
  const names = [...new Set(rows.map((r) => r.seg))];
  if (names.length < 2) return null;
  const weight = (s: string) => rows.filter((r) => r.seg === s).reduce((t, r) => t + r.sessions + r.orders, 0);
  const top = names.sort((a, b) => weight(b) - weight(a)).slice(0, TOP_SEGMENTS);
  const agg = (k: string, s: string) => rows.filter((r) => r.key === k && (s === 'other' ? !top.includes(r.seg) : r.seg === s))
    .reduce((a, r) => addAggregates(a, toAggregate(r, exp)), EMPTY_AGGREGATE);
  const segs = names.length > TOP_SEGMENTS ? [...top, 'other'] : top;
  const pts = segs.map((s) => ({ s, c: leversOf(agg('current', s), basis, has), p: leversOf(agg('previous', s), basis, has) }))
    .filter(({ c, p }) => c.orders + p.orders + (c.sessionsWithBots ?? 0) + (p.sessionsWithBots ?? 0) > 0);
  const split = (w: (l: Levers) => number, v: (l: Levers) => number | null, t1: number | null, t0: number | null) =>
    t1 == null || t0 == null ? null : rateMixSplit(pts.map(({ s, c, p }) => ({ segment: s, weight0: w(p), value0: w(p) > 0 ? v(p) : null, weight1: w(c), value1: w(c) > 0 ? v(c) : null })), t0, t1);
  return {
    cvr: has ? split((l) => l.sessions ?? 0, (l) => l.cvr, current.cvr, previous.cvr) : null,
    aov: split((l) => l.orders, (l) => l.aovMinor, current.aovMinor, previous.aovMinor),
    rps: has ? split((l) => l.sessions ?? 0, (l) => l.rpsMinor, current.rpsMinor, previous.rpsMinor) : null,
  };
}

/** M8 in the report: fit on the first two thirds of the customer history, track the last third. */
async function clvSection(store: Store, margin: number | null): Promise<Report['clv']> {
  const { currency, customers } = await customerPurchases(store);
  if (!currency || customers.length < 20) return null;
  const { first, last } = dayRange(customers);
  const cal = first + Math.floor(((last - first) * 2) / 3);
  const r = customerLifetimeValue(customers, { calibrationEndDay: cal, holdoutEndDay: last, horizonMonths: 12, discountRate: 0.01, margin, minorPerMajor: 10 ** currencyExponent(currency) });
  const { values, ...rest } = r;
  return { ...rest, top: values.slice(0, 20), calibrationEnd: new Date(cal * 86_400_000).toISOString().slice(0, 10), customersValued: values.length };
}

