import { formatMoney } from '../core/money.js';

/** Aligned two-column rows, for terminals up to 100 columns wide. */
export function table(rows: [string, string][], indent = 2): string {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => `${' '.repeat(indent) + k.padEnd(w)}  ${v}`).join('\n');
}

export const int = (n: number): string => n.toLocaleString('en-US');
export const pct = (x: number | null, digits = 2): string =>
  x == null ? 'unknown' : `${(x * 100).toFixed(digits)}%`;
export const money = (minor: number | null, currency: string): string =>
  minor == null ? 'unknown' : formatMoney(Math.round(minor), currency);
