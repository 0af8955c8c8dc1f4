import { idsKey, ModelMemo } from '../../recs/memo.js';
import { type RecItem, recommend, type RecKind } from '../../recs/recommend.js';
import type { OfferKind } from '../kind.js';

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

/** Why the recommender chose the item, as a code. */
const CODE_OF: Partial<Record<RecKind, string>> = {
  'cross-sell': 'BOUGHT_TOGETHER',
  category: 'CATEGORY_FALLBACK',
  popular: 'POPULAR_FALLBACK',
};

const top = new ModelMemo<{ item: RecItem | undefined }>();

/**
 * R2 as an offer: the one item most likely to join this cart (the product in view counts with the cart on a
 * product page); for a shopper leaving, the same as cart recovery (O7) with at most one add-on.
 *
 * Its value is incremental: a shopper who would add the item anyway (probability p, from the baskets) gains the
 * store nothing by being shown it; showing it raises that chance to p × (1 + economics.crossSellUplift), so the
 * expected profit is p × uplift × margin − the conversion risk. A fallback (category or popular) has no evidence
 * that this cart leads to the item: it is refused, never valued.
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
    // The recommendation depends on the products and the page only: carts whose prices or quantities change
    // ask the model once.
    const r = top.get(k.model, `${ctx.page}|${idsKey(basis)}`, () => ({
      item: recommend(k.model, { cart: basis, page: ctx.page, k: 1 }).items[0],
    })).item;
    if (!r) return [];
    const type = ctx.exiting ? 'cart-recovery' : 'cross-sell';
    const title = r.title ?? r.id;
    const evidence = r.kind === 'cross-sell';
    const p = evidence ? r.probability : 0;
    const shown = Math.min(1, p * (1 + k.config.economics.crossSellUplift));
    const margin = r.priceMinor != null ? k.margin(r.id, r.priceMinor) : 0;
    const fields = {
      product: title,
      productId: r.id,
      ...(r.priceMinor != null ? { priceMinor: r.priceMinor } : {}),
    };
    return [
      {
        id: `${type}:${r.id}`,
        type,
        text: k.text(type, fields),
        fields,
        items: [k.item(r.id)],
        actions: { accept: 'add_to_cart', decline: 'dismiss' },
        expectedProfitMinor: (shown - p) * margin - k.risk,
        reasonCode: CODE_OF[r.kind] ?? 'BOUGHT_TOGETHER',
        reason: evidence
          ? `${r.reason}; added unprompted in ${pct(p)} of such carts, ${pct(shown)} assumed when shown`
          : r.reason,
        marginBasis: k.marginBasis([r.id]),
        ...(evidence ? {} : { noEvidence: true }),
      },
    ];
  },
};
