import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBaskets } from './baskets.js';
import { buildModel, type ItemMeta } from './model.js';
import { crossSell, recommend } from './recommend.js';

const meta = (id: string, category: string | null, family: string | null): ItemMeta => ({
  id,
  title: id,
  category,
  family,
  priceMinor: 1000,
  costMinor: 500,
});

/** 'left' and 'right' each bought with 'base' equally often: the same chance, a tie. */
function tied(catalog: Map<string, ItemMeta>) {
  const baskets: string[][] = [];
  for (let i = 0; i < 20; i++) baskets.push(['base', 'left'], ['base', 'right'], ['other']);
  return buildModel(
    encodeBaskets(baskets),
    catalog,
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 20 },
    {
      version: 1,
      createdAt: 't',
      currency: 'USD',
    },
  );
}

const CATALOG = new Map(
  ['base', 'left', 'right', 'other'].map((id, i) => [id, meta(id, `c${i}`, null)] as const),
);

test('a tie in the cross-sell top k keeps the order the candidates were pooled in, and k cuts it', () => {
  const m = tied(CATALOG);
  const two = crossSell(m, [0], 2);
  assert.deepEqual(
    two.map((r) => r.id),
    ['left', 'right'],
  );
  assert.equal(two[0]!.score, two[1]!.score);
  assert.deepEqual(
    crossSell(m, [0], 1).map((r) => r.id),
    ['left'],
  );
});

test('a cart holding an item twice answers as with it once; the cart never comes back', () => {
  const m = tied(CATALOG);
  const once = recommend(m, { cart: ['base'], page: 'cart', k: 3 });
  const twice = recommend(m, { cart: ['base', 'base'], page: 'cart', k: 3 });
  assert.deepEqual(
    twice.items.map((r) => r.id),
    once.items.map((r) => r.id),
  );
  assert.ok(!twice.items.some((r) => r.id === 'base'));
});

test('substitutes by family or category are out, an empty family or category is none', () => {
  const catalog = new Map([
    ['base', meta('base', 'shared', '')],
    ['left', meta('left', 'shared', null)],
    ['right', meta('right', '', '')],
    ['other', meta('other', null, null)],
  ]);
  const ids = crossSell(tied(catalog), [0], 3).map((r) => r.id);
  assert.ok(!ids.includes('left'), 'same category as the cart');
  assert.ok(ids.includes('right'), 'an empty category matches nothing');
});

test('one model answers many carts in turn without one call leaking into the next', () => {
  const m = tied(CATALOG);
  const first = recommend(m, { cart: ['base'], page: 'cart', k: 3 });
  for (let i = 0; i < 50; i++)
    recommend(m, { cart: i % 2 ? ['left'] : ['other', 'right'], page: 'cart', k: 2 });
  assert.deepEqual(recommend(m, { cart: ['base'], page: 'cart', k: 3 }), first);
});
