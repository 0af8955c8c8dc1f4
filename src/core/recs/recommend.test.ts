import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeBaskets } from './baskets.js';
import { buildModel, type ItemMeta } from './model.js';
import { recommend } from './recommend.js';

const meta = (
  id: string,
  category: string,
  family: string | null,
  price: number,
  cost: number,
): ItemMeta => ({ id, title: id, category, family, priceMinor: price, costMinor: cost });
const CATALOG = new Map<string, ItemMeta>([
  ['maker', meta('maker', 'machines', 'maker', 4900, 3200)],
  ['maker-pro', meta('maker-pro', 'machines', 'maker', 8900, 5200)],
  ['espresso', meta('espresso', 'machines', null, 19900, 14000)],
  ['filters', meta('filters', 'filters', null, 450, 100)],
  ['beans', meta('beans', 'beans', null, 1400, 700)],
  ['mug', meta('mug', 'mugs', null, 1200, 400)],
  ['descaler', meta('descaler', 'care', null, 900, 250)],
  ['tea', meta('tea', 'tea', null, 1100, 450)],
]);

function model() {
  const baskets: string[][] = [];
  for (let i = 0; i < 60; i++)
    baskets.push(['maker', 'filters', ...(i % 2 ? ['beans'] : []), ...(i % 5 === 0 ? ['mug'] : [])]);
  for (let i = 0; i < 20; i++) baskets.push(['maker-pro', 'beans', ...(i % 3 ? ['descaler'] : [])]);
  for (let i = 0; i < 200; i++) baskets.push(['tea', ...(i % 4 ? [] : ['mug'])]);
  baskets.push(['espresso', 'tea']);
  return buildModel(
    encodeBaskets(baskets),
    CATALOG,
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 3, topK: 20 },
    { version: 1, createdAt: 't', currency: 'USD' },
  );
}

test('cross-sell is cart-aware and leaves out the cart and its substitutes', () => {
  const r = recommend(model(), { cart: ['maker'], page: 'cart', k: 3 });
  const ids = r.items.map((i) => i.id);
  assert.equal(ids[0], 'filters');
  assert.ok(!ids.includes('maker') && !ids.includes('maker-pro') && !ids.includes('espresso'), ids.join());
  for (const it of r.items) {
    assert.ok(it.reason.length > 0);
    assert.ok(it.expectedValueMinor != null && it.expectedValueMinor >= 0);
  }
  // Filters: 60 of the maker's 60 orders → a high chance, margin 350 → EV close to 350.
  assert.ok(r.items[0]!.probability > 0.8 && r.items[0]!.expectedValueMinor! > 280);
  // Tea sells most, but not with coffee makers: the cart outranks popularity.
  assert.ok(ids.indexOf('tea') === -1 || ids.indexOf('tea') > ids.indexOf('beans'));
});

test('upsell, fillers and post-purchase keep to their bounds', () => {
  const m = model();
  const up = recommend(m, { cart: ['maker'], page: 'product', k: 6 }).items.filter(
    (i) => i.kind === 'upsell',
  );
  assert.deepEqual(
    up.map((i) => i.id),
    ['maker-pro'],
  );
  assert.match(up[0]!.reason, /same family as maker, 82% dearer/);
  const fill = recommend(m, { cart: ['maker'], page: 'checkout', k: 3, gapMinor: 800 }).items;
  assert.ok(fill.length > 0);
  for (const f of fill)
    assert.ok(
      f.kind === 'filler' && f.priceMinor! >= 800 && f.priceMinor! <= 1600,
      `${f.id} ${f.priceMinor}`,
    );
  const post = recommend(m, { cart: ['maker-pro'], page: 'thankyou', k: 3, orderValueMinor: 8900 }).items;
  for (const p of post)
    assert.ok(p.priceMinor! >= 8900 * 0.125 && p.priceMinor! <= 8900 * 0.25, `${p.id} ${p.priceMinor}`);
  assert.ok(post.some((p) => p.id === 'beans'));
});

test('bad input gets a sensible answer, never a crash', () => {
  const m = model();
  const unknown = recommend(m, { cart: ['nope', 'maker'], page: 'cart', k: 3 });
  assert.match(unknown.notes[0]!, /unknown product nope/);
  assert.equal(unknown.items[0]!.id, 'filters');
  const empty = recommend(m, { cart: [], page: 'cart', k: 3 });
  assert.equal(empty.items[0]!.id, 'tea');
  assert.equal(empty.items[0]!.kind, 'popular');
  const none = recommend(m, { cart: [], page: 'checkout', k: 3 });
  assert.equal(none.items.length, 0);
  assert.match(none.notes.join(' '), /only free-shipping fillers/);
});

test('a product with too little history falls back to co-bought categories, then to what sells most', () => {
  const catalog = new Map<string, ItemMeta>([
    ...CATALOG,
    ['new-grinder', meta('new-grinder', 'machines', null, 5900, 3000)],
  ]);
  const baskets: string[][] = [['new-grinder']];
  for (let i = 0; i < 40; i++) baskets.push(['maker', 'filters'], ['espresso', 'beans'], ['tea']);
  const m = buildModel(
    encodeBaskets(baskets),
    catalog,
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 20 },
    { version: 1, createdAt: 't', currency: 'USD' },
  );
  const r = recommend(m, { cart: ['new-grinder'], page: 'cart', k: 3 });
  assert.equal(r.items[0]!.kind, 'category');
  assert.match(r.items[0]!.reason, /shoppers of machines also buy (filters|beans)/);
  assert.ok(['filters', 'beans'].includes(r.items[0]!.id));
});

test('reasons state amounts in the model currency: yen have no minor unit, dollars have two', () => {
  const yen = { ...model(), currency: 'JPY' };
  const f = recommend(yen, { cart: ['maker'], page: 'checkout', k: 3, gapMinor: 400 });
  assert.ok(f.items.length > 0);
  assert.match(f.items[0]!.reason, /closes the ¥400 gap to free shipping/);
  assert.match(
    recommend(model(), { cart: ['maker'], page: 'checkout', k: 3, gapMinor: 400 }).items[0]!.reason,
    /closes the \$4\.00 gap/,
  );
});
