import { type OfferConfig, withKeys } from '../offers/config.js';
import { decide, experimentsOf } from '../offers/decide.js';
import { itemsById } from '../offers/items.js';
import type { AnyOfferKind } from '../offers/kind.js';
import { OFFER_KINDS } from '../offers/registry.js';
import { renderTemplate, type Fields } from '../offers/templates/render.js';
import type { DecideContext, Decision, Offer } from '../offers/types.js';
import type { RecsModel } from '../recs/model.js';
import { FLOWS, type Flow, flowOf } from './flows.js';
import { readHistory, type History } from './history.js';
import { routineTurn } from './routine-turn.js';
import type { ConversationCode, ConversationReply, QuickReply, Trigger, Turn, TurnEvent } from './schema.js';

/** At most this many suggestions in one turn: more is decision fatigue (the source article's first rule). */
export const MAX_SUGGESTIONS = 2;

export interface ConversationRequest {
  trigger: Trigger;
  /** The page, cart and shopper, as /v1/decide takes them (the trigger sets the page after an order). */
  context: DecideContext;
  /** The conversation so far, oldest first. */
  turns: readonly Turn[];
  locale?: string;
}

/** What every turn's answer needs: the decision, the texts, and how to build the reply. */
export interface TurnKit {
  model: RecsModel;
  config: OfferConfig;
  decision: Decision;
  history: History;
  say(id: string, fields?: Fields): string;
  reply(code: ConversationCode, reason: string, parts?: Partial<ConversationReply>): ConversationReply;
  /** The chat's version of an offer: its text said from the chat template. */
  forChat(o: Offer): Offer;
  noThanks(): QuickReply;
  title(productId: string): string;
}

/**
 * O8: the chat's next turn. The same decide() as the web answers underneath (so the holdout, the RPS test and
 * the experiments hold here too); the flows choose which of its offers speak at this moment, at most two, each
 * once; a "no thanks" anywhere in the history ends the suggestions for the session. Pure: the history comes in
 * with the request, and the events the turn is worth go out with the answer for the server to log.
 */
export function converse(
  model: RecsModel,
  config: OfferConfig,
  req: ConversationRequest,
  kinds: readonly AnyOfferKind[] = OFFER_KINDS,
  flows: readonly Flow[] = FLOWS,
): ConversationReply {
  const context = contextFor(req);
  // The unit's experiment variants shape the texts and routines as they shape the offers (an A/B test of copy).
  config = experimentsOf(config, context).config;
  const locale = req.locale ?? config.locale;
  // The chat says at most two at a time, each once, so it reads deeper into the same ranking than a page does:
  // the next best offers stand behind those already suggested (the RPS test and the holdout hold as ever).
  const limit = Math.min(MAX_SUGGESTIONS, config.maxOffersPerDecision);
  const deeper = withKeys(config, { maxOffersPerDecision: Math.max(config.maxOffersPerDecision, 5) });
  const decision = decide(model, deeper, context, kinds);
  const history = readHistory(req.turns);
  const say = (id: string, fields: Fields = {}) =>
    renderTemplate(id, fields, {
      channel: 'chat',
      locale,
      currency: config.currency,
      overrides: config.templates,
    });
  const byId = itemsById(model);
  const k: TurnKit = {
    model,
    config,
    decision,
    history,
    say,
    reply: (reasonCode, reason, parts = {}) => ({
      reasonCode,
      reason,
      flow: null,
      channel: 'chat',
      locale,
      currency: config.currency,
      messages: [],
      suggestions: [],
      quickReplies: [],
      turn: null,
      events: [],
      assignment: decision.assignment,
      ...parts,
    }),
    forChat: (o) => ({ ...o, text: say(o.type, o.fields) || o.text }),
    noThanks: () => ({ reply: 'no_thanks', label: say('reply.no_thanks') }),
    title: (id) => byId.get(id)?.title ?? id,
  };
  if (decision.assignment.inHoldout)
    return k.reply('HOLDOUT', 'holdout: this unit is in the global holdout and gets no suggestions');
  const last = history.last;
  if (last?.reply === 'no_thanks') {
    const declined = last.offerId ? [last.offerId] : history.lastOffered;
    return k.reply('DECLINED', 'the shopper said no thanks: nothing more is suggested this session', {
      messages: [{ text: say('conversation.declined') }],
      turn: { from: 'bot', flow: null, offerIds: [] },
      events: declined.map((offerId) => ({ type: 'offer_declined', offerId })),
    });
  }
  if (history.declined)
    return k.reply('DECLINED_EARLIER', 'the shopper said no thanks earlier this session: no suggestions');
  if (last?.reply === 'add' && last.offerId) return added(k, last.offerId);
  if (last?.reply === 'more' && last.offerId) return detail(k, last.offerId, req.trigger, flows);
  if (last?.reply === 'start' || last?.reply === 'answer') return routineTurn(k, last.flow ?? '');
  return suggest(k, req.trigger, flows, limit);
}

/** The page and moment a trigger means: an order placed is the thank-you page, an exit intent a shopper leaving. */
function contextFor(req: ConversationRequest): DecideContext {
  const c = req.context;
  if (req.trigger === 'order_placed') return { ...c, page: 'thankyou' };
  if (req.trigger === 'exit_intent') return { ...c, exiting: true };
  return c;
}

function suggest(k: TurnKit, trigger: Trigger, flows: readonly Flow[], limit: number): ConversationReply {
  const speaking = k.decision.offers.filter((o) => flowOf(o.type, trigger, flows));
  const fresh = speaking.filter((o) => !k.history.suggested.has(o.id)).slice(0, limit);
  if (!fresh.length) {
    if (speaking.length)
      return k.reply('ALREADY_SUGGESTED', 'every offer for this moment was suggested earlier this session');
    const asked = trigger === 'shopper_asked';
    return k.reply('NOTHING', `no offer speaks at this moment (${k.decision.reasonCode})`, {
      messages: asked ? [{ text: k.say('conversation.nothing') }] : [],
      quickReplies: asked
        ? k.config.routines.map((r) => ({
            reply: 'start' as const,
            flow: `routine:${r.id}`,
            label: k.say('conversation.start', { routine: r.title }),
          }))
        : [],
      turn: asked ? { from: 'bot', flow: null, offerIds: [] } : null,
    });
  }
  const flow = flowOf(fresh[0]!.type, trigger, flows)!;
  const suggestions = fresh.map(k.forChat);
  const quickReplies: QuickReply[] = [];
  for (const o of suggestions) {
    const f = flowOf(o.type, trigger, flows)!;
    const adds = addable(o);
    if (f.replies.includes('add') && adds.length)
      quickReplies.push({
        reply: 'add',
        offerId: o.id,
        productIds: adds,
        label: k.say('reply.add', { product: adds.map(k.title).join(' + ') }),
      });
    // With two suggestions, each "tell me more" says which it is about.
    const name = o.fields.bundle ?? o.items[0]?.title ?? o.fields.product;
    const product = typeof name === 'string' ? name : '';
    if (f.replies.includes('more'))
      quickReplies.push({
        reply: 'more',
        offerId: o.id,
        label:
          suggestions.length > 1 && product ? k.say('reply.more_about', { product }) : k.say('reply.more'),
      });
  }
  quickReplies.push(k.noThanks());
  return k.reply(
    'SUGGESTIONS',
    `${suggestions.length} suggestion(s) from decide(), best expected profit first`,
    {
      flow: flow.id,
      messages: suggestions.map((o) => ({ text: o.text })),
      suggestions,
      quickReplies,
      turn: { from: 'bot', flow: flow.id, offerIds: suggestions.map((o) => o.id) },
      events: suggestions.map((o) => shown(o)),
    },
  );
}

/** "Tell me more": the offer's detail from its `<type>.more` template, with add and no thanks. */
function detail(k: TurnKit, offerId: string, trigger: Trigger, flows: readonly Flow[]): ConversationReply {
  const o = k.decision.offers.find((x) => x.id === offerId);
  const replied: TurnEvent = { type: 'offer_replied', offerId };
  if (!o)
    return k.reply('NOTHING', `${offerId} no longer applies to this cart`, {
      messages: [{ text: k.say('conversation.nothing') }],
      turn: { from: 'bot', flow: null, offerIds: [] },
      events: [replied],
    });
  const chat = k.forChat(o);
  const adds = addable(o);
  return k.reply('DETAIL', `the shopper asked about ${offerId}`, {
    flow: flowOf(o.type, trigger, flows)?.id ?? null,
    messages: [{ text: k.say(`${o.type}.more`, o.fields) || chat.text }],
    suggestions: [chat],
    quickReplies: [
      ...(adds.length
        ? [
            {
              reply: 'add' as const,
              offerId,
              productIds: adds,
              label: k.say('reply.add', { product: adds.map(k.title).join(' + ') }),
            },
          ]
        : []),
      k.noThanks(),
    ],
    turn: { from: 'bot', flow: null, offerIds: [offerId] },
    events: [replied],
  });
}

function added(k: TurnKit, offerId: string): ConversationReply {
  // The cart already holds it (the client adds, then asks): its title comes from the id's product.
  const productId = offerId.includes(':') ? offerId.slice(offerId.indexOf(':') + 1) : offerId;
  const known = itemsById(k.model).has(productId);
  return k.reply('ADDED', `the shopper accepted ${offerId}`, {
    messages: [{ text: k.say('conversation.added', { product: known ? k.title(productId) : 'It' }) }],
    turn: { from: 'bot', flow: null, offerIds: [] },
    events: [{ type: 'offer_accepted', offerId, ...(known ? { productId } : {}) }],
  });
}

/** The products "add" puts in the cart: a free-shipping nudge's best filler, else every item of the offer. */
export function addable(o: Offer): string[] {
  const ids = o.items.map((i) => i.productId);
  return o.type === 'free-shipping-progress' ? ids.slice(0, 1) : ids;
}

export function shown(o: Offer): TurnEvent {
  return { type: 'offer_shown', offerId: o.id, ...(o.items[0] ? { productId: o.items[0].productId } : {}) };
}
