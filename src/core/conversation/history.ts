import type { Turn } from './schema.js';

export type ShopperTurn = Extract<Turn, { from: 'shopper' }>;

/** What the conversation so far says: read afresh on every request, so no server keeps a session. */
export interface History {
  /** The shopper said "no thanks" at some point: nothing more is suggested this session. */
  declined: boolean;
  /** Offers the bot has suggested already (each is suggested once). */
  suggested: Set<string>;
  /** The shopper's turn this request answers, when the conversation ends with one. */
  last: ShopperTurn | null;
  /** The offers of the bot's latest turn (what a "no thanks" declines; none after a question). */
  lastOffered: string[];
  /** A routine's answers so far, by question. */
  answers(flow: string): Map<string, string>;
}

export function readHistory(turns: readonly Turn[]): History {
  const suggested = new Set<string>();
  let declined = false;
  let lastOffered: string[] = [];
  turns.forEach((t, i) => {
    if (t.from === 'bot') {
      for (const id of t.offerIds) suggested.add(id);
      lastOffered = t.offerIds;
    } else if (t.reply === 'no_thanks' && i < turns.length - 1) declined = true;
  });
  const end = turns[turns.length - 1];
  const last = end?.from === 'shopper' ? end : null;
  return {
    declined: declined || last?.reply === 'no_thanks',
    suggested,
    last,
    lastOffered,
    answers: (flow) => {
      const m = new Map<string, string>();
      for (const t of turns)
        if (t.from === 'shopper' && t.reply === 'answer' && t.flow === flow && t.question && t.answer)
          m.set(t.question, t.answer);
      return m;
    },
  };
}
