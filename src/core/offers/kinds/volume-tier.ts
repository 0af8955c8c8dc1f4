import { z } from 'zod';
import type { OfferKind } from '../kind.js';
import { RESPONSE } from '../response.js';

export const VolumeTiersSchema = z
  .array(z.strictObject({ minQuantity: z.number().int().min(2), percentOff: z.number().gt(0).max(90) }))
  .default([]);
export type VolumeTiers = z.infer<typeof VolumeTiersSchema>;

/** Tiers by minimum quantity, sorted once per configuration (a stable sort, as it was per request). */
const sorted = new WeakMap<VolumeTiers, VolumeTiers>();
function ascending(tiers: VolumeTiers): VolumeTiers {
  let s = sorted.get(tiers);
  if (!s) sorted.set(tiers, (s = [...tiers].sort((x, y) => x.minQuantity - y.minQuantity)));
  return s;
}

/** O3: "Buy 2, save 10%: add one more", when the next tier is one unit away. */
export const volumeTier: OfferKind<VolumeTiers> = {
  types: ['volume-tier'],
  reasonCodes: ['VOLUME_TIER_ONE_AWAY'],
  config: {
    key: 'volumeTiers',
    schema: VolumeTiersSchema,
    // The same ceiling as bundles: no tier may give more than the store allows (docs/configuration.md).
    check: (tiers, whole) => {
      const i = tiers.findIndex((t) => t.percentOff > whole.discountLimits.maxPercentOff);
      return i < 0
        ? null
        : {
            path: `volumeTiers.${i}.percentOff`,
            problem:
              `${tiers[i]!.percentOff}% is above discountLimits.maxPercentOff ` +
              `(${whole.discountLimits.maxPercentOff}%)`,
          };
    },
  },
  candidates(k) {
    if (k.ctx.page === 'thankyou') return [];
    const tiers = ascending(k.config.volumeTiers);
    const out = [];
    for (const line of k.ctx.cart) {
      const tier = tiers.find((t) => t.minQuantity > line.quantity);
      if (!tier || tier.minQuantity - line.quantity > 1) continue;
      const m = k.margin(line.productId, line.unitPriceMinor);
      // One more unit adds its margin, but the tier's discount then applies to every unit, the ones the shopper
      // was buying anyway included.
      const ev =
        RESPONSE.volumeTake *
          (m * (tier.minQuantity - line.quantity) -
            (tier.percentOff / 100) * line.unitPriceMinor * tier.minQuantity) -
        k.risk;
      const fields = {
        quantity: tier.minQuantity,
        percentOff: tier.percentOff,
        product: k.item(line.productId).title ?? line.productId,
        productId: line.productId,
        inCart: line.quantity,
      };
      out.push({
        id: `volume-tier:${line.productId}:${tier.minQuantity}`,
        type: 'volume-tier',
        text: k.text('volume-tier', fields),
        fields,
        items: [k.item(line.productId)],
        actions: { accept: 'add_to_cart' as const, decline: 'dismiss' as const },
        expectedProfitMinor: ev,
        percentOff: tier.percentOff,
        reasonCode: 'VOLUME_TIER_ONE_AWAY',
        reason: `${line.quantity} in the cart, the ${tier.minQuantity}+ tier is one away`,
        marginBasis: k.marginBasis([line.productId]),
      });
    }
    return out;
  },
};
