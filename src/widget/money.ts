const cache = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string | undefined): Intl.NumberFormat {
  const k = `${locale}|${currency}`;
  let f = cache.get(k);
  if (!f) cache.set(k, (f = new Intl.NumberFormat(locale, { style: 'currency', currency })));
  return f;
}

/** Digits after the decimal point of a currency's minor unit (ISO 4217: 2 for USD, 0 for JPY, 3 for KWD). */
export function exponent(currency: string): number {
  return (
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2
  );
}

/** An amount in minor units, in the store's currency and the shopper's locale. */
export function money(minor: number, currency: string, locale?: string): string {
  return formatter(currency, locale).format(minor / 10 ** exponent(currency));
}
