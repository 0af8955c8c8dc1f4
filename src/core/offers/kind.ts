import type { z } from 'zod';
import type { RecsModel } from '../recs/model.js';
import type { OfferConfig } from './config.js';
import type { Fields } from './templates/render.js';
import type { DecideContext, MarginBasis, Offer, OfferItem } from './types.js';

/** What every kind sees of one decision, computed once (the hot path builds no index per kind). */
export interface KindContext {
  model: RecsModel;
  /** The whole offer configuration; each kind reads its own section. */
  config: OfferConfig & Record<string, unknown>;
  ctx: DecideContext;
  currency: string;
  /** Merchandise value of the cart. */
  subtotal: number;
  /** Margin of the cart as it is (product costs, else the assumed margin). */
  cartMargin: number;
  /**
   * Margin a purchase would lose if the offer distracted from it: the conversion risk of showing anything
   * here.
   */
  risk: number;
  /** Product ids in the cart, and those the snapshot knows as item indices. */
  cartIds: string[];
  knownCart: number[];
  /** Margin of one unit at a price: price − cost, else economics.defaultMarginPercent of the price. */
  margin(productId: string, priceMinor: number): number;
  /** product-cost when every one of these products has a cost, else assumed-margin. */
  marginBasis(productIds: readonly string[]): MarginBasis;
  /**
   * The chance the product joins this cart unprompted (shrunk co-purchase estimate from the cart's items), and
   * whether the cart's items had the history to say; without it, the product's share of all baskets.
   */
  baseline(productId: string): { probability: number; evidence: boolean };
  item(productId: string): OfferItem;
  /** The snapshot's price of a product, or null when it does not know it. */
  price(productId: string): number | null;
  /** Money in the store's currency, for texts. */
  money(minor: number): string;
  /** The web text of an offer type from its fields (the operator's template, else the built-in one). */
  text(type: string, fields: Fields): string;
}

/**
 * A scored offer before the RPS test: expected profit is a float until the answer is rounded. noEvidence: the
 * data cannot say this cart leads to the item (a fallback); it is refused whatever its value.
 */
export type Candidate = Omit<Offer, 'fields'> & {
  noEvidence?: boolean;
  /** The text's facts (a kind without them is said by its text in every channel). */
  fields?: Offer['fields'];
};

/**
 * A kind of any configuration, as registries hold them (a kind's own type is checked where it is written).
 * The section type is both read and written (check), so no narrower type holds every kind.
 */
// biome-ignore lint/suspicious/noExplicitAny: see above
export type AnyOfferKind = OfferKind<any>;

/**
 * One kind of offer: its types and reason codes (closed lists), its section of the configuration, and the
 * candidates it proposes for a decision. Adding a kind is one module implementing this and one line in the
 * registry.
 */
export interface OfferKind<C = unknown> {
  /** The offer types it emits (an offer id is `<type>` or `<type>:<detail>`). */
  types: readonly string[];
  reasonCodes: readonly string[];
  /**
   * Its key in the offer configuration, the strict schema of that section, and a check needing the whole
   * config.
   */
  config?: {
    key: string;
    schema: z.ZodType<C>;
    check?: (section: C, whole: OfferConfig) => { path: string; problem: string } | null;
  };
  /** Shown only in room the scored offers leave, never competing with them (messages). */
  fillsRemaining?: boolean;
  candidates(k: KindContext): Candidate[];
}
