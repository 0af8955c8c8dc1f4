import type { CartLine } from './types.js';

/** The part of Shopify's AJAX cart (GET /cart.js) the widget reads. */
export interface ShopifyCart {
  currency?: string;
  items: {
    sku?: string | null;
    title?: string;
    product_title?: string;
    quantity: number;
    /** Unit price before discounts, in Shopify's "cents": the amount × 100 in every currency. */
    price: number;
  }[];
}

/**
 * A Shopify /cart.js cart as /v1/decide's cart. The product id is the SKU, else `title:` and the line's title:
 * the ids `levers ingest shopify-orders` gives the same products from the orders export (Lineitem sku, else
 * Lineitem name), so the model knows them. Shopify gives every amount × 100 whatever the currency, so the
 * price is rescaled to the currency's minor unit (exponent: 2 for USD, 0 for JPY, 3 for KWD).
 */
export function fromShopifyCart(cart: ShopifyCart, exponent = 2): CartLine[] {
  return cart.items
    .filter((i) => i.quantity > 0)
    .map((i) => ({
      productId: i.sku ? i.sku : `title:${i.title ?? i.product_title ?? ''}`,
      quantity: i.quantity,
      unitPriceMinor: Math.round((i.price * 10 ** exponent) / 100),
    }));
}
