import type { Offer } from '../offers/types.js';
import type { TurnKit } from './converse.js';
import { shown } from './converse.js';
import type { ConversationReply } from './schema.js';

/**
 * The guided bundle: the routine's next unanswered question with its answers as quick replies, and once all
 * are answered, the set the answers picked with its saving. A set's value is its margin less the discount
 * (the shopper asked for it: nothing is assumed bought anyway).
 */
export function routineTurn(k: TurnKit, flow: string): ConversationReply {
  const routine = k.config.routines.find((r) => `routine:${r.id}` === flow);
  if (!routine)
    return k.reply('NOTHING', `no routine ${flow || '(none named)'} in the configuration`, {
      messages: [{ text: k.say('conversation.nothing') }],
      turn: { from: 'bot', flow: null, offerIds: [] },
    });
  const answers = k.history.answers(flow);
  const next = routine.questions.find((q) => !answers.has(q.id));
  if (next)
    return k.reply('QUESTION', `question ${next.id} of routine ${routine.id}`, {
      flow,
      messages: [{ text: next.text }],
      quickReplies: [
        ...next.options.map((o) => ({
          reply: 'answer' as const,
          flow,
          question: next.id,
          answer: o.id,
          label: o.label,
        })),
        k.noThanks(),
      ],
      turn: { from: 'bot', flow, offerIds: [], question: next.id },
    });
  const byId = new Map(k.model.items.map((it) => [it.id, it]));
  const picked = routine.questions
    .map((q) => q.options.find((o) => o.id === answers.get(q.id))?.productId)
    .filter((id): id is string => !!id && byId.has(id) && byId.get(id)!.priceMinor != null);
  const ids = [...new Set(picked)];
  if (!ids.length)
    return k.reply('NOTHING', `the answers to routine ${routine.id} pick no product the store sells`, {
      flow,
      messages: [{ text: k.say('conversation.nothing') }],
      turn: { from: 'bot', flow, offerIds: [] },
    });
  const full = ids.reduce((s, id) => s + byId.get(id)!.priceMinor!, 0);
  const saving = Math.round((routine.percentOff / 100) * full);
  const assumed = k.config.economics.defaultMarginPercent / 100;
  const margin = ids.reduce((s, id) => {
    const it = byId.get(id)!;
    return s + (it.costMinor != null ? it.priceMinor! - it.costMinor : it.priceMinor! * assumed);
  }, 0);
  const fields = {
    bundle: routine.title,
    bundleId: `routine-${routine.id}`,
    percentOff: routine.percentOff,
    savingMinor: saving,
    totalMinor: full - saving,
    missing: ids.map(k.title).join(', '),
  };
  const offer: Offer = {
    id: `bundle:routine-${routine.id}`,
    type: 'bundle',
    text: k.say('conversation.bundle', fields),
    fields,
    items: ids.map((id) => ({
      productId: id,
      title: byId.get(id)!.title,
      priceMinor: byId.get(id)!.priceMinor,
    })),
    actions: { accept: 'add_to_cart', decline: 'dismiss' },
    expectedProfitMinor: Math.round(margin - saving),
    reasonCode: 'ROUTINE_ANSWERS',
    reason: `the shopper's ${answers.size} answers to routine ${routine.id} picked ${ids.length} product(s)`,
    percentOff: routine.percentOff,
    marginBasis: ids.every((id) => byId.get(id)!.costMinor != null) ? 'product-cost' : 'assumed-margin',
  };
  return k.reply('ROUTINE_BUNDLE', `routine ${routine.id} answered: the set its answers pick`, {
    flow,
    messages: [{ text: k.say('conversation.bundle', fields) }],
    suggestions: [offer],
    quickReplies: [
      {
        reply: 'add',
        offerId: offer.id,
        productIds: ids,
        label: k.say('reply.add', { product: ids.map(k.title).join(' + ') }),
      },
      k.noThanks(),
    ],
    turn: { from: 'bot', flow, offerIds: [offer.id] },
    events: [shown(offer)],
  });
}
