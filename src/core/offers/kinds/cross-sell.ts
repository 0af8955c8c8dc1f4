import { recommend, type RecKind } from '../../recs/recommend.js';
import type { OfferKind } from '../kind.js';

/** Why the recommender chose the item, as a code. */
const CODE_OF: Partial<Record<RecKind, string>> = {
  'cross-sell': 'BOUGHT_TOGETHER',
  category: 'CATEGORY_FALLBACK',
  popular: 'POPULAR_FALLBACK',
};

/**
 * R2 as an offer: the one item most likely to join this cart (the product in view counts with the cart on a
 * product page); for a shopper leaving, the same as cart recovery (O7) with at most one add-on.
 */
export const crossSell: OfferKind = {
  types: ['cross-sell', 'cart-recovery'],
  reasonCodes: ['BOUGHT_TOGETHER', 'CATEGORY_FALLBACK', 'POPULAR_FALLBACK'],
  candidates(k) {
    const { ctx } = k;
    if (ctx.page === 'thankyou' || ctx.page === 'checkout' || !(k.cartIds.length || ctx.productId)) return [];
    const basis =
      ctx.page === 'product' && ctx.productId && !k.cartIds.includes(ctx.productId)
        ? [...k.cartIds, ctx.productId]
        : k.cartIds;
    const r = recommend(k.model, { cart: basis, page: ctx.page, k: 1 }).items[0];
    if (!r) return [];
    const type = ctx.exiting ? 'cart-recovery' : 'cross-sell';
    const title = r.title ?? r.id;
    return [
      {
        id: `${type}:${r.id}`,
        type,
        text: ctx.exiting
          ? `Your cart is saved. Pair it with ${title}?`
          : `Goes well with your cart: ${title}`,
        items: [k.item(r.id)],
        actions: { accept: 'add_to_cart', decline: 'dismiss' },
        expectedProfitMinor: (r.expectedValueMinor ?? 0) - k.risk,
        reasonCode: CODE_OF[r.kind] ?? 'BOUGHT_TOGETHER',
        reason: r.reason,
      },
    ];
  },
};
