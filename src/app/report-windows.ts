import { LeversError } from '../core/errors.js';
import { DAY_MS, parseTimestamp, toIsoDate } from '../core/time.js';

import type { Window } from '../store/port.js';

const day = (text: string, option: string): number => {
  const t = parseTimestamp(text);
  if (!t.ok) throw new LeversError('INVALID_OPTION', { option, detail: t.reason });
  return Math.floor(t.ms / DAY_MS);
};
const iso = (d: number) => toIsoDate(d * DAY_MS);

/**
 * The period reported on and the one it is compared with. Default: the last 28 days of data (90 for monthly
 * reports) against the same length just before.
 */
export function resolveWindows(
  o: { from?: string; to?: string; compare?: string; period: string },
  dataFirst: string,
  dataLast: string,
): { current: Window; previous: Window } {
  const to = o.to ? day(o.to, 'to') : day(dataLast, 'to');
  const len = o.period === 'month' ? 90 : 28;
  const from = o.from ? day(o.from, 'from') : Math.max(day(dataFirst, 'from'), to - len + 1);
  if (from > to) throw new LeversError('INVALID_OPTION', { option: 'from', detail: 'must not be after to' });
  const n = to - from + 1;
  const compare = o.compare ?? 'previous';
  let previous: Window;
  if (compare === 'previous') previous = { from: iso(from - n), to: iso(from - 1) };
  else if (compare === 'year') {
    const shift = (d: number) => {
      const x = new Date(d * DAY_MS);
      x.setUTCFullYear(x.getUTCFullYear() - 1);
      return toIsoDate(x.getTime());
    };
    previous = { from: shift(from), to: shift(to) };
  } else {
    const m = /^(\d{4}-\d{2}-\d{2})\.\.(\d{4}-\d{2}-\d{2})$/.exec(compare);
    if (!m)
      throw new LeversError('INVALID_OPTION', {
        option: 'compare',
        detail: 'use previous, year or DATE..DATE (e.g. 2024-01-01..2024-01-31)',
      });
    const a = day(m[1]!, 'compare');
    const b = day(m[2]!, 'compare');
    if (a > b)
      throw new LeversError('INVALID_OPTION', {
        option: 'compare',
        detail: 'the first date must not be after the second',
      });
    previous = { from: iso(a), to: iso(b) };
  }
  return { current: { from: iso(from), to: iso(to) }, previous };
}
