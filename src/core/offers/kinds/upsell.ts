import { z } from 'zod';
import { upsell as betterModels } from '../../recs/recommend.js';
import type { OfferKind } from '../kind.js';
import { indexOfItem } from '../items.js';
import { UPSELL_TAKE } from '../response.js';

export const UpsellSchema = z
  .strictObject({
    /**
     * The one reason to say per better model, by product id, completing "the Coffee Maker Pro …": e.g.
     * "includes a built-in grinder". A model without one is given the data's reason (how often it is chosen).
     */
    highlights: z.record(z.string().min(1), z.string().min(1).max(200)).default({}),
  })
  .optional();
export type Upsell = z.infer<typeof UpsellSchema>;

/**
 * O8 (R3 as an offer): the better model of something in the cart (same family, 10–100% dearer), with the price
 * difference and one reason. Only when the configuration has an `upsell` section. The shopper chose the cheaper
 * one, so nothing is assumed to move unprompted: the value is UPSELL_TAKE × the margin the better model adds
 * − the conversion risk.
 */
export const upsell: OfferKind<Upsell> = {
  types: ['upsell'],
  reasonCodes: ['BETTER_MODEL'],
  config: { key: 'upsell', schema: UpsellSchema },
  candidates(k) {
    const conf = k.config.upsell;
    if (!conf || (k.ctx.page !== 'product' && k.ctx.page !== 'cart')) return [];
    let best: { ev: number; offer: ReturnType<typeof offerOf> } | null = null;
    for (const line of k.ctx.cart) {
      const i = indexOfItem(k.model, line.productId);
      if (i === undefined) continue;
      const r = betterModels(k.model, [i], 1)[0];
      if (!r || r.priceMinor == null || k.cartIds.includes(r.id)) continue;
      const gain = k.margin(r.id, r.priceMinor) - k.margin(line.productId, line.unitPriceMinor);
      const ev = UPSELL_TAKE * gain * line.quantity - k.risk;
      if (!best || ev > best.ev) best = { ev, offer: offerOf(k, line, r, conf.highlights, ev) };
    }
    return best ? [best.offer] : [];
  },
};

function offerOf(
  k: Parameters<typeof upsell.candidates>[0],
  line: { productId: string; unitPriceMinor: number },
  r: { id: string; title: string | null; priceMinor: number | null; probability: number; reason: string },
  highlights: Record<string, string>,
  ev: number,
) {
  const share = Math.round(r.probability * 100);
  const fields = {
    product: r.title ?? r.id,
    productId: r.id,
    from: k.item(line.productId).title ?? line.productId,
    fromId: line.productId,
    priceMinor: r.priceMinor!,
    differenceMinor: r.priceMinor! - line.unitPriceMinor,
    reason: highlights[r.id] ?? `is the one ${share}% of shoppers choosing between the two take`,
  };
  return {
    id: `upsell:${r.id}`,
    type: 'upsell',
    text: k.text('upsell', fields),
    fields,
    items: [k.item(r.id)],
    actions: { accept: 'add_to_cart' as const, decline: 'dismiss' as const },
    expectedProfitMinor: ev,
    reasonCode: 'BETTER_MODEL',
    reason: `${r.reason}; ${Math.round(UPSELL_TAKE * 100)}% assumed to take it when shown`,
    marginBasis: k.marginBasis([r.id, line.productId]),
  };
}
