import type { IngestContext } from './context.js';

/** Collects each customer's earliest order in a file; the store keeps the earliest across files. */
export class CustomerFirstSeen {
  private readonly first = new Map<string, number>();

  see(customerId: string, at: number): void {
    const prev = this.first.get(customerId);
    if (prev === undefined || at < prev) this.first.set(customerId, at);
  }

  emit(ctx: IngestContext): void {
    for (const [customer_id, at] of this.first) {
      ctx.write('customers', { customer_id, first_seen_at: at, loyalty_tier: null, loyalty_points: null });
    }
  }
}
