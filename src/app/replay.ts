import { replayAll, type ReplayTally, type StorefrontApi } from '../sim/replay.js';
import type { SessionOutcome } from '../sim/shopper.js';
import { forEachSession } from '../sim/simulate.js';
import { toIsoDate } from '../core/time.js';

export interface ReplayOptions {
  /** The first day simulated, UTC midnight. */
  dayMs: number;
  /** Days in a row from dayMs (1: that day only); returning customers come back on the later days. */
  days?: number;
  /** Sessions a day (about: the simulator's days vary around it). */
  sessions: number;
  seed: number;
  concurrency: number;
}

/**
 * The organic shoppers of the days replayed, as the simulator makes them: the same options give the same
 * shoppers, so a replay through a server and its truth in process meet the same people. Ids carry an "r", the
 * seed and the first day, so they never collide with a simulated history in the same store nor with another
 * replay's shoppers (the server would take their events for repeats of the first replay's and keep them once);
 * the same replay sent again is the same events, and is stored once.
 */
export function replaySessions(o: ReplayOptions): SessionOutcome[] {
  const outcomes: SessionOutcome[] = [];
  forEachSession(
    {
      seed: o.seed,
      days: o.days ?? 1,
      sessionsPerDay: o.sessions,
      startMs: o.dayMs,
      currency: 'USD',
      scenario: 'baseline',
      idPrefix: `r${o.seed}-${toIsoDate(o.dayMs).replaceAll('-', '')}-`,
      organic: true,
    },
    (s) => outcomes.push(s),
  );
  return outcomes;
}

/** Simulated days of organic shoppers driven through a storefront API: they meet only the offers the server makes. */
export async function replayDay(
  api: StorefrontApi,
  o: ReplayOptions,
  onProgress?: (fraction: number) => void,
): Promise<ReplayTally> {
  const outcomes = replaySessions(o);
  return replayAll(outcomes, api, o.seed, o.concurrency, (n) => onProgress?.(n / outcomes.length));
}
