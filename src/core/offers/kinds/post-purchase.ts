import { postPurchase as complements } from '../../recs/recommend.js';
import type { OfferKind } from '../kind.js';

/**
 * R5 on the thank-you page: a complement of what was just bought, priced in a band of the order; it cannot
 * cost the sale.
 */
export const postPurchase: OfferKind = {
  types: ['post-purchase'],
  reasonCodes: ['POST_PURCHASE_COMPLEMENT'],
  candidates(k) {
    if (k.ctx.page !== 'thankyou') return [];
    return complements(k.model, k.knownCart, k.subtotal, 1).map((r) => {
      const fields = {
        product: r.title ?? r.id,
        productId: r.id,
        ...(r.priceMinor != null ? { priceMinor: r.priceMinor } : {}),
      };
      return {
        id: `post-purchase:${r.id}`,
        type: 'post-purchase',
        text: k.text('post-purchase', fields),
        fields,
        items: [k.item(r.id)],
        actions: { accept: 'add_to_order' as const, decline: 'dismiss' as const },
        // The order is placed: nothing here would be bought anyway, and nothing can be lost.
        expectedProfitMinor: r.priceMinor != null ? r.probability * k.margin(r.id, r.priceMinor) : 0,
        marginBasis: k.marginBasis([r.id]),
        reasonCode: 'POST_PURCHASE_COMPLEMENT',
        reason: r.reason,
      };
    });
  },
};
