/**
 * O8: every text an offer or a conversation turn says, by template id, with the variables each may use and the
 * ones it must use. An offer's template id is its type; `<type>.more` answers "tell me more" about it; the
 * `conversation.*` ids are the chat's own turns. Money variables come from the offer's `*Minor` fields
 * (gapMinor is {gap}) and are formatted in the store's currency and the reader's locale.
 */
export { OFFER_CHANNELS as CHANNELS, type OfferChannel as Channel } from '../../model/tables.js';
import type { OfferChannel as Channel } from '../../model/tables.js';

export interface TemplateSpec {
  /** Variables the template may use. */
  vars: readonly string[];
  /** Variables it must use: a text without them would not say what the offer is. */
  required: readonly string[];
}

const product = { vars: ['product', 'price'], required: ['product'] } as const;

/** The offer types' templates (id = type), their variables, and what each must say. */
const OFFER_SPECS: Record<string, TemplateSpec> = {
  'free-shipping-progress': { vars: ['gap', 'threshold', 'subtotal'], required: ['gap'] },
  'loyalty-proximity': { vars: ['amount', 'tier'], required: ['amount', 'tier'] },
  'volume-tier': { vars: ['quantity', 'percentOff', 'product'], required: ['quantity', 'percentOff'] },
  bundle: { vars: ['bundle', 'percentOff', 'saving', 'missing'], required: ['bundle'] },
  'post-purchase': product,
  'cross-sell': product,
  'cart-recovery': product,
  reorder: product,
  habit: product,
  upsell: {
    vars: ['product', 'price', 'from', 'difference', 'reason'],
    required: ['product', 'difference'],
  },
  'segment-message': { vars: ['message'], required: ['message'] },
};

/** The chat's own turns. */
const TURN_SPECS: Record<string, TemplateSpec> = {
  'conversation.added': { vars: ['product'], required: [] },
  'conversation.declined': { vars: [], required: [] },
  'conversation.nothing': { vars: [], required: [] },
  'conversation.bundle': { vars: ['bundle', 'percentOff', 'saving', 'total'], required: ['saving'] },
  'conversation.start': { vars: ['routine'], required: [] },
  'reply.add': { vars: ['product'], required: [] },
  'reply.more': { vars: ['product'], required: [] },
  'reply.more_about': { vars: ['product'], required: [] },
  'reply.no_thanks': { vars: [], required: [] },
  'subject.post-purchase': { vars: ['product'], required: [] },
  'subject.cart-recovery': { vars: ['product'], required: [] },
  'email.button': { vars: ['product'], required: [] },
};

export const TEMPLATE_SPECS: Record<string, TemplateSpec> = {
  ...OFFER_SPECS,
  ...Object.fromEntries(
    Object.entries(OFFER_SPECS).map(([id, s]) => [`${id}.more`, { vars: s.vars, required: [] }]),
  ),
  ...TURN_SPECS,
};

/**
 * The built-in English texts. Web is what /v1/decide has always said (the golden decide cases hold it); chat
 * and email follow the conversations in the product's source article.
 */
export const BUILT_IN: Record<Channel, Record<string, string>> = {
  web: {
    'free-shipping-progress': "You're {gap} away from free shipping",
    'loyalty-proximity': 'Add {amount} to unlock {tier}',
    'volume-tier': 'Buy {quantity}, save {percentOff}%: add one more',
    bundle: 'Complete the {bundle}: {percentOff}% off the set',
    'post-purchase': 'Add {product} to your order',
    'cross-sell': 'Goes well with your cart: {product}',
    'cart-recovery': 'Your cart is saved. Pair it with {product}?',
    reorder: 'Time to restock {product}?',
    habit: 'You usually get {product} with this',
    upsell: 'Upgrade to {product} for {difference} more',
    'segment-message': '{message}',
  },
  chat: {
    'free-shipping-progress':
      "You're just {gap} away from free shipping! Want to see something small that gets you there?",
    'loyalty-proximity': "You're {amount} away from {tier}. Want to see what gets you there?",
    'volume-tier': 'Nice pick! Buy {quantity} and you save {percentOff}% on all of them. Add one more?',
    bundle: 'That is part of our {bundle}: get the rest and save {percentOff}% on the set ({saving} off).',
    'post-purchase':
      'Your order is confirmed! Many customers who bought this also love {product}. Want to add it to your order?',
    'cross-sell': '{product} goes well with your cart. Want to add it?',
    'cart-recovery': 'Your cart is saved for you. Shoppers often pair it with {product}. Want to add it?',
    reorder: 'Running low? Time to restock {product}?',
    habit: 'You usually get {product} with this. Add it again?',
    upsell:
      'Great choice on the {from}! For just {difference} more, the {product} {reason}. Would you like to see it?',
    'segment-message': '{message}',
    'free-shipping-progress.more': 'Orders over {threshold} ship free; your cart is at {subtotal}.',
    'loyalty-proximity.more': '{tier} starts {amount} from where you are now.',
    'volume-tier.more': 'Buy {quantity} or more and every one of them is {percentOff}% off.',
    'bundle.more':
      'The {bundle} comes together at {percentOff}% off: you save {saving}. Still missing: {missing}.',
    'post-purchase.more': '{product} is {price}, and it ships with your order.',
    'cross-sell.more': '{product} is {price}. Shoppers with a cart like yours often add it.',
    'cart-recovery.more': '{product} is {price}. Shoppers with a cart like yours often add it.',
    'reorder.more': '{product} is {price}, the same as you bought before.',
    'habit.more': '{product} is {price}, the same as you usually get.',
    'upsell.more': 'The {product} is {price}, {difference} more than the {from}: it {reason}.',
    'segment-message.more': '{message}',
    'conversation.added': 'Done! {product} is in your cart.',
    'conversation.declined': "No problem, I won't suggest anything else this visit.",
    'conversation.nothing': "I have nothing to suggest right now, but I'm here if you need me.",
    'conversation.bundle':
      'Here is your {bundle}: all of it together is {total}, {percentOff}% off the set, so you save {saving}.',
    'conversation.start': 'Build your {routine}',
    'reply.add': 'Add {product}',
    'reply.more': 'Tell me more',
    'reply.more_about': 'More about {product}',
    'reply.no_thanks': 'No thanks',
  },
  email: {
    'free-shipping-progress': 'Add {gap} more to your order and it ships free.',
    'loyalty-proximity': 'You are {amount} away from {tier}.',
    'volume-tier': 'Buy {quantity} and save {percentOff}% on every one.',
    bundle: 'Complete the {bundle} and save {percentOff}% ({saving}).',
    'post-purchase': 'Thank you for your order. Customers who bought the same often add {product} ({price}).',
    'cross-sell': 'Goes well with your order: {product} ({price}).',
    'cart-recovery': 'Your cart is saved. Many shoppers pair it with {product} ({price}).',
    reorder: 'Time to restock {product}? ({price})',
    habit: 'You usually get {product} with this ({price}).',
    upsell: 'Upgrade to the {product} for {difference} more: it {reason}.',
    'segment-message': '{message}',
    'subject.post-purchase': 'Thank you for your order',
    'subject.cart-recovery': 'Your cart is waiting for you',
    'email.button': 'Add {product}',
  },
};
