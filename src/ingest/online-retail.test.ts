import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lineTypeOf } from './online-retail.js';

test('non-product stock codes are fees, shipping, discounts or adjustments', () => {
  assert.equal(lineTypeOf('POST', 1, 1800, false), 'shipping');
  assert.equal(lineTypeOf('DOT', 1, 50000, false), 'shipping');
  assert.equal(lineTypeOf('BANK CHARGES', 1, 15, false), 'fee');
  assert.equal(lineTypeOf('AMAZONFEE', -1, 500000, true), 'fee');
  assert.equal(lineTypeOf('D', -1, 2000, true), 'discount');
  assert.equal(lineTypeOf('M', 1, 100, false), 'adjustment');
  assert.equal(lineTypeOf('m', 1, 100, false), 'adjustment');
  assert.equal(lineTypeOf('gift_0001_20', 1, 1700, false), 'adjustment');
});

test('ordinary stock codes are products; zero-priced write-offs are not sales', () => {
  assert.equal(lineTypeOf('85123A', 6, 255, false), 'product');
  assert.equal(lineTypeOf('85123A', -6, 255, true), 'product');
  assert.equal(lineTypeOf('21275', -10, 0, false), 'adjustment');
  assert.equal(lineTypeOf('PADS', 1, 0, false), 'product');
});
