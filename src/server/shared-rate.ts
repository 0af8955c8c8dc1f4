import type { SharedCounters } from '../store/port.js';
import type { RateShare } from './rate-limit.js';

/**
 * Rate-limit counts shared through the store (PostgreSQL) by every server: the limit is the store's, not each
 * process's. A sync that fails (the database is down) is dropped: each server then limits on its own counts, and
 * requests are never refused for want of a counter.
 */
export function countersRateShare(counters: SharedCounters): RateShare {
  const listeners: ((window: number, totals: [string, number][]) => void)[] = [];
  return {
    publish(window, deltas) {
      counters
        .add(window, deltas)
        .then((totals) => {
          for (const fn of listeners) fn(window, totals);
        })
        .catch(() => {});
    },
    onTotals: (fn) => void listeners.push(fn),
  };
}
