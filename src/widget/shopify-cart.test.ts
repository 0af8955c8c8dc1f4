import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../../test/helpers.js';
import { fromShopifyCart, type ShopifyCart } from './shopify-cart.js';

const cart = JSON.parse(readFileSync(join(FIXTURES, 'shopify', 'cart.json'), 'utf8')) as ShopifyCart;

test('a Shopify /cart.js cart becomes a decide cart: SKU else title:<line title>, unit price before discounts', () => {
  assert.deepEqual(fromShopifyCart(cart), [
    { productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 },
    // No SKU: the id levers ingest shopify-orders gives the same line (Lineitem name).
    { productId: 'title:Paper Filters (100)', quantity: 2, unitPriceMinor: 625 },
  ]);
});

test("Shopify's ×100 amounts are rescaled to the currency's minor unit (JPY has none, KWD has three)", () => {
  const one = (price: number, exponent: number) =>
    fromShopifyCart({ items: [{ sku: 'x', quantity: 1, price }] }, exponent)[0]!.unitPriceMinor;
  assert.equal(one(150000, 0), 1500);
  assert.equal(one(1250, 3), 12500);
  assert.deepEqual(fromShopifyCart({ items: [{ sku: 'x', quantity: 0, price: 100 }] }), []);
});
