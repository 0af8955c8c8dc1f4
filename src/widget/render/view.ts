import type { Texts } from '../types.js';
import type { CartLine, Offer } from '../types.js';

/** What a renderer needs from the widget: words, money in the store's currency, and the shopper's answers. */
export interface View {
  texts: Texts;
  money(minor: number): string;
  /** Asks the store to add the lines; resolves true once it did. */
  accept(offer: Offer, lines: CartLine[]): Promise<boolean>;
  dismiss(offer: Offer): void;
}

/** One of an item at its price, when the snapshot knows the price (an item without one cannot be added). */
export function linesOf(items: Offer['items']): CartLine[] {
  return items.flatMap((i) =>
    i.priceMinor == null ? [] : [{ productId: i.productId, quantity: 1, unitPriceMinor: i.priceMinor }],
  );
}
