import { z } from 'zod';
import type { PastOrder } from '../recs/habits.js';
import type { Page } from '../recs/recommend.js';

export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface DecideContext {
  page: Page;
  sessionId: string;
  /** The product on a product page. */
  productId?: string;
  /**
   * The customer's recent orders and today (days since the epoch), for habits and reorders; the server fills
   * them.
   */
  history?: readonly PastOrder[];
  today?: number;
  cart: readonly CartLine[];
  customer?: { id: string; spendMinor?: number; firstName?: string };
  visitorType?: 'new' | 'returning' | 'customer' | 'vip';
  exiting?: boolean;
}

/** What accepting an offer asks the storefront to do. */
export const ACCEPT_ACTIONS = ['add_to_cart', 'add_to_order', 'browse', 'dismiss'] as const;
export type AcceptAction = (typeof ACCEPT_ACTIONS)[number];

/** Why a candidate was not shown. */
export const REFUSAL_CODES = ['FAILS_RPS_TEST', 'NO_EVIDENCE', 'OVER_MAX_OFFERS'] as const;
export type RefusalCode = (typeof REFUSAL_CODES)[number];

/** The decision as a whole: offers shown, the holdout, everything refused, or nothing applying. */
export const DECISION_CODES = ['OFFERS', 'HOLDOUT', 'ALL_REFUSED', 'NONE_APPLIES'] as const;
export type DecisionCode = (typeof DECISION_CODES)[number];

export const MARGIN_BASES = ['product-cost', 'assumed-margin'] as const;
export type MarginBasis = (typeof MARGIN_BASES)[number];

export const NOTE_CODES = ['UNKNOWN_PRODUCT'] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

/*
 * The decision's shape, declared once as zod schemas: the TypeScript types below are inferred from them,
 * and the HTTP
 * contract (OpenAPI, the response serializer, the drift test) derives from them with the registry's lists
 * filled in.
 */
const minor = z.number().int();

export const OfferItemSchema = z.strictObject({
  productId: z.string(),
  title: z.string().nullable(),
  priceMinor: minor.nullable(),
});

export const OfferSchema = z.strictObject({
  id: z.string(),
  type: z.string(),
  text: z.string(),
  /**
   * O8: what the text says, as data: money as `<name>Minor` in the store's currency, the rest as words and
   * numbers, so another channel (chat, email) or locale can say it from its own template.
   */
  fields: z
    .record(z.string(), z.union([z.string(), z.number()]))
    .describe("the offer's facts as data (money as <name>Minor), for texts in other channels and locales"),
  items: z.array(OfferItemSchema),
  actions: z.strictObject({ accept: z.enum(ACCEPT_ACTIONS), decline: z.literal('dismiss') }),
  /**
   * O9: expected incremental profit per session of showing it (margin, discount, shipping absorbed,
   * conversion risk).
   */
  expectedProfitMinor: z
    .number()
    .describe('expected incremental profit per session of showing it, in minor units'),
  /** Why it was chosen: a machine code from the kind's closed list, and the same in words. */
  reasonCode: z.string(),
  reason: z.string(),
  /**
   * Where the margin in expectedProfitMinor comes from: the products' costs, or the configured default margin
   * (economics.defaultMarginPercent) for a product without one.
   */
  marginBasis: z
    .enum(MARGIN_BASES)
    .optional()
    .describe('product-cost, or assumed-margin when an item has no cost (economics.defaultMarginPercent)'),
  /** The discount the storefront applies when the shopper accepts (bundles and volume tiers). */
  percentOff: z.number().optional().describe('the discount to apply when accepted (bundles, volume tiers)'),
  /**
   * A money goal the cart is moving towards (free shipping, a loyalty tier), so a storefront can draw the bar
   * and say the amount left in its own locale rather than parse the text.
   */
  progress: z
    .strictObject({ currentMinor: minor, targetMinor: minor, goal: z.string() })
    .optional()
    .describe(
      'progress towards a money goal (free shipping, a loyalty tier): current and target, and its name',
    ),
});

export const RefusalSchema = z.strictObject({
  id: z.string(),
  type: z.string(),
  expectedProfitMinor: z.number(),
  code: z.enum(REFUSAL_CODES),
  reason: z.string(),
});

export const NoteSchema = z.strictObject({
  code: z.enum(NOTE_CODES),
  text: z.string(),
  productId: z.string().optional(),
});

export const InfoSchema = z
  .strictObject({
    shipping: z.string().nullable(),
    delivery: z.string().nullable(),
    returns: z.string().nullable(),
    stock: z.array(z.strictObject({ productId: z.string(), text: z.string() })),
  })
  .describe('O6: what a shopper should know before buying; shown to every group, holdout included');

export const AssignmentSchema = z.strictObject({
  unit: z.string(),
  inHoldout: z.boolean(),
  bucket: z.number(),
});

/** An experiment this decision took part in, and the unit's variant (its overrides shaped the offers). */
export const ExposureSchema = z.strictObject({ experiment: z.string(), variant: z.string() });

export const DecisionSchema = z.strictObject({
  offers: z.array(OfferSchema),
  /** The store's currency (ISO 4217): every *Minor amount in the decision is in its minor unit. */
  currency: z.string(),
  reasonCode: z.enum(DECISION_CODES),
  reason: z.string(),
  /** Candidates not shown, with why: "no offer" is an answer with its reasons. */
  refused: z.array(RefusalSchema),
  /** Products in the cart that the snapshot does not know: ignored for recommendations, never an error. */
  notes: z.array(NoteSchema),
  info: InfoSchema,
  /** Experiments running today that this unit is in; never any for the global holdout. */
  experiments: z.array(ExposureSchema),
  assignment: AssignmentSchema,
});

export type OfferItem = z.infer<typeof OfferItemSchema>;
export type Offer = z.infer<typeof OfferSchema>;
export type Refusal = z.infer<typeof RefusalSchema>;
export type Note = z.infer<typeof NoteSchema>;
export type Info = z.infer<typeof InfoSchema>;
export type Assignment = z.infer<typeof AssignmentSchema>;
export type Exposure = z.infer<typeof ExposureSchema>;
export type Decision = z.infer<typeof DecisionSchema>;
