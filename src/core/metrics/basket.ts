/** Orders per whole major unit of merchandise value (after discounts), and how many of them paid shipping. */
export interface ValueBin {
  unit: number;
  orders: number;
  paidShipping: number;
}

export interface Histogram {
  binWidth: number;
  bins: { from: number; to: number; orders: number }[];
  median: number | null;
  p90: number | null;
}

const NICE = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000];

export function quantile(bins: readonly ValueBin[], q: number): number | null {
  const total = bins.reduce((s, b) => s + b.orders, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const b of bins) {
    seen += b.orders;
    if (seen >= q * total) return b.unit;
  }
  return bins[bins.length - 1]!.unit;
}

/** About 25 bins of a round width up to the 99th percentile; the last bin holds the tail. */
export function histogram(bins: readonly ValueBin[]): Histogram {
  const p99 = quantile(bins, 0.99) ?? 0;
  const width = NICE.find((w) => p99 / w <= 25) ?? NICE[NICE.length - 1]!;
  const n = Math.max(1, Math.ceil((p99 + 1) / width));
  const out = Array.from({ length: n }, (_, i) => ({ from: i * width, to: (i + 1) * width, orders: 0 }));
  for (const b of bins) out[Math.min(n - 1, Math.max(0, Math.floor(b.unit / width)))]!.orders += b.orders;
  return { binWidth: width, bins: out, median: quantile(bins, 0.5), p90: quantile(bins, 0.9) };
}

/**
 * The free-shipping threshold the data shows: one above the highest value at which most orders paid shipping,
 * provided (almost) no order above it did. Null when shipping is never or always charged.
 */
export function inferThreshold(bins: readonly ValueBin[]): number | null {
  const total = bins.reduce((s, b) => s + b.orders, 0);
  const paid = bins.reduce((s, b) => s + b.paidShipping, 0);
  if (total < 50 || paid === 0 || paid === total) return null;
  const last = [...bins].reverse().find((b) => b.orders > 0 && b.paidShipping >= 0.5 * b.orders);
  if (!last) return null;
  const above = bins.filter((b) => b.unit > last.unit);
  const ordersAbove = above.reduce((s, b) => s + b.orders, 0);
  const paidAbove = above.reduce((s, b) => s + b.paidShipping, 0);
  // A threshold is a policy most orders meet or miss, not a handful of outliers above a value.
  const enough = ordersAbove >= Math.max(30, 0.1 * total) && total - ordersAbove >= Math.max(30, 0.1 * total);
  return enough && paidAbove <= 0.05 * ordersAbove ? last.unit + 1 : null;
}

/** Orders within `band` (e.g. 20%) below the threshold: the ones a nudge could carry over it. */
export function justUnder(
  bins: readonly ValueBin[],
  threshold: number,
  band = 0.2,
): { orders: number; share: number } {
  const total = bins.reduce((s, b) => s + b.orders, 0);
  const n = bins
    .filter((b) => b.unit >= threshold * (1 - band) && b.unit < threshold)
    .reduce((s, b) => s + b.orders, 0);
  return { orders: n, share: total ? n / total : 0 };
}
