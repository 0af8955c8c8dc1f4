import type { RecItem } from './recommend.js';

/** One of the customer's past orders: its day (days since epoch) and the products in it. */
export interface PastOrder {
  day: number;
  items: readonly string[];
}

/** What the server holds for habits: each repeat customer's recent orders, from `levers mine`. */
export interface CustomerHistories {
  format: number;
  /** The recommendation snapshot version mined with it. */
  version: number;
  customers: Record<string, PastOrder[]>;
}

export interface Habit {
  kind: 'habit' | 'reorder';
  id: string;
  reason: string;
  score: number;
  /** Days until due (negative: overdue), reorders only. */
  dueInDays?: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * R6 from the customer's own history: "you usually order Y with X" (Y in at least half, and at least two, of
 * their orders holding X) and reorders due by their own interval per product (median gap between purchases).
 */
export function customerHabits(
  history: readonly PastOrder[],
  cart: readonly string[],
  today: number,
): Habit[] {
  const out: Habit[] = [];
  const inCart = new Set(cart);
  for (const x of cart) {
    const withX = history.filter((o) => o.items.includes(x));
    if (withX.length < 2) continue;
    const counts = new Map<string, number>();
    for (const o of withX)
      for (const y of new Set(o.items))
        if (y !== x && !inCart.has(y)) counts.set(y, (counts.get(y) ?? 0) + 1);
    for (const [y, c] of counts) {
      if (c >= 2 && c / withX.length >= 0.5)
        out.push({
          kind: 'habit',
          id: y,
          score: c / withX.length,
          reason: `you usually order it with ${x} (${c} of ${withX.length} orders)`,
        });
    }
  }
  const days = new Map<string, number[]>();
  for (const o of history) for (const id of new Set(o.items)) days.set(id, [...(days.get(id) ?? []), o.day]);
  for (const [id, ds] of days) {
    if (inCart.has(id) || ds.length < 2) continue;
    const sorted = [...new Set(ds)].sort((a, b) => a - b);
    if (sorted.length < 2) continue;
    const gaps = sorted.slice(1).map((d, i) => d - sorted[i]!);
    const interval = median(gaps);
    const due = sorted[sorted.length - 1]! + interval - today;
    if (due <= interval * 0.1) {
      out.push({
        kind: 'reorder',
        id,
        score: 1 + Math.min(1, -due / Math.max(1, interval)),
        dueInDays: Math.round(due),
        reason:
          `you buy it every ${Math.round(interval)} days; last ${today - sorted[sorted.length - 1]!} ` +
          `days ago`,
      });
    }
  }
  return out.sort((a, b) => b.score - a.score);
}

export function habitItems(
  habits: readonly Habit[],
  lookup: (
    id: string,
  ) => { title: string | null; priceMinor: number | null; costMinor: number | null } | undefined,
): RecItem[] {
  return habits.map((h) => {
    const it = lookup(h.id);
    const p = Math.min(1, h.kind === 'habit' ? h.score : 0.5);
    const margin = it?.priceMinor != null ? it.priceMinor - (it.costMinor ?? 0) : null;
    return {
      id: h.id,
      title: it?.title ?? null,
      kind: h.kind,
      priceMinor: it?.priceMinor ?? null,
      score: h.score,
      probability: p,
      expectedValueMinor: margin == null ? null : p * margin,
      reason: h.reason,
    };
  });
}
