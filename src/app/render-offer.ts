import { decide, experimentsOf } from '../core/offers/decide.js';
import { type OfferConfig, withKeys } from '../core/offers/config.js';
import type { Offer } from '../core/offers/types.js';
import type { CartLine } from '../core/offers/types.js';
import { LeversError } from '../core/errors.js';
import { itemsById } from '../core/offers/items.js';
import type { RecsModel } from '../core/recs/model.js';
import { type OfferEmail, offerEmail } from '../render/offer-email.js';

import { EMAIL_PURPOSES, type EmailPurpose } from './email-purposes.js';

export { EMAIL_PURPOSES, type EmailPurpose };

export interface RenderOfferOptions {
  purposes: readonly EmailPurpose[];
  /** Product ids (quantity 1 each, or id*n), priced from the snapshot. */
  cart: readonly string[];
  /** The unit the holdout is decided for: the customer, else this id. */
  customer?: string;
  sessionId: string;
  locale?: string;
  link: string;
}

export interface RenderedOffer {
  purpose: EmailPurpose;
  /** The decision's code: OFFERS, or why there is none (HOLDOUT, NONE_APPLIES, ALL_REFUSED). */
  reasonCode: string;
  reason: string;
  offer: Offer | null;
  email: OfferEmail | null;
}

/**
 * The post-purchase and cart-recovery offers for a cart, as emails for the operator's mailer: the same decide()
 * the storefront asks (the thank-you page; a shopper leaving the cart), so a unit in the holdout gets no offer
 * in its mail either.
 */
export function renderOfferEmails(
  model: RecsModel,
  config: OfferConfig,
  o: RenderOfferOptions,
): RenderedOffer[] {
  const byId = itemsById(model);
  const cart: CartLine[] = o.cart.map((x) => {
    const [id, n] = x.split('*');
    const it = byId.get(id!);
    if (!it || it.priceMinor == null)
      throw new LeversError('INVALID_OPTION', {
        option: 'cart',
        detail: `${id} is not a product of the model snapshot with a price`,
      });
    return { productId: id!, quantity: n ? Number(n) : 1, unitPriceMinor: it.priceMinor };
  });
  const locale = o.locale ?? config.locale;
  return o.purposes.map((purpose) => {
    const ctx = {
      sessionId: o.sessionId,
      cart,
      ...(o.customer ? { customer: { id: o.customer } } : {}),
      ...(purpose === 'post-purchase'
        ? { page: 'thankyou' as const }
        : { page: 'cart' as const, exiting: true }),
    };
    // Only this purpose's offer goes in the mail, so it may stand behind others a page would show first.
    const d = decide(model, withKeys(config, { maxOffersPerDecision: 5 }), ctx);
    // The texts of the unit's experiment variants, as on the site.
    const texts = d.assignment.inHoldout ? config : experimentsOf(config, ctx).config;
    const offer = d.offers.find((x) => x.type === purpose) ?? null;
    return {
      purpose,
      reasonCode: offer ? 'OFFERS' : d.reasonCode === 'OFFERS' ? 'NONE_APPLIES' : d.reasonCode,
      reason: offer
        ? offer.reason
        : d.reasonCode === 'OFFERS'
          ? `no ${purpose} offer for this cart`
          : d.reason,
      offer,
      email: offer
        ? offerEmail(
            purpose,
            offer,
            { locale, currency: config.currency, overrides: texts.templates },
            o.link,
          )
        : null,
    };
  });
}
