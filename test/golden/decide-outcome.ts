import type { Decision } from '../../src/core/offers/types.js';

/**
 * What a golden decide case pins of a decision, the same whether it comes from decide() or over HTTP (the
 * assignment's bucket and the reason texts of refusals are left out: the first is the assignment's own golden
 * file, the second wording).
 */
export function outcomeOf(d: Decision) {
  return {
    inHoldout: d.assignment.inHoldout,
    reasonCode: d.reasonCode,
    notes: d.notes.map((n) => n.code),
    info: d.info,
    offers: d.offers.map((o) => ({
      id: o.id,
      type: o.type,
      reasonCode: o.reasonCode,
      expectedProfitMinor: o.expectedProfitMinor,
      text: o.text,
      marginBasis: o.marginBasis ?? null,
    })),
    refused: d.refused.map((r) => ({ id: r.id, code: r.code, expectedProfitMinor: r.expectedProfitMinor })),
  };
}
export type Outcome = ReturnType<typeof outcomeOf>;
