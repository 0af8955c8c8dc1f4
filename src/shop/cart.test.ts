import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CART_COOKIE, cartLines, cookieText, readCookie } from './cart.js';

test("the demo shop's cart cookie: written by the browser, read by the server, at the catalogue's prices", () => {
  const header = `other=1; ${cookieText(CART_COOKIE, { tea: 3, 'no such': 1, mug: 0, kettle: 1.5 }).split(';')[0]}`;
  const q = readCookie<Record<string, number>>(header, CART_COOKIE);
  const prices: Record<string, number> = { tea: 1100, mug: 1200, kettle: 3900 };
  // Unknown products, zero and fractional quantities are dropped; the price is the server's, not the cookie's.
  assert.deepEqual(
    cartLines(q, (id) => prices[id]),
    [{ productId: 'tea', quantity: 3, unitPriceMinor: 1100 }],
  );
  assert.equal(readCookie(`${CART_COOKIE}=%7Bnot json`, CART_COOKIE), null);
  assert.equal(readCookie(undefined, CART_COOKIE), null);
});
