import assert from 'node:assert/strict';
import { test } from 'node:test';
import { didYouMean, editDistance } from './suggest.js';

test('editDistance counts a swap of neighbours as one edit', () => {
  assert.equal(editDistance('from', 'from'), 0);
  assert.equal(editDistance('form', 'from'), 1);
  assert.equal(editDistance('curency', 'currency'), 1);
  assert.equal(editDistance('', 'abc'), 3);
  assert.equal(editDistance('kitten', 'sitting'), 3);
});

test('didYouMean names the nearest known words, and none for another word', () => {
  const formats = ['orders', 'order-lines', 'online-retail', 'shopify-orders', 'cdnow'];
  assert.equal(didYouMean('onlineretail', formats), ' (did you mean online-retail?)');
  assert.equal(didYouMean('order', formats), ' (did you mean orders?)');
  assert.equal(didYouMean('shopify', formats), '');
  assert.equal(didYouMean('--frob', ['--from', '--to', '--json']), ' (did you mean --from?)');
  assert.equal(didYouMean('--jsn', ['--json', '--jsnx']), ' (did you mean one of --jsnx, --json?)');
  assert.equal(didYouMean('x', ['y']), '');
});
