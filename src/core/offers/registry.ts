import type { AnyOfferKind } from './kind.js';
import { bundle } from './kinds/bundle.js';
import { crossSell } from './kinds/cross-sell.js';
import { freeShippingProgress } from './kinds/free-shipping.js';
import { habits } from './kinds/habits.js';
import { loyaltyProximity } from './kinds/loyalty.js';
import { postPurchase } from './kinds/post-purchase.js';
import { segmentMessage } from './kinds/segment-message.js';
import { upsell } from './kinds/upsell.js';
import { volumeTier } from './kinds/volume-tier.js';

/**
 * Every offer kind, in the order candidates are gathered (ties in expected profit keep this order). The offer
 * types, the configuration schema, the API's documented lists and the offer metrics all derive from this
 * list.
 */
export const OFFER_KINDS: readonly AnyOfferKind[] = [
  freeShippingProgress,
  loyaltyProximity,
  volumeTier,
  bundle,
  upsell,
  postPurchase,
  crossSell,
  habits,
  segmentMessage,
];

export const offerTypes = (kinds: readonly AnyOfferKind[] = OFFER_KINDS): string[] =>
  kinds.flatMap((k) => [...k.types]);
export const offerReasonCodes = (kinds: readonly AnyOfferKind[] = OFFER_KINDS): string[] => [
  ...new Set(kinds.flatMap((k) => [...k.reasonCodes])),
];

/**
 * The type of an offer from its id (`cross-sell:filters-100` → `cross-sell`); 'other' for an id no kind
 * emits.
 */
export function offerTypeOf(offerId: string, kinds: readonly AnyOfferKind[] = OFFER_KINDS): string {
  const head = offerId.split(':')[0]!;
  return kinds.some((k) => k.types.includes(head)) ? head : 'other';
}
