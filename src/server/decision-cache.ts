import type { OfferConfig } from '../core/offers/config.js';
import { heldOut, offerKey, treatedOffers, type DecideContext, type Offers } from '../core/offers/decide.js';
import type { RecsModel } from '../core/recs/model.js';

/** A cached answer and its JSON, written once: a repeat request costs a string concatenation, not a serialisation. */
export interface CachedOffers {
  offers: Offers;
  /** `{"offers":…,"reason":…,"refused":…,"notes":…,"info":…,"model":N` — the response without its assignment and closing brace. */
  json: string;
}

/**
 * Answers by offerKey (treated and holdout apart) for one snapshot and configuration. decide() is pure, so an answer
 * computed for a cart is the answer for the same cart in any session; storefront carts repeat (a single popular
 * product is the most common cart), so most requests skip the scoring. Bounded by two generations of `max` entries:
 * when the newer fills up, the older is dropped, so memory stays under 2 × max answers with no per-entry bookkeeping.
 * An answer is kept only when its cart comes a second time (a doorkeeper, as in TinyLFU): in a large catalogue most
 * carts are seen once, and keeping their answers would only churn the heap.
 */
export class DecisionCache {
  private current = new Map<string, CachedOffers>();
  private previous = new Map<string, CachedOffers>();
  /** Keys seen once and not kept yet; cleared when it reaches 4 × max. */
  private once = new Set<string>();
  hits = 0;
  misses = 0;

  constructor(readonly model: RecsModel, readonly config: OfferConfig, private readonly max = 10_000) {}

  treated(ctx: DecideContext): CachedOffers {
    return this.get(offerKey(ctx), () => treatedOffers(this.model, this.config, ctx));
  }

  /** The holdout's answer (no offers; O6 info and notes still depend on the cart). */
  held(ctx: DecideContext): CachedOffers {
    return this.get(`h|${offerKey(ctx)}`, () => heldOut(this.model, this.config, ctx));
  }

  private get(key: string, compute: () => Offers): CachedOffers {
    const hit = this.current.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    let v = this.previous.get(key);
    if (v) this.hits++;
    else {
      this.misses++;
      v = answer(compute(), this.model.version);
      if (!this.once.has(key)) {
        if (this.once.size >= 4 * this.max) this.once.clear();
        this.once.add(key);
        return v;
      }
      this.once.delete(key);
    }
    if (this.current.size >= this.max) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, v);
    return v;
  }
}

export function answer(o: Offers, modelVersion: number): CachedOffers {
  return { offers: o, json: `{"offers":${JSON.stringify(o.offers)},"reason":${JSON.stringify(o.reason)},"refused":${JSON.stringify(o.refused)},"notes":${JSON.stringify(o.notes)},"info":${JSON.stringify(o.info)},"model":${modelVersion}` };
}

/** The whole decide response: the cached part and this request's assignment. */
export function decisionJson(c: CachedOffers, a: { unit: string; inHoldout: boolean; bucket: number }): string {
  return `${c.json},"assignment":{"unit":${JSON.stringify(a.unit)},"inHoldout":${a.inHoldout},"bucket":${a.bucket}}}`;
}
