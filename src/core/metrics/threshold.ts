import type { ValueBin } from './basket.js';
import { quantile } from './basket.js';

/** Shopper response to a free-shipping threshold; stated in every estimate, overridable. */
export interface ShippingResponse {
  /** Carts within this share below the threshold consider topping up. */
  band: number;
  /** Chance a cart right at the threshold tops up; falls linearly to 0 at the band's edge. */
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
  current: number | null;
  best: ThresholdPoint | null;
  curve: ThresholdPoint[];
  assumptions: ShippingResponse & { fee: number; cost: number; margin: number | null };
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
 * Profit of each candidate threshold against the current one, from the order-value distribution: carts in the
 * band top up to the threshold (more merchandise, shipping absorbed), carts newly charged shipping are partly
 * lost, carts newly freed are partly won back; shipping absorbed is a cost.
 */
export function estimateThreshold(i: ThresholdInput, aovMajor: number): ThresholdEstimate {
  const margin = i.margin ?? 1;
  const r = i.response;
  const profitAt = (T: number): { profit: number; bridged: number; dropped: number; gained: number } => {
    let profit = 0,
      bridged = 0,
      dropped = 0,
      gained = 0;
    for (const b of i.bins) {
      const v = b.unit + 0.5;
      const paidBefore = i.current != null && v < i.current;
      let n = b.orders;
      if (paidBefore && v >= T) {
        const back = (n * r.abandonWhenCharged) / (1 - r.abandonWhenCharged);
        gained += back;
        n += back;
      }
      if (v >= T) {
        profit += n * (margin * v - i.cost);
        continue;
      }
      const gap = T - v;
      const p = gap <= r.band * T ? r.bridgeAtThreshold * (1 - gap / (r.band * T)) : 0;
      const up = n * p;
      bridged += up;
      profit += up * (margin * T - i.cost);
      let stay = n - up;
      if (!paidBefore) {
        const lost = stay * r.abandonWhenCharged;
        dropped += lost;
        stay -= lost;
      }
      profit += stay * (margin * v + i.fee - i.cost);
    }
    return { profit, bridged, dropped, gained };
  };
  const base = profitAt(i.current ?? Infinity).profit;
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
      dropped: p.dropped,
      gained: p.gained,
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
    current: i.current,
    best,
    curve,
    assumptions: { ...r, fee: i.fee, cost: i.cost, margin: i.margin },
  };
}
