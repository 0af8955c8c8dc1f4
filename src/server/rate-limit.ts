/**
 * Requests per key in fixed one-minute windows. It runs inside the auth hook, where the key and its scope are
 * already known, as one Map lookup: @fastify/rate-limit, which we used first, cost about 3 µs a request (an async
 * hook, an LRU, header writes) on the storefront's hottest path, a twentieth of the decide endpoint's whole budget.
 * A fixed window lets a client send up to twice the limit across a boundary; for abuse protection that is fine.
 */
export class RateLimiter {
  private windowStart = -Infinity;
  private readonly counts = new Map<string, number>();

  constructor(private readonly now: () => number, private readonly windowMs = 60_000) {}

  /** Counts a request; null if it is within `max`, else the seconds until the window resets. */
  hit(key: string, max: number): number | null {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) {
      this.windowStart = t - (t % this.windowMs);
      this.counts.clear(); // memory holds one window's keys, never more
    }
    const n = (this.counts.get(key) ?? 0) + 1;
    this.counts.set(key, n);
    return n <= max ? null : Math.max(1, Math.ceil((this.windowStart + this.windowMs - t) / 1000));
  }
}
