import { LeversError } from '../core/errors.js';
import type { ApiEvent } from '../core/model/api-event.js';
import type { DecideRequest, ReplayDecision, StorefrontApi } from './replay.js';

export interface HttpStorefront extends StorefrontApi {
  /** Decide latency percentiles seen so far, in milliseconds. */
  latency(): { p50: number; p99: number };
}

/**
 * The storefront side over HTTP; events are retried with the same idempotency keys, as a storefront's beacon
 * queue would.
 */
export function httpStorefront(url: string, key: string): HttpStorefront {
  const times: number[] = [];
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const pause = (attempt: number) => new Promise((r) => setTimeout(r, 100 * 2 ** attempt));
  const call = async (path: string, body: unknown, what: string, want: number): Promise<unknown> => {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      } catch (e) {
        if (attempt < 4) {
          await pause(attempt);
          continue;
        }
        throw new LeversError('SERVER_UNREACHABLE', { url, detail: String((e as Error).cause ?? e) });
      }
      if (res.status === want) return res.json();
      if ((res.status === 429 || res.status >= 500) && attempt < 4) {
        await pause(attempt);
        continue;
      }
      throw new LeversError('SERVER_REFUSED', { status: res.status, what, detail: await res.text() });
    }
  };
  return {
    async decide(req: DecideRequest) {
      const t = performance.now();
      const r = (await call('/v1/decide', req, 'POST /v1/decide', 200)) as ReplayDecision;
      times.push(performance.now() - t);
      return r;
    },
    async events(batch: ApiEvent[]) {
      await call('/v1/events', { events: batch }, 'POST /v1/events', 202);
    },
    latency() {
      const s = [...times].sort((a, b) => a - b);
      const q = (p: number) =>
        s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1)) : 0;
      return { p50: q(0.5), p99: q(0.99) };
    },
  };
}
