import { z } from 'zod';
import { AssignmentSchema, OfferSchema } from '../offers/types.js';

/** What brought the chat to speak: the storefront's moment, or the shopper asking. */
export const TRIGGERS = [
  'added_to_cart',
  'idle_on_product',
  'exit_intent',
  'order_placed',
  'shopper_asked',
] as const;
export type Trigger = (typeof TRIGGERS)[number];

/** The shopper's answers a quick reply can give. */
export const REPLIES = ['add', 'more', 'no_thanks', 'start', 'answer'] as const;
export type ReplyKind = (typeof REPLIES)[number];

const id = z.string().min(1).max(200);

/**
 * One turn of the conversation so far, as the client keeps it: the bot's turns as the server answered them
 * (its `turn`), the shopper's as the quick reply they chose. The server keeps nothing: a "no thanks" is read
 * from here on every request.
 */
export const TurnSchema = z.discriminatedUnion('from', [
  z.strictObject({
    from: z.literal('bot'),
    flow: z.string().max(100).nullable().optional(),
    offerIds: z.array(id).max(5).default([]),
    question: z.string().max(100).optional(),
  }),
  z.strictObject({
    from: z.literal('shopper'),
    reply: z.enum(REPLIES),
    offerId: id.optional(),
    /** A routine (start, answer): routine:<id>. */
    flow: z.string().max(100).optional(),
    question: z.string().max(100).optional(),
    answer: z.string().max(100).optional(),
  }),
]);
export type Turn = z.output<typeof TurnSchema>;

export const QuickReplySchema = z.strictObject({
  reply: z.enum(REPLIES),
  label: z.string(),
  offerId: z.string().optional(),
  /** What "add" puts in the cart (or the order, after a purchase). */
  productIds: z.array(z.string()).optional(),
  flow: z.string().optional(),
  question: z.string().optional(),
  answer: z.string().optional(),
});
export type QuickReply = z.infer<typeof QuickReplySchema>;

/** An event the turn is worth in the log (the server writes them with channel chat). */
export const TurnEventSchema = z.strictObject({
  type: z.enum(['offer_shown', 'offer_replied', 'offer_accepted', 'offer_declined']),
  offerId: z.string(),
  productId: z.string().optional(),
});
export type TurnEvent = z.infer<typeof TurnEventSchema>;

export const CONVERSATION_CODES = [
  'SUGGESTIONS',
  'DETAIL',
  'ADDED',
  'DECLINED',
  'DECLINED_EARLIER',
  'QUESTION',
  'ROUTINE_BUNDLE',
  'ALREADY_SUGGESTED',
  'NOTHING',
  'HOLDOUT',
] as const;
export type ConversationCode = (typeof CONVERSATION_CODES)[number];

export const ConversationReplySchema = z.strictObject({
  /** What the bot did this turn, as a code and in words. */
  reasonCode: z.enum(CONVERSATION_CODES),
  reason: z.string(),
  /** The flow that spoke (upsell, cross-sell, free-shipping, post-purchase, reorder, cart-recovery, routine:<id>). */
  flow: z.string().nullable(),
  channel: z.literal('chat'),
  locale: z.string(),
  currency: z.string(),
  /** The bot's messages this turn, in order; none when it has nothing to say. */
  messages: z.array(z.strictObject({ text: z.string() })),
  /** At most two offers, each as decide() made it, its text said for chat. */
  suggestions: z.array(OfferSchema).max(2),
  quickReplies: z.array(QuickReplySchema),
  /** What the client appends to the history for this turn (null: nothing was said). */
  turn: TurnSchema.nullable(),
  /** The events this turn put in the log. */
  events: z.array(TurnEventSchema),
  assignment: AssignmentSchema,
});
export type ConversationReply = z.infer<typeof ConversationReplySchema>;
