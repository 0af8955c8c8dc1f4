import type { Trigger } from './schema.js';

/**
 * O8: the chat's flows as data. Each says which offer types of decide() it speaks for, at which moments, in
 * which order it is tried (first match leads), and which quick replies it offers. The texts are the offer
 * types' chat templates (src/core/offers/templates/catalogue.ts), so an operator rewords a flow in the
 * configuration, not here. The guided bundle (routine) is declared by the operator in offers.routines.
 */
export interface Flow {
  id: string;
  /** What it is for, in words (docs and the dashboard). */
  about: string;
  offerTypes: readonly string[];
  triggers: readonly Trigger[];
  /** Quick replies per suggestion; "no thanks" is always offered once. */
  replies: readonly ('add' | 'more')[];
}

export const FLOWS: readonly Flow[] = [
  {
    id: 'post-purchase',
    about: 'after the order: one add-on priced well below it, added to the order just placed',
    offerTypes: ['post-purchase'],
    triggers: ['order_placed'],
    replies: ['add', 'more'],
  },
  {
    id: 'upsell',
    about: 'the better model of what was just added, with the price difference and one reason',
    offerTypes: ['upsell'],
    triggers: ['added_to_cart', 'idle_on_product'],
    replies: ['add', 'more'],
  },
  {
    id: 'reorder',
    about: "a returning customer's own habit or restock, by their own interval",
    offerTypes: ['reorder', 'habit'],
    triggers: ['added_to_cart', 'idle_on_product', 'shopper_asked'],
    replies: ['add', 'more'],
  },
  {
    id: 'free-shipping',
    about: 'the gap to free shipping, with fillers sized to it',
    offerTypes: ['free-shipping-progress'],
    triggers: ['added_to_cart', 'exit_intent', 'shopper_asked'],
    replies: ['add', 'more'],
  },
  {
    id: 'cart-recovery',
    about: 'a shopper leaving: the cart is saved, with at most one add-on',
    offerTypes: ['cart-recovery'],
    triggers: ['exit_intent'],
    replies: ['add', 'more'],
  },
  {
    id: 'cross-sell',
    about: 'what is bought with the cart: a complement, a set to complete, one more for the volume tier',
    offerTypes: ['cross-sell', 'bundle', 'volume-tier'],
    triggers: ['added_to_cart', 'idle_on_product', 'shopper_asked'],
    replies: ['add', 'more'],
  },
  {
    id: 'loyalty',
    about: 'the next loyalty tier, when near',
    offerTypes: ['loyalty-proximity'],
    triggers: ['added_to_cart', 'shopper_asked'],
    replies: ['more'],
  },
];

/** The flow that speaks for an offer type at this moment; null when none does (segment messages, or the wrong moment). */
export function flowOf(type: string, trigger: Trigger, flows: readonly Flow[] = FLOWS): Flow | null {
  return flows.find((f) => f.offerTypes.includes(type) && f.triggers.includes(trigger)) ?? null;
}
