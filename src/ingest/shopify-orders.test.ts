import assert from 'node:assert/strict';
import { test } from 'node:test';
import { merchandiseRefund } from './shopify-orders.js';

test("refunds keep only the merchandise share of Shopify's refunded amount", () => {
  assert.equal(merchandiseRefund('refunded', 9990, 11888, 11888), 9990);
  assert.equal(merchandiseRefund('partially_refunded', 6000, 3000, 6000), 3000);
  assert.equal(merchandiseRefund('partially_refunded', 10000, 5400, 10800), 5000);
  assert.equal(merchandiseRefund('partially_refunded', 1000, 5000, null), 1000);
  assert.equal(merchandiseRefund('paid', 1000, 0, 1000), 0);
});
