import type { LiveMinute, LiveSnapshot } from '../contract-dashboard.js';

export type { LiveMinute, LiveSnapshot };

type Counter = Exclude<keyof LiveMinute, 'minute'>;

/**
 * Counters of the running server in memory, per minute for the last hour: the Live page's data. Each process
 * counts its own requests; under a cluster each worker sends its snapshot to the primary once a second, and the
 * primary sums them (sumSnapshots).
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

  /** A decision, counted, with its refusals' codes (as the decision cache keeps them). */
  decided(refused: readonly string[]): void {
    this.add('decisions');
    for (const code of refused) this.refused.set(code, (this.refused.get(code) ?? 0) + 1);
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
      workers: null,
      minutes: rows,
      totals: { ...this.totals },
      refusedByCode: [...this.refused]
        .map(([code, count]) => ({ code, count }))
        .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
      cache: { ...cache, hitRate: asked ? cache.hits / asked : null },
    };
  }
}

const zero = (minute: string): LiveMinute => ({
  minute,
  decisions: 0,
  events: 0,
  clientErrors: 0,
  serverErrors: 0,
});

/** The workers' latest snapshots summed minute by minute, as the primary of a cluster answers. */
export function sumSnapshots(all: readonly LiveSnapshot[], now: number, minutes = 30): LiveSnapshot {
  const m = Math.floor(now / 60_000);
  const rows: LiveMinute[] = [];
  for (let k = m - minutes + 1; k <= m; k++) rows.push(zero(new Date(k * 60_000).toISOString()));
  const at = new Map(rows.map((r) => [r.minute, r]));
  const totals = { decisions: 0, events: 0, clientErrors: 0, serverErrors: 0 };
  const refused = new Map<string, number>();
  const cache = { hits: 0, misses: 0 };
  for (const s of all) {
    for (const r of s.minutes) {
      const row = at.get(r.minute);
      if (row) for (const k of COUNTERS) row[k] += r[k];
    }
    for (const k of COUNTERS) totals[k] += s.totals[k];
    for (const x of s.refusedByCode) refused.set(x.code, (refused.get(x.code) ?? 0) + x.count);
    cache.hits += s.cache.hits;
    cache.misses += s.cache.misses;
  }
  const asked = cache.hits + cache.misses;
  return {
    since: all.map((s) => s.since).sort()[0] ?? new Date(now).toISOString(),
    pid: process.pid,
    workers: all.length,
    minutes: rows,
    totals,
    refusedByCode: [...refused]
      .map(([code, count]) => ({ code, count }))
      .sort((a, b) => b.count - a.count || a.code.localeCompare(b.code)),
    cache: { ...cache, hitRate: asked ? cache.hits / asked : null },
  };
}

const COUNTERS = ['decisions', 'events', 'clientErrors', 'serverErrors'] as const;
