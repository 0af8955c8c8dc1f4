import { z } from 'zod';
import { fillers } from '../../recs/recommend.js';
import type { OfferKind } from '../kind.js';
import { RESPONSE } from '../response.js';

const money = z
  .number()
  .int('must be a whole number of minor units (cents)')
  .nonnegative('must not be negative');

export const FreeShippingSchema = z
  .strictObject({
    thresholdMinor: money.positive('must be above 0'),
    shippingFeeMinor: money,
    shippingCostMinor: money.optional(),
    showWithinShare: z
      .number()
      .min(0, 'must be between 0 and 1')
      .max(1, 'must be between 0 and 1')
      .default(0.4),
  })
  .optional();
export type FreeShipping = z.infer<typeof FreeShippingSchema>;

/** O1: "You're $10 away from free shipping", with fillers sized to the gap (R4). */
export const freeShippingProgress: OfferKind<FreeShipping> = {
  types: ['free-shipping-progress'],
  reasonCodes: ['FREE_SHIPPING_GAP'],
  config: { key: 'freeShipping', schema: FreeShippingSchema },
  candidates(k) {
    const fs = k.config.freeShipping;
    if (!fs || k.ctx.page === 'thankyou' || k.subtotal <= 0) return [];
    const gap = fs.thresholdMinor - k.subtotal;
    if (gap <= 0 || gap > fs.showWithinShare * fs.thresholdMinor) return [];
    const f = fillers(k.model, k.knownCart, gap, 2);
    const p = RESPONSE.bridgeAtThreshold * Math.max(0, 1 - gap / (RESPONSE.band * fs.thresholdMinor));
    const fillerMargin = f[0]?.priceMinor != null ? k.margin(f[0].id, f[0].priceMinor) : k.margin('', gap);
    // Bridged: filler margin gained, the fee no longer charged; and the carts that would have been abandoned
    // over shipping.
    const ev =
      p * (fillerMargin - fs.shippingFeeMinor) + p * RESPONSE.abandonWhenCharged * k.cartMargin - k.risk;
    const fields = { gapMinor: gap, thresholdMinor: fs.thresholdMinor, subtotalMinor: k.subtotal };
    return [
      {
        id: 'free-shipping-progress',
        type: 'free-shipping-progress',
        text: k.text('free-shipping-progress', fields),
        fields,
        items: f.map((x) => k.item(x.id)),
        actions: { accept: 'add_to_cart', decline: 'dismiss' },
        expectedProfitMinor: ev,
        reasonCode: 'FREE_SHIPPING_GAP',
        reason:
          `cart ${k.money(k.subtotal)} is ${Math.round((gap / fs.thresholdMinor) * 100)}% short of the ` +
          `${k.money(fs.thresholdMinor)} threshold; ` +
          `${Math.round(p * 100)}% expected to top up`,
        marginBasis: f[0] ? k.marginBasis([f[0].id, ...k.cartIds]) : 'assumed-margin',
        progress: { currentMinor: k.subtotal, targetMinor: fs.thresholdMinor, goal: 'free shipping' },
      },
    ];
  },
};
