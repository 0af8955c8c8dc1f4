import { normalQuantile } from '../stats/normal.js';
import { DEFAULT_RESPONSE, type ShippingResponse } from './threshold.js';

/** One response parameter: its value, a 95% interval where data gave it, and where it came from. */
export interface ResponseValue {
  value: number;
  low: number | null;
  high: number | null;
  source: 'data' | 'option' | 'assumed';
  /** What it rests on, in words (counts from the data, or why the default stands). */
  basis: string;
}

export interface EstimatedResponse {
  /** How far past the threshold a top-up lands (major units): fillers come in whole prices. */
  overshoot: ResponseValue;
  band: ResponseValue;
  bridgeAtThreshold: ResponseValue;
  abandonWhenCharged: ResponseValue;
  /** Gross margin of what a top-up adds (the filler items shoppers pick), else the store's margin. */
  topUpMargin: ResponseValue;
}

export interface ResponseInput {
  /** The threshold in force (major units); without one nothing around it can be measured. */
  threshold: number | null;
  /**
   * Carts shown the progress bar, by gap in whole major units, how many topped up, and of those the ones that
   * reached checkout with their summed cart value there.
   */
  progress: readonly {
    gap: number;
    shown: number;
    accepted: number;
    checkouts?: number;
    checkoutValue?: number;
  }[];
  /**
   * Checkouts by cart value in whole major units, and how many became orders; by stratum (the device) where
   * known, so the comparison across the threshold is made within like shoppers.
   */
  checkouts: readonly { unit: number; checkouts: number; orders: number; stratum?: string }[];
  /** What accepted top-ups added, at price and cost (major units; cost null when unknown). */
  topUpLines?: { revenue: number; cost: number | null; lines: number };
  /** The store's gross margin (null: no costs, so every figure is revenue). */
  margin?: number | null;
  /** Values the operator gives (flags), which win over the data. */
  given?: Partial<ShippingResponse>;
}

/** Counts below which a rate is left at its default: the interval would be wider than the range itself. */
export const MIN_SHOWN = 100;
export const MIN_CHECKOUTS = 50;
export const MIN_TOP_UP_LINES = 30;

const Z = normalQuantile(0.975);
const clip = (x: number) => Math.min(1, Math.max(0, x));
/** B may pass 1 (see ShippingResponse); three times the sure thing is more than any data supports. */
const clipB = (x: number) => Math.min(3, Math.max(0, x));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/**
 * The shopper response to a free-shipping threshold, measured where the data can say and assumed (and said)
 * where it cannot:
 * - top-up strength (B): carts shown the progress bar at a gap g top up with chance min(1, B × (1 − g / (band ×
 *   T))); B = Σ topped up / Σ shown × (1 − g / (band × T)), whose variance is Σ shown × p(1 − p) over the
 *   square of the denominator (binomial, p = min(1, B × weight));
 * - lost when charged (a): 1 − (orders per checkout just below T) / (the same just above T), within the band on
 *   either side, pooled over devices by Mantel–Haenszel, its interval on the log of the ratio (Greenland–Robins).
 * The band stays assumed unless given: one threshold in force cannot show where shoppers stop trying.
 */
export function estimateResponse(i: ResponseInput): EstimatedResponse {
  const given = i.given ?? {};
  const band: ResponseValue =
    given.band != null
      ? { value: given.band, low: null, high: null, source: 'option', basis: 'given' }
      : {
          value: DEFAULT_RESPONSE.band,
          low: null,
          high: null,
          source: 'assumed',
          basis: 'one threshold in force cannot show it',
        };
  return {
    overshoot: overshootOf(i),
    band,
    bridgeAtThreshold:
      given.bridgeAtThreshold != null
        ? { value: given.bridgeAtThreshold, low: null, high: null, source: 'option', basis: 'given' }
        : topUp(i, band.value),
    abandonWhenCharged:
      given.abandonWhenCharged != null
        ? { value: given.abandonWhenCharged, low: null, high: null, source: 'option', basis: 'given' }
        : abandonment(i, band.value),
    topUpMargin: topUpMarginOf(i),
  };
}

function topUpMarginOf(i: ResponseInput): ResponseValue {
  const store = i.margin ?? null;
  if (store == null) return assumed(1, 'no product costs: figures are revenue');
  const t = i.topUpLines;
  if (!t || t.cost == null || t.lines < MIN_TOP_UP_LINES || !(t.revenue > 0))
    return assumed(
      store,
      `${t?.lines ?? 0} sold top-up lines with a known cost (${MIN_TOP_UP_LINES} needed): the store's margin`,
    );
  return {
    value: clip(1 - t.cost / t.revenue),
    low: null,
    high: null,
    source: 'data',
    basis: `${t.lines.toLocaleString('en-US')} sold lines of the items shoppers added to reach the threshold`,
  };
}

function assumed(value: number, why: string): ResponseValue {
  return { value, low: null, high: null, source: 'assumed', basis: why };
}

function topUp(i: ResponseInput, band: number): ResponseValue {
  const fallback = DEFAULT_RESPONSE.bridgeAtThreshold;
  if (i.threshold == null) return assumed(fallback, 'no threshold in force');
  const T = i.threshold;
  let shown = 0;
  let accepted = 0;
  let weighted = 0;
  for (const r of i.progress) {
    const w = 1 - (r.gap + 0.5) / (band * T);
    if (w <= 0) continue;
    shown += r.shown;
    accepted += r.accepted;
    weighted += r.shown * w;
  }
  if (shown < MIN_SHOWN)
    return assumed(
      fallback,
      shown
        ? `only ${shown} carts were shown the progress bar within the band (${MIN_SHOWN} needed)`
        : 'no progress-bar events (offer_shown free-shipping-progress) to measure it from',
    );
  const B = clipB(accepted / weighted);
  let v = 0;
  for (const r of i.progress) {
    const w = 1 - (r.gap + 0.5) / (band * T);
    if (w <= 0) continue;
    const p = clip(B * w);
    v += r.shown * p * (1 - p);
  }
  const se = Math.sqrt(v) / weighted;
  return {
    value: B,
    low: clipB(B - Z * se),
    high: clipB(B + Z * se),
    source: 'data',
    basis: `${accepted.toLocaleString('en-US')} of ${shown.toLocaleString('en-US')} carts shown the progress bar within the band topped up`,
  };
}

function abandonment(i: ResponseInput, band: number): ResponseValue {
  const fallback = DEFAULT_RESPONSE.abandonWhenCharged;
  if (i.threshold == null) return assumed(fallback, 'no threshold in force');
  const T = i.threshold;
  // Per stratum (device): [checkouts below, orders below, checkouts above, orders above].
  const strata = new Map<string, [number, number, number, number]>();
  for (const r of i.checkouts) {
    const below = r.unit >= T * (1 - band) && r.unit < T;
    const above = r.unit >= T && r.unit < T * (1 + band);
    if (!below && !above) continue;
    const key = r.stratum ?? '';
    const s = strata.get(key) ?? [0, 0, 0, 0];
    if (below) {
      s[0] += r.checkouts;
      s[1] += r.orders;
    } else {
      s[2] += r.checkouts;
      s[3] += r.orders;
    }
    strata.set(key, s);
  }
  let c0 = 0;
  let o0 = 0;
  let c1 = 0;
  let o1 = 0;
  // Mantel–Haenszel risk ratio (orders per checkout, charged over free) pooled over the strata, its log's
  // variance by Greenland & Robins (1985): smaller carts come more often from devices that buy less, and a
  // pooled ratio would count that mix as shoppers lost to the charge.
  let num = 0;
  let den = 0;
  let v = 0;
  for (const [sc0, so0, sc1, so1] of strata.values()) {
    c0 += sc0;
    o0 += so0;
    c1 += sc1;
    o1 += so1;
    const n = sc0 + sc1;
    if (sc0 === 0 || sc1 === 0) continue;
    num += (so0 * sc1) / n;
    den += (so1 * sc0) / n;
    v += (sc0 * sc1 * (so0 + so1) - so0 * so1 * n) / (n * n);
  }
  if (c0 < MIN_CHECKOUTS || c1 < MIN_CHECKOUTS || o0 === 0 || o1 === 0 || num === 0 || den === 0)
    return assumed(
      fallback,
      c0 + c1
        ? `too few checkouts near the threshold (${c0} below, ${c1} above; ${MIN_CHECKOUTS} each needed)`
        : 'no checkout events (begin_checkout with the cart value) to measure it from',
    );
  const ratio = num / den;
  const se = Math.sqrt(Math.max(0, v) / (num * den));
  const by = strata.size > 1 ? ` (compared within each of ${strata.size} devices)` : '';
  return {
    value: clip(1 - ratio),
    low: clip(1 - ratio * Math.exp(Z * se)),
    high: clip(1 - ratio * Math.exp(-Z * se)),
    source: 'data',
    basis:
      `${pct(o0 / c0)} of ${c0.toLocaleString('en-US')} checkouts below the threshold became orders, ` +
      `${pct(o1 / c1)} of ${c1.toLocaleString('en-US')} above${by}`,
  };
}

function overshootOf(i: ResponseInput): ResponseValue {
  if (i.threshold == null) return assumed(0, 'no threshold in force: a top-up is taken to land on it');
  let n = 0;
  let sum = 0;
  for (const r of i.progress) {
    n += r.checkouts ?? 0;
    sum += r.checkoutValue ?? 0;
  }
  if (n < MIN_CHECKOUTS)
    return assumed(0, `${n} topped-up carts reached checkout (${MIN_CHECKOUTS} needed): taken to land on it`);
  const mean = Math.max(0, sum / n - i.threshold);
  return {
    value: mean,
    low: null,
    high: null,
    source: 'data',
    basis: `${n.toLocaleString('en-US')} topped-up carts reached checkout at ${(sum / n).toFixed(2)} on average`,
  };
}
