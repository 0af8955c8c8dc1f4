import type { ApiEventBody } from './types.js';
import { load, save } from './storage.js';

const KEY = 'levers:outbox';
/** A shopper offline for a long time must not fill the store's localStorage. */
const MAX_KEPT = 200;
/** Per request: keepalive requests and beacons share a 64 KB budget per page. */
const BATCH = 50;

/**
 * Events wait here (localStorage) until the server acknowledges them, so a send that fails (offline, the server
 * down, the page closed mid-request) is retried on the next page. Every event carries an idempotency key, so a
 * retry of one that did arrive is counted once.
 *
 * Sends use fetch with keepalive, whose answer says whether the batch was stored; when the page is hidden,
 * what is still waiting goes by navigator.sendBeacon (made for that moment, but answerless: those events stay
 * queued until a later page hears the server acknowledge them).
 */
export class Outbox {
  private sending = false;

  constructor(readonly url: string) {
    addEventListener('pagehide', () => this.beacon());
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.beacon();
    });
  }

  add(events: ApiEventBody[]): void {
    const queued = load<ApiEventBody[]>(KEY, []);
    const keys = new Set(queued.map((e) => e.idempotencyKey));
    for (const e of events) if (!keys.has(e.idempotencyKey)) queued.push(e);
    save(KEY, queued.slice(-MAX_KEPT));
    void this.flush();
  }

  /** Sends what is queued, a batch at a time, until the queue is empty or a send fails. */
  async flush(): Promise<void> {
    if (this.sending) return;
    this.sending = true;
    try {
      for (;;) {
        const batch = load<ApiEventBody[]>(KEY, []).slice(0, BATCH);
        if (!batch.length || !(await this.send(batch))) return;
        const sent = new Set(batch.map((e) => e.idempotencyKey));
        save(
          KEY,
          load<ApiEventBody[]>(KEY, []).filter((e) => !sent.has(e.idempotencyKey)),
        );
      }
    } finally {
      this.sending = false;
    }
  }

  /** True when the batch is done with: stored, or refused for good (retrying the same body cannot help). */
  private async send(events: ApiEventBody[]): Promise<boolean> {
    try {
      // text/plain keeps it a simple request (no CORS preflight), as a beacon is; the server reads it as JSON.
      const r = await fetch(this.url, {
        method: 'POST',
        body: JSON.stringify({ events }),
        headers: { 'content-type': 'text/plain' },
        keepalive: true,
      });
      if (r.ok) return true;
      if (r.status === 429 || r.status >= 500) return false;
      console.warn(`levers: events refused (${r.status}): ${await r.text()}`);
      return true;
    } catch {
      return false;
    }
  }

  private beacon(): void {
    const queued = load<ApiEventBody[]>(KEY, []).slice(0, BATCH);
    if (queued.length && navigator.sendBeacon)
      navigator.sendBeacon(this.url, new Blob([JSON.stringify({ events: queued })], { type: 'text/plain' }));
  }
}
