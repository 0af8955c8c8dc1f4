import { customerHabits, habitItems } from '../../recs/habits.js';
import type { OfferKind } from '../kind.js';
import { itemsById } from '../items.js';

/**
 * O5 for an existing customer (R6): their own habit ("you usually get Y with this") or a reorder due by their
 * own interval, competing with the rest on expected value: like a cross-sell, only the uplift of being reminded
 * counts (economics.crossSellUplift), as the customer would mostly buy it anyway.
 */
export const habits: OfferKind = {
  types: ['reorder', 'habit'],
  reasonCodes: ['REORDER_DUE', 'HABIT'],
  candidates(k) {
    const { ctx } = k;
    if (!ctx.history?.length || ctx.today == null || ctx.page === 'thankyou' || ctx.page === 'checkout')
      return [];
    const byId = itemsById(k.model);
    const own = habitItems(customerHabits(ctx.history, k.cartIds, ctx.today), (id) => byId.get(id)).filter(
      (h) => h.priceMinor != null,
    )[0];
    if (!own) return [];
    const title = own.title ?? own.id;
    const reorder = own.kind === 'reorder';
    const type = reorder ? 'reorder' : 'habit';
    const fields = { product: title, productId: own.id, priceMinor: own.priceMinor! };
    return [
      {
        id: `${own.kind}:${own.id}`,
        type,
        text: k.text(type, fields),
        fields,
        items: [k.item(own.id)],
        actions: { accept: 'add_to_cart', decline: 'dismiss' },
        // A customer who buys it regularly would mostly buy it anyway: the reminder is worth the uplift only.
        expectedProfitMinor:
          own.probability * k.config.economics.crossSellUplift * k.margin(own.id, own.priceMinor!) - k.risk,
        marginBasis: k.marginBasis([own.id]),
        reasonCode: reorder ? 'REORDER_DUE' : 'HABIT',
        reason: own.reason,
      },
    ];
  },
};
