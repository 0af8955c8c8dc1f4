/**
 * The demo shop's cart and last order, kept in cookies so the server renders the page whole at first paint (no
 * cart drawn in later by a script, which would move the page). Shared by the server (reads) and the shop's
 * browser script (writes).
 */
export const CART_COOKIE = 'levers_demo_cart';
export const ORDER_COOKIE = 'levers_demo_order';

/** Quantities by product id. */
export type Quantities = Record<string, number>;

export interface ShopOrder {
  orderId: string;
  lines: { productId: string; quantity: number; unitPriceMinor: number }[];
}

/** A cookie's JSON value from a Cookie header (or document.cookie); null when absent or unreadable. */
export function readCookie<T>(header: string | undefined, name: string): T | null {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k !== name) continue;
    try {
      return JSON.parse(decodeURIComponent(v.join('='))) as T;
    } catch {
      return null;
    }
  }
  return null;
}

/** The Set-Cookie / document.cookie text for a value, for the shop's path, for a day. */
export function cookieText(name: string, value: unknown): string {
  return `${name}=${encodeURIComponent(JSON.stringify(value))}; path=/shop; max-age=86400; samesite=lax`;
}

/** Cart lines at the catalogue's prices; unknown products and silly quantities are dropped. */
export function cartLines(
  q: Quantities | null,
  priceOf: (id: string) => number | null | undefined,
): ShopOrder['lines'] {
  const lines: ShopOrder['lines'] = [];
  for (const [productId, n] of Object.entries(q ?? {})) {
    const unitPriceMinor = priceOf(productId);
    if (unitPriceMinor == null || !Number.isInteger(n) || n < 1 || n > 99) continue;
    lines.push({ productId, quantity: n, unitPriceMinor });
  }
  return lines;
}
