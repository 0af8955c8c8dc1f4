import type { LiveMinute, LiveSnapshot } from '../contract-dashboard.js';

export type { LiveMinute, LiveSnapshot };

type Counter = Exclude<keyof LiveMinute, 'minute'>;

/**
 * Counters of the running server in memory, per minute for the last hour: the Live page's data. Each process
 * counts its own requests (under a cluster, per worker: the page says which).
 */
export class LiveStats {
  private readonly ring = new Map<number, LiveMinute>();
  private readonly totals = { decisions: 0, events: 0, clientErrors: 0, serverErrors: 0 };
  private readonly refused = new Map<string, number>();
  private readonly since: number;

  constructor(
    private readonly now: () => number = Date.now,
    private readonly keep = 60,
  ) {
    this.since = now();
  }

  add(what: Counter, n = 1): void {
    const m = Math.floor(this.now() / 60_000);
    let row = this.ring.get(m);
    if (!row) {
      row = {
        minute: new Date(m * 60_000).toISOString(),
        decisions: 0,
        events: 0,
        clientErrors: 0,
        serverErrors: 0,
      };
      this.ring.set(m, row);
      for (const k of this.ring.keys()) if (k <= m - this.keep) this.ring.delete(k);
    }
    row[what] += n;
    this.totals[what] += n;
  }

  /** A decision as /v1/decide answered it: counted, and its refusals counted by code. */
  decision(json: string): void {
    this.add('decisions');
    const start = json.indexOf('"refused":[');
    if (start < 0) return;
    const end = json.indexOf('"notes":', start);
    const part = json.slice(start, end < 0 ? undefined : end);
    for (const m of part.matchAll(/"code":"([A-Z0-9_]+)"/g))
      this.refused.set(m[1]!, (this.refused.get(m[1]!) ?? 0) + 1);
  }

  snapshot(cache: { hits: number; misses: number }, minutes = 30): LiveSnapshot {
    const m = Math.floor(this.now() / 60_000);
    const rows: LiveMinute[] = [];
    for (let k = m - minutes + 1; k <= m; k++)
      rows.push(
        this.ring.get(k) ?? {
          minute: new Date(k * 60_000).toISOString(),
          decisions: 0,
          events: 0,
          clientErrors: 0,
          serverErrors: 0,
        },
      );
    const asked = cache.hits + cache.misses;
    return {
      since: new Date(this.since).toISOString(),
      pid: process.pid,
      minutes: rows,
      totals: { ...this.totals },
      refusedByCode: [...this.refused]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
      cache: { ...cache, hitRate: asked ? cache.hits / asked : null },
    };
  }
}
