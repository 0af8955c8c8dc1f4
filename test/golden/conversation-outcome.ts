import type { ConversationReply } from '../../src/core/conversation/schema.js';

/**
 * What a golden conversation case pins of a turn, the same from converse() or over HTTP: the messages and quick
 * replies as the shopper sees them, the suggestions' ids and texts, the turn to keep and the events to log.
 */
export function conversationOutcome(r: ConversationReply) {
  return {
    reasonCode: r.reasonCode,
    flow: r.flow,
    messages: r.messages.map((m) => m.text),
    suggestions: r.suggestions.map((o) => ({ id: o.id, type: o.type, text: o.text })),
    quickReplies: r.quickReplies,
    turn: r.turn,
    events: r.events,
  };
}
export type ConversationOutcome = ReturnType<typeof conversationOutcome>;
