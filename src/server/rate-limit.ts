/**
 * Counts shared by several processes: each process sends what it counted since the last sync (deltas, per
 * key, for one window) and receives everyone's totals. A single process shares with nobody.
 */
export interface RateShare {
  publish(window: number, deltas: [string, number][]): void;
  onTotals(fn: (window: number, totals: [string, number][]) => void): void;
}

/**
 * Requests per key in fixed one-minute windows, for the whole server. It runs inside the auth hook, where the
 * key and its scope are already known, as one Map lookup: @fastify/rate-limit, which we used first, cost
 * about 3 µs a request (an async hook, an LRU, header writes) on the storefront's hottest path. A fixed
 * window lets a client send up to twice the limit across a boundary; for abuse protection that is fine. Under
 * a cluster every worker counts locally and syncs a few times a second with the others (RateShare), so the
 * limit holds for the sum, give or take one sync's worth of requests, without a message on the request path.
 */
export class RateLimiter {
  private windowStart = -Infinity;
  private readonly own = new Map<string, number>();
  /** Everyone's count as of the last totals received, and how much of it was ours then. */
  private readonly shared = new Map<string, { total: number; ours: number }>();
  private readonly unsent = new Map<string, number>();

  constructor(
    private readonly now: () => number,
    private readonly share?: RateShare,
    private readonly windowMs = 60_000,
  ) {
    share?.onTotals((window, totals) => {
      if (window > this.windowStart) this.enter(window);
      if (window !== this.windowStart) return;
      for (const [k, total] of totals)
        this.shared.set(k, { total, ours: (this.own.get(k) ?? 0) - (this.unsent.get(k) ?? 0) });
    });
  }

  /** Counts a request; null if it is within `max`, else the seconds until the window resets. */
  hit(key: string, max: number): number | null {
    const t = this.now();
    if (t - this.windowStart >= this.windowMs) this.enter(t - (t % this.windowMs));
    const n = (this.own.get(key) ?? 0) + 1;
    this.own.set(key, n);
    if (this.share) this.unsent.set(key, (this.unsent.get(key) ?? 0) + 1);
    const s = this.shared.get(key);
    const others = s ? s.total - s.ours : 0;
    return n + others <= max ? null : Math.max(1, Math.ceil((this.windowStart + this.windowMs - t) / 1000));
  }

  private enter(window: number): void {
    this.windowStart = window;
    // memory holds one window's keys, never more
    this.own.clear();
    this.shared.clear();
    this.unsent.clear();
  }

  /** Sends what was counted since the last sync (called on a timer under a cluster). */
  sync(): void {
    if (!this.share || !this.unsent.size) return;
    const deltas = [...this.unsent];
    this.unsent.clear();
    this.share.publish(this.windowStart, deltas);
  }
}

/** The primary's side of RateShare: sums every ' +
  'worker's deltas per window and hands back the totals that changed. */
export class RateTotals {
  private window = -Infinity;
  private readonly totals = new Map<string, number>();

  add(window: number, deltas: [string, number][]): [string, number][] {
    if (window > this.window) {
      this.window = window;
      this.totals.clear();
    }
    if (window < this.window) return [];
    return deltas.map(([k, d]) => {
      const t = (this.totals.get(k) ?? 0) + d;
      this.totals.set(k, t);
      return [k, t];
    });
  }

  get current(): number {
    return this.window;
  }
}
