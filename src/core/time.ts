/**
 * Timestamps are epoch milliseconds in UTC. Sources give local times with offsets ("2024-01-15 10:31:07
 * -0500", ISO 8601 "…T10:31:07-05:00"/"Z") or naive times that the source documents as UTC (Online Retail);
 * both are accepted, anything else is an error.
 */
export type EpochMs = number;

const STAMP =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;

export type TimeParse = { ok: true; ms: EpochMs } | { ok: false; reason: string };

export function parseTimestamp(text: string): TimeParse {
  const m = STAMP.exec(text.trim());
  if (!m)
    return { ok: false, reason: `"${text}" is not a date-time (expected e.g. 2024-01-15 10:31:07 -0500)` };
  const [y, mo, d, h, mi, s] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((v) => Number(v ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const frac = m[7] ? Number(`0.${m[7]}`.slice(0, 5)) * 1000 : 0;
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) {
    return { ok: false, reason: `"${text}" is not a valid calendar date-time` };
  }
  let ms = Date.UTC(y, mo - 1, d, h, mi, s) + Math.round(frac);
  const zone = m[8];
  if (zone && !/^(Z|UTC)$/i.test(zone)) {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    const offsetMin = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4));
    if (offsetMin > 14 * 60) return { ok: false, reason: `"${text}" has an impossible UTC offset` };
    ms -= sign * offsetMin * 60_000;
  }
  return { ok: true, ms };
}

function daysInMonth(y: number, m: number): number {
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** "2024-01-15 15:31:07.000": the UTC text DuckDB reads into TIMESTAMP. */
export function toSqlTimestamp(ms: EpochMs): string {
  return new Date(ms).toISOString().replace('T', ' ').replace('Z', '');
}

export function toIsoDate(ms: EpochMs): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export const DAY_MS = 86_400_000;
