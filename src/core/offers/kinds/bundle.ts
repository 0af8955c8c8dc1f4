import { z } from 'zod';
import type { OfferKind } from '../kind.js';
import { RESPONSE } from '../response.js';

export const BundlesSchema = z
  .array(
    z.strictObject({
      id: z.string().min(1),
      title: z.string().min(1),
      items: z.array(z.string().min(1)).min(2),
      percentOff: z.number().min(0).max(90),
    }),
  )
  .default([]);
export type Bundles = z.infer<typeof BundlesSchema>;

/**
 * O4: "Complete the set", when part of a configured bundle is in the cart. Incremental value: with p the chance
 * the missing items join the cart anyway (their baseline chances multiplied) and t the take rate among the rest,
 * (1 − p) × t × (margin of the missing items − the set's discount) − p × the set's discount (given to buyers who
 * would have paid full price) − the conversion risk.
 */
export const bundle: OfferKind<Bundles> = {
  types: ['bundle'],
  reasonCodes: ['BUNDLE_PARTLY_IN_CART'],
  config: {
    key: 'bundles',
    schema: BundlesSchema,
    check: (bundles, whole) => {
      const i = bundles.findIndex((b) => b.percentOff > whole.discountLimits.maxPercentOff);
      return i < 0
        ? null
        : {
            path: `bundles.${i}.percentOff`,
            problem:
              `${bundles[i]!.percentOff}% is above discountLimits.maxPercentOff ` +
              `(${whole.discountLimits.maxPercentOff}%)`,
          };
    },
  },
  candidates(k) {
    if (k.ctx.page === 'thankyou') return [];
    const out = [];
    for (const b of k.config.bundles) {
      const have = b.items.filter((id) => k.cartIds.includes(id));
      const missing = b.items.filter((id) => !k.cartIds.includes(id));
      if (!have.length || !missing.length) continue;
      const price = (id: string) => k.price(id) ?? 0;
      const full = b.items.reduce((s, id) => s + price(id), 0);
      const discount = (b.percentOff / 100) * full;
      const anyway = missing.reduce((q, id) => q * k.baseline(id).probability, 1);
      const gain = missing.reduce((s, id) => s + k.margin(id, price(id)), 0) - discount;
      const ev = (1 - anyway) * RESPONSE.bundleTake * gain - anyway * discount - k.risk;
      const fields = {
        bundle: b.title,
        bundleId: b.id,
        percentOff: b.percentOff,
        savingMinor: Math.round(discount),
        totalMinor: full - Math.round(discount),
        missing: missing.map((id) => k.item(id).title ?? id).join(', '),
      };
      out.push({
        id: `bundle:${b.id}`,
        type: 'bundle',
        text: k.text('bundle', fields),
        fields,
        items: missing.map((id) => k.item(id)),
        actions: { accept: 'add_to_cart' as const, decline: 'dismiss' as const },
        expectedProfitMinor: ev,
        percentOff: b.percentOff,
        reasonCode: 'BUNDLE_PARTLY_IN_CART',
        reason:
          `${have.length} of ${b.items.length} items of ${b.title} in the cart; the rest joins such carts ` +
          `unprompted in ${(anyway * 100).toFixed(1)}%`,
        marginBasis: k.marginBasis(b.items),
      });
    }
    return out;
  },
};
