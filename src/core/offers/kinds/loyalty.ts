import { z } from 'zod';
import type { OfferKind } from '../kind.js';
import { RESPONSE } from '../response.js';

export const LoyaltySchema = z
  .strictObject({
    tiers: z
      .array(
        z.strictObject({
          name: z.string().min(1),
          minSpendMinor: z
            .number()
            .int('must be a whole number of minor units (cents)')
            .nonnegative('must not be negative'),
        }),
      )
      .min(1),
    proximityBand: z
      .number()
      .min(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .default(0.25),
  })
  .optional();
export type Loyalty = z.infer<typeof LoyaltySchema>;

/** O2: "Add $18 to unlock Gold", only within a band of the next tier. */
export const loyaltyProximity: OfferKind<Loyalty> = {
  types: ['loyalty-proximity'],
  reasonCodes: ['LOYALTY_TIER_NEAR'],
  config: { key: 'loyalty', schema: LoyaltySchema },
  candidates(k) {
    const loyalty = k.config.loyalty;
    const spendBefore = k.ctx.customer?.spendMinor;
    if (!loyalty || spendBefore == null || k.ctx.page === 'thankyou') return [];
    const spend = spendBefore + k.subtotal;
    const next = [...loyalty.tiers]
      .sort((x, y) => x.minSpendMinor - y.minSpendMinor)
      .find((t) => t.minSpendMinor > spend);
    if (!next || next.minSpendMinor - spend > loyalty.proximityBand * next.minSpendMinor) return [];
    const need = next.minSpendMinor - spend;
    const ev = RESPONSE.loyaltyTake * need * (k.cartMargin / Math.max(1, k.subtotal)) - k.risk;
    const fields = { amountMinor: need, tier: next.name, spendMinor: spend, targetMinor: next.minSpendMinor };
    return [
      {
        id: `loyalty-proximity:${next.name}`,
        type: 'loyalty-proximity',
        text: k.text('loyalty-proximity', fields),
        fields,
        items: [],
        actions: { accept: 'browse', decline: 'dismiss' },
        expectedProfitMinor: ev,
        reasonCode: 'LOYALTY_TIER_NEAR',
        reason:
          `${k.money(need)} from ${next.name}, within the ` +
          `${Math.round(loyalty.proximityBand * 100)}% band`,
        marginBasis: k.marginBasis(k.cartIds),
        progress: { currentMinor: spend, targetMinor: next.minSpendMinor, goal: next.name },
      },
    ];
  },
};
