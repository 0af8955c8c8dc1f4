/**
 * Money is an integer count of the currency's minor unit (cents for USD, yen for JPY, fils for KWD). Floats
 * never hold money: amounts are parsed from their decimal text straight into integers.
 */
export type Minor = number;

const exponentCache = new Map<string, number>();

/** ISO 4217 minor-unit exponent (USD 2, JPY 0, KWD 3), from the platform's CLDR data. */
export function currencyExponent(currency: string): number {
  let exp = exponentCache.get(currency);
  if (exp === undefined) {
    exp =
      new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ??
      2;
    exponentCache.set(currency, exp);
  }
  return exp;
}

// Intl formats any three letters as a currency, so membership comes from the platform's ISO 4217 list.
let known: Set<string> | null = null;

export function isCurrencyCode(text: string): boolean {
  known ??= new Set(Intl.supportedValuesOf('currency'));
  return known.has(text);
}

/**
 * The largest amount the store holds exactly: DECIMAL(18,3) keeps 15 digits before the point, and minor units
 * must stay safe integers in JavaScript.
 */
export function maxMinor(exponent: number): number {
  return Math.min(Number.MAX_SAFE_INTEGER, 10 ** (15 + exponent) - 1);
}

export type MoneyParse = { ok: true; minor: Minor; rounded: boolean } | { ok: false; reason: string };

const DECIMAL = /^([+-])?(\d+)(?:\.(\d*))?$/;

/**
 * Parses "1,234.50", "-3.2", "1e3"-free decimal text into minor units. Digits beyond the currency's exponent
 * are rounded half-to-even and flagged, so a loader can count them instead of hiding them.
 */
export function parseMoney(text: string, exponent: number): MoneyParse {
  const cleaned = text.trim().replace(/,/g, '');
  const m = DECIMAL.exec(cleaned);
  if (!m) return { ok: false, reason: `"${text}" is not a decimal amount` };
  const sign = m[1] === '-' ? -1 : 1;
  const whole = m[2] ?? '0';
  const frac = m[3] ?? '';
  const kept = frac.slice(0, exponent).padEnd(exponent, '0');
  const rest = frac.slice(exponent);
  let minor = Number(whole + kept);
  let rounded = false;
  if (/[1-9]/.test(rest)) {
    rounded = true;
    const first = Number(rest[0]);
    const tail = /[1-9]/.test(rest.slice(1));
    if (first > 5 || (first === 5 && (tail || minor % 2 === 1))) minor += 1;
  }
  if (!Number.isSafeInteger(minor) || minor > maxMinor(exponent)) {
    return {
      ok: false,
      reason: `"${text}" is more than the store can hold (15 digits before the decimal point)`,
    };
  }
  return { ok: true, minor: sign * minor || 0, rounded };
}

/** Exact decimal text of a minor amount, e.g. (123456, 2) → "1234.56"; used to hand money to SQL DECIMAL. */
export function minorToDecimal(minor: Minor, exponent: number): string {
  const neg = minor < 0;
  const digits = String(Math.abs(minor)).padStart(exponent + 1, '0');
  const whole = digits.slice(0, digits.length - exponent);
  const frac = exponent > 0 ? `.${digits.slice(digits.length - exponent)}` : '';
  return (neg ? '-' : '') + whole + frac;
}

/** Exact decimal text → minor units; the inverse of minorToDecimal for values read back from SQL. */
export function decimalToMinor(text: string, exponent: number): Minor {
  const r = parseMoney(text, exponent);
  if (!r.ok) throw new RangeError(r.reason);
  return r.minor;
}

/** Multiplies a unit price by a quantity exactly (integers stay integers). */
export function lineAmount(unitPrice: Minor, quantity: number): Minor {
  return unitPrice * quantity;
}

// Building an Intl.NumberFormat costs tens of microseconds, formatting with one well under one: offer texts
// on the decide path format money several times per request, so one formatter per currency is kept.
// What it wrote is kept too (amounts repeat: prices, thresholds), up to a bound; -0 is formatted afresh (a Map
// does not tell it from 0).
const formatters = new Map<string, { f: Intl.NumberFormat; memo: Map<number, string> }>();

export function formatMoney(minor: Minor, currency: string): string {
  let fm = formatters.get(currency);
  if (!fm)
    formatters.set(
      currency,
      (fm = { f: new Intl.NumberFormat('en-US', { style: 'currency', currency }), memo: new Map() }),
    );
  let s = fm.memo.get(minor);
  if (s === undefined) {
    s = fm.f.format(Number(minorToDecimal(minor, currencyExponent(currency))));
    if (Object.is(minor, -0)) return s;
    if (fm.memo.size >= 20_000) fm.memo.clear();
    fm.memo.set(minor, s);
  }
  return s;
}
