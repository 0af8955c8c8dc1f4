import { replayAll, type ReplayTally, type StorefrontApi } from '../sim/replay.js';
import type { SessionOutcome } from '../sim/shopper.js';
import { forEachSession } from '../sim/simulate.js';

export interface ReplayOptions {
  /** The day simulated, UTC midnight. */
  dayMs: number;
  sessions: number;
  seed: number;
  concurrency: number;
}

/**
 * A simulated day of organic shoppers driven through a storefront API: they meet only the offers the server
 * makes. Ids carry an "r" so they never collide with a simulated history in the same store.
 */
export async function replayDay(
  api: StorefrontApi,
  o: ReplayOptions,
  onProgress?: (fraction: number) => void,
): Promise<ReplayTally> {
  const outcomes: SessionOutcome[] = [];
  forEachSession(
    {
      seed: o.seed,
      days: 1,
      sessionsPerDay: o.sessions,
      startMs: o.dayMs,
      currency: 'USD',
      scenario: 'baseline',
      idPrefix: 'r',
      organic: true,
    },
    (s) => outcomes.push(s),
  );
  return replayAll(outcomes, api, o.seed, o.concurrency, (n) => onProgress?.(n / outcomes.length));
}
