import type { ProductRow } from '../core/model/rows.js';

/** A simulated product: prices in cents, popularity within its category, whether it is bought in quantity. */
export interface SimProduct {
  id: string;
  title: string;
  category: string;
  family: string | null;
  premium: boolean;
  price: number;
  cost: number;
  popularity: number;
  consumable: boolean;
  /** Cheap, high-margin item a shopper adds to reach free shipping. */
  filler: boolean;
}

type Def = [
  id: string,
  title: string,
  category: string,
  family: string | null,
  premium: boolean,
  price: number,
  margin: number,
  popularity: number,
  consumable?: boolean,
  filler?: boolean,
];

const DEFS: Def[] = [
  ['cm-basic', 'Drip Coffee Maker', 'coffee/machines', 'drip-coffee-maker', false, 4900, 0.35, 5],
  ['cm-pro', 'Drip Coffee Maker Pro', 'coffee/machines', 'drip-coffee-maker', true, 8900, 0.42, 2],
  ['esp-basic', 'Espresso Machine', 'coffee/machines', 'espresso-machine', false, 19900, 0.3, 2],
  ['esp-pro', 'Espresso Machine Pro', 'coffee/machines', 'espresso-machine', true, 34900, 0.36, 1],
  ['pod-machine', 'Pod Coffee Machine', 'coffee/machines', null, false, 7900, 0.3, 3],
  ['pods-12', 'Coffee Pods 12-pack', 'coffee/pods', 'coffee-pods', false, 900, 0.55, 6, true, true],
  ['pods-36', 'Coffee Pods 36-pack', 'coffee/pods', 'coffee-pods', true, 2400, 0.58, 3, true],
  ['filters-100', 'Paper Filters (100)', 'coffee/filters', null, false, 450, 0.7, 5, true, true],
  ['filter-perm', 'Permanent Gold Filter', 'coffee/filters', null, false, 1200, 0.65, 2, false, true],
  ['beans-house', 'House Blend Beans 1 lb', 'coffee/beans', 'beans', false, 1400, 0.5, 7, true, true],
  ['beans-origin', 'Single-Origin Beans 1 lb', 'coffee/beans', 'beans', true, 1900, 0.52, 4, true],
  ['descaler', 'Descaling Solution', 'coffee/accessories', null, false, 900, 0.72, 3, true, true],
  ['frother', 'Milk Frother', 'coffee/accessories', null, false, 2900, 0.5, 2],
  ['grinder', 'Burr Grinder', 'coffee/accessories', 'grinder', false, 5900, 0.38, 2],
  ['grinder-pro', 'Burr Grinder Pro', 'coffee/accessories', 'grinder', true, 12900, 0.4, 1],
  ['mug', 'Ceramic Mug', 'kitchen/mugs', null, false, 1200, 0.68, 5, false, true],
  ['travel-mug', 'Insulated Travel Mug', 'kitchen/mugs', null, false, 2400, 0.6, 3],
  ['kettle', 'Electric Kettle', 'tea/kettles', 'kettle', false, 3900, 0.4, 3],
  ['kettle-pro', 'Gooseneck Kettle Pro', 'tea/kettles', 'kettle', true, 6900, 0.44, 1],
  ['tea', 'Loose-Leaf Tea 100 g', 'tea/leaves', null, false, 1100, 0.6, 5, true, true],
  ['infuser', 'Tea Infuser', 'tea/accessories', null, false, 700, 0.75, 3, false, true],
  ['cream-am', 'Morning Cream', 'skincare/creams', 'morning-cream', false, 2800, 0.62, 5],
  ['cream-am-plus', 'Morning Cream Premium', 'skincare/creams', 'morning-cream', true, 4800, 0.66, 2],
  ['cream-pm', 'Night Cream', 'skincare/creams', 'night-cream', false, 3200, 0.62, 4],
  ['cream-pm-plus', 'Night Cream Premium', 'skincare/creams', 'night-cream', true, 5500, 0.66, 2],
  ['cleanser', 'Gentle Cleanser', 'skincare/cleansers', null, false, 1600, 0.65, 4, true, true],
  ['serum', 'Vitamin C Serum', 'skincare/serums', null, false, 3900, 0.68, 3],
  ['yoga-mat', 'Yoga Mat', 'fitness/mats', 'yoga-mat', false, 3500, 0.5, 4],
  ['yoga-mat-pro', 'Yoga Mat Pro', 'fitness/mats', 'yoga-mat', true, 7900, 0.55, 1],
  ['yoga-blocks', 'Yoga Blocks (pair)', 'fitness/accessories', null, false, 1800, 0.6, 3],
  ['yoga-strap', 'Yoga Strap', 'fitness/accessories', null, false, 900, 0.7, 3, false, true],
  ['bottle', 'Water Bottle', 'fitness/accessories', null, false, 1900, 0.6, 4],
  ['candle', 'Scented Candle', 'home/fragrance', null, false, 1400, 0.65, 4, false, true],
  ['diffuser', 'Aroma Diffuser', 'home/fragrance', 'diffuser', false, 2900, 0.5, 3],
  ['oils', 'Essential Oils Set', 'home/fragrance', null, false, 1200, 0.66, 3, true, true],
];

export const PRODUCTS: readonly SimProduct[] = DEFS.map(
  ([id, title, category, family, premium, price, margin, popularity, consumable, filler]) => ({
    id,
    title,
    category,
    family,
    premium,
    price,
    cost: Math.round(price * (1 - margin)),
    popularity,
    consumable: consumable ?? false,
    filler: filler ?? false,
  }),
);

/**
 * Directed complementarity: having the key in the cart makes each listed item likelier (weight =
 * probability).
 */
export const COMPLEMENTS: Record<string, [string, number][]> = {
  'cm-basic': [
    ['filters-100', 0.5],
    ['beans-house', 0.4],
    ['mug', 0.2],
    ['descaler', 0.15],
  ],
  'cm-pro': [
    ['filter-perm', 0.45],
    ['beans-origin', 0.45],
    ['mug', 0.2],
    ['descaler', 0.2],
  ],
  'esp-basic': [
    ['beans-house', 0.5],
    ['frother', 0.3],
    ['descaler', 0.3],
    ['grinder', 0.15],
  ],
  'esp-pro': [
    ['beans-origin', 0.55],
    ['frother', 0.35],
    ['descaler', 0.3],
    ['grinder-pro', 0.2],
  ],
  'pod-machine': [
    ['pods-12', 0.6],
    ['pods-36', 0.3],
    ['descaler', 0.2],
    ['travel-mug', 0.15],
  ],
  grinder: [
    ['beans-house', 0.5],
    ['beans-origin', 0.2],
  ],
  'grinder-pro': [['beans-origin', 0.6]],
  'beans-house': [
    ['filters-100', 0.2],
    ['mug', 0.1],
  ],
  'beans-origin': [
    ['filter-perm', 0.1],
    ['mug', 0.1],
  ],
  kettle: [
    ['tea', 0.5],
    ['infuser', 0.35],
    ['mug', 0.2],
  ],
  'kettle-pro': [
    ['tea', 0.55],
    ['infuser', 0.3],
    ['mug', 0.25],
  ],
  tea: [
    ['infuser', 0.25],
    ['mug', 0.1],
  ],
  'cream-am': [
    ['cream-pm', 0.4],
    ['cleanser', 0.3],
    ['serum', 0.15],
  ],
  'cream-am-plus': [
    ['cream-pm-plus', 0.45],
    ['cleanser', 0.3],
    ['serum', 0.25],
  ],
  'cream-pm': [
    ['cream-am', 0.35],
    ['cleanser', 0.3],
  ],
  'cream-pm-plus': [
    ['cream-am-plus', 0.4],
    ['serum', 0.25],
  ],
  serum: [
    ['cleanser', 0.3],
    ['cream-am', 0.2],
  ],
  'yoga-mat': [
    ['yoga-blocks', 0.4],
    ['yoga-strap', 0.3],
    ['bottle', 0.3],
  ],
  'yoga-mat-pro': [
    ['yoga-blocks', 0.45],
    ['yoga-strap', 0.35],
    ['bottle', 0.3],
  ],
  diffuser: [
    ['oils', 0.6],
    ['candle', 0.2],
  ],
  candle: [['oils', 0.15]],
};

export const CATEGORIES = [...new Set(PRODUCTS.map((p) => p.category.split('/')[0]!))];

export const BY_ID = new Map(PRODUCTS.map((p) => [p.id, p]));

export function productRows(currency: string, stockOf: (p: SimProduct) => number): ProductRow[] {
  return PRODUCTS.map((p) => ({
    product_id: p.id,
    sku: p.id.toUpperCase(),
    title: p.title,
    category: p.category,
    family: p.family,
    price: p.price,
    cost: p.cost,
    currency,
    stock: stockOf(p),
  }));
}
