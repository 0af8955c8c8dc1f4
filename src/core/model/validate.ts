import { z } from 'zod';
import { currencyExponent, isCurrencyCode, parseMoney } from '../money.js';
import { parseTimestamp } from '../time.js';
import type { RowOf } from './rows.js';
import { TABLES, type ColumnSpec, type TableName } from './tables.js';

/** A raw record as read from CSV, JSON lines or Parquet: column name → text (or a JSON scalar). */
export type RawRecord = Record<string, unknown>;

export interface FieldIssue {
  field: string;
  reason: string;
  value?: string;
}

export type RowResult<T> = { ok: true; row: T; rounded: string[] } | { ok: false; issues: FieldIssue[] };

const MONEY_TEXT = /^[+-]?\d[\d,]*(\.\d*)?$/;

function text(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  const s = typeof v === 'string' ? v.trim() : String(v);
  return s === '' ? null : s;
}

/** What the store's columns hold: INTEGER is 32-bit; TIMESTAMP is kept to years a store's data can have. */
export const INT32_MIN = -2_147_483_648;
export const INT32_MAX = 2_147_483_647;
const FIRST_MS = Date.UTC(1970, 0, 1);
const LAST_MS = Date.UTC(2200, 0, 1);
/** Longest text field kept (a product description, a user agent): anything longer is a broken export. */
export const MAX_TEXT = 10_000;

export type FieldSpec = Pick<ColumnSpec, 'kind' | 'required' | 'values' | 'default'> & {
  /** An integer beyond 32 bits that never reaches an INTEGER column as is (GA's micros). */
  wide?: boolean;
};

/**
 * zod type for one field: raw value in, typed value out (money stays decimal text until the row's currency is
 * known). Shared by the canonical tables and the source formats (Shopify, UCI, GA).
 */
export function fieldType(col: FieldSpec): z.ZodType {
  const base = z.unknown().transform((v, ctx) => {
    const s = text(v);
    if (s === null) {
      if (col.required) ctx.addIssue({ code: 'custom', message: 'is required' });
      return col.default ?? null;
    }
    // A NUL byte is never data: it is a binary file read as text, or an attack on whatever reads the value
    // next.
    if (s.includes('\u0000')) {
      ctx.addIssue({ code: 'custom', message: 'contains a NUL byte' });
      return z.NEVER;
    }
    switch (col.kind) {
      case 'id':
        if (s.length > 256) ctx.addIssue({ code: 'custom', message: 'is longer than 256 characters' });
        return s;
      case 'text':
        if (s.length > MAX_TEXT)
          ctx.addIssue({ code: 'custom', message: `is longer than ${MAX_TEXT} characters` });
        return s;
      case 'int': {
        if (!/^[+-]?\d+$/.test(s) || !Number.isSafeInteger(Number(s))) {
          ctx.addIssue({ code: 'custom', message: 'is not a whole number' });
          return z.NEVER;
        }
        const n = Number(s);
        if (!col.wide && (n < INT32_MIN || n > INT32_MAX)) {
          ctx.addIssue({
            code: 'custom',
            message: 'is out of range (a whole number between −2,147,483,648 and 2,147,483,647)',
          });
          return z.NEVER;
        }
        return n;
      }
      case 'money':
        if (!MONEY_TEXT.test(s)) {
          ctx.addIssue({ code: 'custom', message: 'is not a decimal amount' });
          return z.NEVER;
        }
        return s;
      case 'time': {
        const t = parseTimestamp(s);
        if (!t.ok) {
          ctx.addIssue({ code: 'custom', message: 'is not a date-time (e.g. 2024-01-15 10:31:07 -0500)' });
          return z.NEVER;
        }
        if (t.ms < FIRST_MS || t.ms >= LAST_MS) {
          ctx.addIssue({ code: 'custom', message: 'is outside the years 1970–2199' });
          return z.NEVER;
        }
        return t.ms;
      }
      case 'currency': {
        const c = s.toUpperCase();
        if (!isCurrencyCode(c)) {
          ctx.addIssue({ code: 'custom', message: 'is not an ISO 4217 currency code' });
          return z.NEVER;
        }
        return c;
      }
      case 'enum': {
        const e = s.toLowerCase();
        if (!col.values?.includes(e)) {
          ctx.addIssue({ code: 'custom', message: `is not one of ${col.values?.join(', ')}` });
          return z.NEVER;
        }
        return e;
      }
    }
  });
  return base;
}

/** Runs a zod object schema over a raw record; issues name the field and keep the offending value. */
export function parseRecord(
  schema: z.ZodObject,
  raw: RawRecord,
): { ok: true; row: Record<string, unknown> } | { ok: false; issues: FieldIssue[] } {
  // Absent columns (older exports) are empty values, so defaults and "is required" apply to them too.
  const full: RawRecord = {};
  for (const k of Object.keys(schema.shape)) full[k] = raw[k] ?? null;
  const parsed = schema.safeParse(full);
  if (parsed.success) return { ok: true, row: parsed.data as Record<string, unknown> };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => {
      const field = String(i.path[0] ?? '');
      const value = text(raw[field]);
      return { field, reason: i.message, ...(value !== null ? { value } : {}) };
    }),
  };
}

const schemas = new Map<TableName, z.ZodObject>();

function schemaFor(table: TableName): z.ZodObject {
  let s = schemas.get(table);
  if (!s) {
    const shape: Record<string, z.ZodType> = {};
    for (const col of TABLES[table].columns) shape[col.name] = fieldType(col);
    s = z.object(shape);
    schemas.set(table, s);
  }
  return s;
}

/**
 * Validates one canonical record against the table's spec. Money is converted to minor units using the row's
 * currency (or the default), and digits beyond the currency's precision are reported as rounded.
 */
export function validateRow<T extends TableName>(
  table: T,
  raw: RawRecord,
  defaultCurrency: string,
): RowResult<RowOf[T]> {
  const parsed = parseRecord(schemaFor(table), raw);
  if (!parsed.ok) return parsed;
  const row = parsed.row;
  const hasCurrency = TABLES[table].columns.some((c) => c.kind === 'currency');
  if (hasCurrency && row.currency == null) row.currency = defaultCurrency;
  const exp = currencyExponent((row.currency as string | undefined) ?? defaultCurrency);
  const rounded: string[] = [];
  for (const col of TABLES[table].columns) {
    if (col.kind !== 'money' || row[col.name] == null) continue;
    const m = parseMoney(String(row[col.name]), exp);
    if (!m.ok)
      return {
        ok: false,
        issues: [
          {
            field: col.name,
            reason: 'is more than the store can hold (15 digits before the decimal point)',
            value: String(row[col.name]),
          },
        ],
      };
    if (m.rounded) rounded.push(col.name);
    row[col.name] = m.minor;
  }
  return { ok: true, row: row as unknown as RowOf[T], rounded };
}
