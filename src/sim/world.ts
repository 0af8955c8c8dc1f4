import type { CustomerRow } from '../core/model/rows.js';
import type { Rng } from '../core/rng.js';
import type { Visitor } from './shopper.js';

interface Customer {
  id: string;
  firstSeenMs: number;
  spendMinor: number;
  orders: number;
  appetite?: number;
}

/** Loyalty tiers by lifetime spend (cents). */
export const TIERS: [string, number][] = [
  ['platinum', 100_000],
  ['gold', 40_000],
  ['silver', 15_000],
  ['bronze', 0],
];

/** The customers the store has so far; the only state carried from one day to the next. */
export class World {
  customers: Customer[] = [];

  constructor(
    private readonly sessionsPerDay: number,
    private readonly idPrefix = '',
  ) {}

  clone(): World {
    const w = new World(this.sessionsPerDay, this.idPrefix);
    w.customers = this.customers.map((c) => ({ ...c }));
    return w;
  }

  /** Returning share grows with the customer base and levels off near a third of visits. */
  visitor(rng: Rng): Visitor {
    const n = this.customers.length;
    const pReturning = Math.min(0.3, (0.3 * n) / (this.sessionsPerDay * 2));
    if (n > 0 && rng.chance(pReturning)) {
      // Recent customers come back more often than old ones, and keen ones (appetite) more often than the rest.
      for (let tries = 0; ; tries++) {
        const loyal = this.customers[n - 1]!.appetite != null;
        // With appetites, loyalty outlasts recency: any customer may come back, the keen ones more often.
        const i = loyal
          ? rng.int(0, n - 1)
          : n - 1 - Math.min(n - 1, Math.floor(rng.geometric(Math.min(0.5, 8 / n))));
        const c = this.customers[i]!;
        if (c.appetite == null) return { customerId: c.id, returning: true };
        if (tries === 7 || rng.chance(Math.min(1, c.appetite / 3)))
          return { customerId: c.id, returning: true, appetite: c.appetite };
      }
    }
    return { customerId: null, returning: false };
  }

  /** A first order makes a customer, who keeps the appetite they shopped with. */
  newCustomer(atMs: number, appetite?: number): string {
    const id = `c${this.idPrefix}${this.customers.length + 1}`;
    this.customers.push({
      id,
      firstSeenMs: atMs,
      spendMinor: 0,
      orders: 0,
      ...(appetite != null ? { appetite } : {}),
    });
    return id;
  }

  recordOrder(customerId: string, netMinor: number): void {
    // A replay meets the recorded visitors, some of whom its own world never created: nothing to update.
    const c = this.customers[Number(customerId.slice(1 + this.idPrefix.length)) - 1];
    if (!c) return;
    c.spendMinor += netMinor;
    c.orders++;
  }

  rows(): CustomerRow[] {
    return this.customers.map((c) => ({
      customer_id: c.id,
      first_seen_at: c.firstSeenMs,
      loyalty_tier: TIERS.find(([, min]) => c.spendMinor >= min)![0],
      loyalty_points: Math.max(0, Math.floor(c.spendMinor / 100)),
    }));
  }
}
