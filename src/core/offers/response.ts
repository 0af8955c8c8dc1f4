import type { Page } from '../recs/recommend.js';

/** Shopper response assumptions (the same as the report's M12 estimate states). */
export const RESPONSE = {
  bridgeAtThreshold: 0.45,
  band: 0.5,
  abandonWhenCharged: 0.22,
  volumeTake: 0.15,
  bundleTake: 0.2,
  loyaltyTake: 0.2,
};

/** Chance an offer distracts from the purchase, by page: the conversion it can cost. */
export const DISTRACTION: Record<Page, number> = {
  product: 0.002,
  cart: 0.004,
  checkout: 0.015,
  thankyou: 0,
};

/**
 * O8: the share of shoppers shown a better model of what they chose who take it (an assumption, stated like
 * the others; an experiment measures it).
 */
export const UPSELL_TAKE = 0.1;
