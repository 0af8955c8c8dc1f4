import type { ValueBin } from './basket.js';
import { quantile } from './basket.js';
import type { EstimatedResponse } from './shipping-response.js';

/** Shopper response to a free-shipping threshold; stated in every estimate, overridable. */
export interface ShippingResponse {
  /** Carts within this share below the threshold consider topping up. */
  band: number;
  /**
   * Top-up strength B: a cart a gap g under threshold T tops up with chance min(1, B × (1 − g / (band × T))),
   * so B is the chance right at the threshold, and above 1 when shoppers just under it nearly all top up.
   */
  bridgeAtThreshold: number;
  /** Share of orders lost when shipping is charged on them. */
  abandonWhenCharged: number;
}

export const DEFAULT_RESPONSE: ShippingResponse = {
  band: 0.5,
  bridgeAtThreshold: 0.45,
  abandonWhenCharged: 0.22,
};

export interface ThresholdInput {
  /** Orders by merchandise value in whole major units. */
  bins: readonly ValueBin[];
  sessions: number | null;
  current: number | null;
  /** Fee charged below the threshold and what shipping costs the store, in major units. */
  fee: number;
  cost: number;
  margin: number | null;
  response: ShippingResponse;
  /** How far past the threshold a top-up lands, major units (0: on it). */
  overshoot?: number;
  /** Margin of what a top-up adds (default: margin): shoppers reach a threshold with cheap, high-margin fillers. */
  topUpMargin?: number | null;
  /**
   * Orders that topped up through the progress bar, by order value and by the cart before the top-up (whole
   * major units): where given, the carts behind the orders are measured from them instead of modelled.
   */
  toppedUp?: readonly TopUpRow[];
  /**
   * What each value bin's product lines with a known cost sold at price and at cost (major units): where given
   * with a margin, each cart is priced at the margin of carts of its value (see marginByValue) instead of the
   * store's average.
   */
  binMargins?: readonly BinMargin[];
}

export interface BinMargin {
  unit: number;
  revenue: number;
  cost: number;
}

export interface TopUpRow {
  before: number;
  unit: number;
  orders: number;
}

export interface ThresholdPoint {
  threshold: number;
  bridged: number;
  dropped: number;
  gained: number;
  profitChange: number;
  profitChangePerSession: number | null;
}

export interface ThresholdEstimate {
  ruleOfThumb: { low: number; high: number; pricePoint: number };
  /**
   * How the carts behind today's orders were found: `events` from the orders that topped up through the progress
   * bar, each put back at its cart before the top-up; `model` by the response model alone (no such orders).
   */
  latent: { source: 'events' | 'model'; toppedUpOrders: number };
  current: number | null;
  best: ThresholdPoint | null;
  curve: ThresholdPoint[];
  assumptions: ShippingResponse & {
    fee: number;
    cost: number;
    margin: number | null;
    /** Whether each cart value was priced at its own measured margin (else the store's margin for every cart). */
    marginByValue: boolean;
  };
}

/**
 * A clean price point: v rounded up to a step of 1, 2.5 or 5 × 10^k, the largest at most a tenth of v (33 →
 * 35, 77 → 80, 101 → 110, 1,200 → 1,200, ¥7,700 → ¥8,000). Scale-free, so it reads as clean in any currency.
 */
export function pricePoint(v: number): number {
  if (!(v > 0)) return 0;
  const e = Math.floor(Math.log10(v / 10));
  let step = 10 ** e;
  for (const m of [2.5, 5]) if (m * 10 ** e <= v / 10) step = m * 10 ** e;
  return Number((Math.ceil(v / step - 1e-9) * step).toFixed(6));
}

/**
 * Profit of each candidate threshold against the current one, from the order-value distribution. The observed
 * orders are first taken back to the carts shoppers would have bought with shipping free and no reason to top
 * up (the latent distribution): an order below the current threshold survived both the top-up and the charge,
 * so it stands for 1 / ((1 − top-up) × (1 − lost)) carts; the orders that topped up to the current threshold are
 * taken out of the bins just above it. Every candidate, the current one included, is then priced on the same
 * carts: in the band below it a cart tops up to it (more merchandise, shipping absorbed), the rest pay shipping
 * and some are lost. Without that step, orders bunched just above today's threshold would be counted as carts
 * that could top up again.
 */
export function estimateThreshold(i: ThresholdInput, aovMajor: number): ThresholdEstimate {
  const byValue = i.margin != null && (i.binMargins?.length ?? 0) > 0;
  const margin = byValue ? marginByValue(i.binMargins!, i.margin!) : () => i.margin ?? 1;
  const addedMargin = i.margin == null ? 1 : (i.topUpMargin ?? i.margin);
  const r = i.response;
  const topUp = (v: number, T: number) => {
    // No threshold in force (T infinite): nobody is close enough to top up.
    if (!Number.isFinite(T)) return 0;
    const gap = T - v;
    return gap > 0 && gap <= r.band * T ? Math.min(1, r.bridgeAtThreshold * (1 - gap / (r.band * T))) : 0;
  };
  const measured = i.current != null ? (i.toppedUp ?? []).reduce((n, t) => n + t.orders, 0) : 0;
  const latent =
    measured > 0
      ? measuredLatentOrders(i.bins, i.current as number, i.toppedUp ?? [], r.abandonWhenCharged)
      : latentOrders(i.bins, i.current, topUp, r.abandonWhenCharged, i.overshoot ?? 0);
  const profitAt = (T: number): { profit: number; bridged: number; lost: number } => {
    let profit = 0,
      bridged = 0,
      lost = 0;
    for (const [v, n] of latent) {
      const m = margin(v);
      if (v >= T) {
        profit += n * (m * v - i.cost);
        continue;
      }
      const up = n * topUp(v, T);
      bridged += up;
      // (0 × an infinite threshold would be NaN: with no threshold nobody tops up.)
      if (up > 0) profit += up * (m * v + addedMargin * (T + (i.overshoot ?? 0) - v) - i.cost);
      const stay = (n - up) * (1 - r.abandonWhenCharged);
      lost += n - up - stay;
      profit += stay * (m * v + i.fee - i.cost);
    }
    return { profit, bridged, lost };
  };
  const now = profitAt(i.current ?? Infinity);
  const base = now.profit;
  const lo = pricePoint(quantile(i.bins, 0.2) ?? 0);
  const hi = pricePoint(quantile(i.bins, 0.95) ?? 0);
  const step = hi - lo > 200 ? 10 : 5;
  const curve: ThresholdPoint[] = [];
  for (let T = Math.max(step, Math.ceil(lo / step) * step); T <= hi; T += step) {
    const p = profitAt(T);
    const change = p.profit - base;
    curve.push({
      threshold: T,
      bridged: p.bridged,
      dropped: Math.max(0, p.lost - now.lost),
      gained: Math.max(0, now.lost - p.lost),
      profitChange: change,
      profitChangePerSession: i.sessions ? change / i.sessions : null,
    });
  }
  const best = curve.reduce<ThresholdPoint | null>(
    (b, p) => (!b || p.profitChange > b.profitChange ? p : b),
    null,
  );
  return {
    ruleOfThumb: { low: aovMajor * 1.15, high: aovMajor * 1.2, pricePoint: pricePoint(aovMajor * 1.15) },
    latent: { source: measured > 0 ? 'events' : 'model', toppedUpOrders: measured },
    current: i.current,
    best,
    curve,
    assumptions: { ...r, fee: i.fee, cost: i.cost, margin: i.margin, marginByValue: byValue },
  };
}

export interface ThresholdWithResponse extends ThresholdEstimate {
  /** The response the curve rests on, each value measured, given or assumed, with its interval. */
  response: EstimatedResponse;
  /** profit with a margin; without one every figure is revenue, and says so. */
  basis: 'profit' | 'revenue';
  /**
   * The best threshold's change over the corners of the response's intervals (top-up low/high × lost low/high):
   * how far the gain moves with what is not known. Null when no value has an interval.
   */
  bestRange: { low: number; high: number } | null;
}

/** M12 with the shopper response as estimated (estimateResponse), and the gain's range over its uncertainty. */
export function thresholdWithResponse(
  i: Omit<ThresholdInput, 'response'>,
  r: EstimatedResponse,
  aovMajor: number,
): ThresholdWithResponse {
  const at = (bridge: number, abandon: number) =>
    estimateThreshold(
      {
        ...i,
        overshoot: r.overshoot.value,
        topUpMargin: r.topUpMargin.value,
        response: { band: r.band.value, bridgeAtThreshold: bridge, abandonWhenCharged: abandon },
      },
      aovMajor,
    );
  const point = at(r.bridgeAtThreshold.value, r.abandonWhenCharged.value);
  const b = r.bridgeAtThreshold;
  const a = r.abandonWhenCharged;
  let bestRange: ThresholdWithResponse['bestRange'] = null;
  if (point.best && (b.low != null || a.low != null)) {
    const changes: number[] = [];
    for (const bridge of [b.low ?? b.value, b.high ?? b.value])
      for (const abandon of [a.low ?? a.value, a.high ?? a.value]) {
        const p = at(bridge, abandon).curve.find((c) => c.threshold === point.best!.threshold);
        if (p) changes.push(p.profitChange);
      }
    bestRange = { low: Math.min(...changes), high: Math.max(...changes) };
  }
  return { ...point, response: r, basis: i.margin == null ? 'revenue' : 'profit', bestRange };
}

/** Lines' revenue a value's margin needs around it, in carts of that value; with less the store's margin stands. */
export const MIN_MARGIN_CARTS = 20;

/**
 * The margin of carts worth v: over the bins within ±10% of v (at least ±2.5 units), what their product lines
 * with a known cost sold at price and what the store gave up for them (cost, discounts, refunds: valueBinMargins).
 * A threshold's gain is a small difference of large terms (the fee won on charged carts against the margin lost
 * on the carts that leave), so the margin of the carts that would be charged matters, and big carts often carry
 * the low-margin items: priced at the store's average the carts around the threshold swung the gain by half on
 * the simulator. With too little around v (less than MIN_MARGIN_CARTS carts' worth of revenue) the store's
 * margin stands.
 */
export function marginByValue(bins: readonly BinMargin[], store: number): (v: number) => number {
  const sorted = [...bins].sort((a, b) => a.unit - b.unit);
  const memo = new Map<number, number>();
  return (v) => {
    const hit = memo.get(v);
    if (hit !== undefined) return hit;
    const half = Math.max(2.5, 0.1 * v);
    let revenue = 0;
    let cost = 0;
    for (const b of sorted) {
      const mid = b.unit + 0.5;
      if (mid < v - half) continue;
      if (mid > v + half) break;
      revenue += b.revenue;
      cost += b.cost;
    }
    const m = revenue >= MIN_MARGIN_CARTS * v && revenue > 0 ? 1 - cost / revenue : store;
    memo.set(v, m);
    return m;
  };
}

/**
 * The carts behind the observed orders, measured: each order that topped up through the progress bar leaves the bin
 * it landed in and returns to the cart it came from (the order less what the bar's product added), and the orders
 * below the threshold that paid shipping are scaled up by what the charge lost. Modelling the top-ups instead
 * (latentOrders) misses the carts just under the threshold that all topped up (they leave no order behind to scale
 * from) and cannot say how far past the threshold each landed, so it leaves top-ups among the carts above it, carts
 * a higher threshold would then count as topping up again.
 */
function measuredLatentOrders(
  bins: readonly ValueBin[],
  current: number,
  toppedUp: readonly TopUpRow[],
  lost: number,
): [number, number][] {
  const carts = new Map<number, number>();
  for (const b of bins) carts.set(b.unit, (carts.get(b.unit) ?? 0) + b.orders);
  for (const t of toppedUp) carts.set(t.unit, Math.max(0, (carts.get(t.unit) ?? 0) - t.orders));
  // Orders that paid shipping survived the charge: each stands for 1 / (1 − lost) carts.
  for (const [unit, n] of carts) if (unit + 0.5 < current) carts.set(unit, n / (1 - lost));
  for (const t of toppedUp) carts.set(t.before, (carts.get(t.before) ?? 0) + t.orders);
  return [...carts].sort((a, b) => a[0] - b[0]).map(([unit, n]) => [unit + 0.5, n]);
}

/**
 * The carts behind the observed orders (value at the bin's middle → count), as estimateThreshold explains:
 * orders paying shipping scaled up by what top-up and the charge took from them, and the orders that topped up
 * removed from the lowest bins at or above the current threshold.
 */
function latentOrders(
  bins: readonly ValueBin[],
  current: number | null,
  topUp: (v: number, T: number) => number,
  lost: number,
  overshoot: number,
): [number, number][] {
  const out: [number, number][] = bins.map((b) => [b.unit + 0.5, b.orders]);
  if (current == null) return out;
  let toppedUp = 0;
  for (const e of out) {
    if (e[0] >= current) continue;
    // A cart that would surely have topped up leaves no order behind to scale from.
    const p = Math.min(0.95, topUp(e[0], current));
    const carts = e[1] / ((1 - p) * (1 - lost));
    toppedUp += carts * p;
    e[1] = carts;
  }
  // Top-ups land past the threshold by the overshoot on average, spread over [T, T + 2 × overshoot): they are
  // taken out of those bins in proportion to what each holds (taking the lowest bins first would empty the
  // carts just above T that a higher threshold would ask to top up).
  const top = current + Math.max(1, 2 * overshoot);
  const landing = out.filter((e) => e[0] >= current && e[0] < top);
  const there = landing.reduce((s, e) => s + e[1], 0);
  const share = there > 0 ? Math.min(1, toppedUp / there) : 0;
  for (const e of landing) e[1] *= 1 - share;
  return out;
}
