import { LeversError } from '../core/errors.js';
import { DAY_MS, parseTimestamp, toIsoDate } from '../core/time.js';
import type { Window } from '../store/port.js';

const day = (text: string, option: string): number => {
  const t = parseTimestamp(text);
  if (!t.ok) throw new LeversError('INVALID_OPTION', { option, detail: t.reason });
  return Math.floor(t.ms / DAY_MS);
};
const iso = (d: number) => toIsoDate(d * DAY_MS);

export interface ResolvedWindows {
  current: Window;
  /** Null when no day of the comparison window has data: nothing is compared, and the report says why. */
  previous: Window | null;
  /**
   * Whether totals (sessions, orders, revenue) of the two windows can be compared: only when both hold the same
   * number of days of data. Rates (CVR, AOV, RPS) are compared either way.
   */
  totalsComparable: boolean;
  /** What was clipped to the data, in words. */
  notes: string[];
}

/**
 * The period reported on and the one it is compared with, kept to the days that have data. Default: the last 28 days
 * of data (90 for monthly reports) against the same length just before. A window reaching past the data is clipped
 * and said; a comparison window with no data at all gives no comparison, never one against zero.
 */
export function resolveWindows(
  o: { from?: string; to?: string; compare?: string; period: string },
  dataFirst: string,
  dataLast: string,
): ResolvedWindows {
  const first = day(dataFirst, 'from');
  const last = day(dataLast, 'to');
  const notes: string[] = [];
  let to = o.to ? day(o.to, 'to') : last;
  const len = o.period === 'month' ? 90 : 28;
  let from = o.from ? day(o.from, 'from') : Math.max(first, to - len + 1);
  if (from > to) throw new LeversError('INVALID_OPTION', { option: 'from', detail: 'must not be after to' });
  if (to < first || from > last) {
    throw new LeversError('INVALID_OPTION', {
      option: o.from ? 'from' : 'to',
      detail: `the window ${iso(from)}..${iso(to)} has no data; the store's data runs from ${dataFirst} to ${dataLast}`,
    });
  }
  if (from < first || to > last) {
    notes.push(
      `the window ${iso(from)}..${iso(to)} reaches past the data (${dataFirst}..${dataLast}): reported on ` +
        `${iso(Math.max(from, first))}..${iso(Math.min(to, last))}`,
    );
    from = Math.max(from, first);
    to = Math.min(to, last);
  }
  const wanted = previousWindow(o.compare ?? 'previous', from, to);
  const pFrom = Math.max(wanted[0], first);
  const pTo = Math.min(wanted[1], last);
  const current = { from: iso(from), to: iso(to) };
  if (pFrom > pTo) {
    notes.push(
      `no data in the comparison window ${iso(wanted[0])}..${iso(wanted[1])} (the data starts ${dataFirst}): ` +
        'nothing is compared',
    );
    return { current, previous: null, totalsComparable: false, notes };
  }
  const days = pTo - pFrom + 1;
  const clipped = pFrom !== wanted[0] || pTo !== wanted[1];
  if (clipped) {
    notes.push(
      `the comparison window ${iso(wanted[0])}..${iso(wanted[1])} has data on ${days} of its ` +
        `${wanted[1] - wanted[0] + 1} days (${iso(pFrom)}..${iso(pTo)})`,
    );
  }
  const totalsComparable = days === to - from + 1;
  if (!totalsComparable) {
    notes.push(
      `the two windows hold ${to - from + 1} and ${days} days of data: rates (CVR, AOV, RPS) are compared, ` +
        'totals (sessions, orders, revenue) are not',
    );
  }
  return { current, previous: { from: iso(pFrom), to: iso(pTo) }, totalsComparable, notes };
}

function previousWindow(compare: string, from: number, to: number): [number, number] {
  const n = to - from + 1;
  if (compare === 'previous') return [from - n, from - 1];
  if (compare === 'year') {
    const shift = (d: number) => {
      const x = new Date(d * DAY_MS);
      x.setUTCFullYear(x.getUTCFullYear() - 1);
      return Math.floor(x.getTime() / DAY_MS);
    };
    return [shift(from), shift(to)];
  }
  const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(compare);
  if (!m) {
    throw new LeversError('INVALID_OPTION', {
      option: 'compare',
      detail: 'use previous, year or DATE..DATE (e.g. 2024-01-01..2024-01-31)',
    });
  }
  const a = day(m[1]!, 'compare');
  const b = day(m[2]!, 'compare');
  if (a > b)
    throw new LeversError('INVALID_OPTION', {
      option: 'compare',
      detail: 'the first date must not be after the second',
    });
  return [a, b];
}

/**
 * The windows again, knowing how many days of each hold data (the data may have gaps inside its range): a comparison
 * window with no such day is no comparison, and one with fewer than half the current window's days of data compares
 * rates only. Small differences are a store's closed days (Sundays, holidays), real zeros rather than missing data.
 */
export function withActiveDays(
  w: ResolvedWindows,
  currentDays: number,
  previousDays: number,
): ResolvedWindows {
  if (!w.previous) return w;
  if (previousDays === 0) {
    return {
      ...w,
      previous: null,
      totalsComparable: false,
      notes: [
        ...w.notes,
        `no data in the comparison window ${w.previous.from}..${w.previous.to}: nothing is compared`,
      ],
    };
  }
  if (previousDays * 2 >= currentDays || !w.totalsComparable) return w;
  return {
    ...w,
    totalsComparable: false,
    notes: [
      ...w.notes,
      `the two windows hold ${currentDays} and ${previousDays} days with data: ` +
        'rates (CVR, AOV, RPS) are compared, totals (sessions, orders, revenue) are not',
    ],
  };
}

/** Whether a calendar period starting on `start` runs past the data on either side (a partial week or month). */
export function partialPeriod(
  start: string,
  period: 'day' | 'week' | 'month',
  dataFirst: string,
  dataLast: string,
): boolean {
  const s = day(start, 'period');
  let end: number;
  if (period === 'day') end = s;
  else if (period === 'week') end = s + 6;
  else {
    const d = new Date(s * DAY_MS);
    end = Math.floor(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1) / DAY_MS) - 1;
  }
  return s < day(dataFirst, 'from') || end > day(dataLast, 'to');
}
