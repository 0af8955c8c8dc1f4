import type { OfferConfig } from '../core/offers/config.js';
import {
  assignmentOf,
  decide,
  experimentsOf,
  offerKey,
  type DecideContext,
  type Decision,
} from '../core/offers/decide.js';
import { fnv1a32 } from '../core/experiments/hash.js';
import type { RecsModel } from '../core/recs/model.js';
import { answerJsonOpen } from './decision-json.js';

/** A decision without its assignment, as JSON written once: `{"offers":…,"model":N` (no closing brace). */
export interface CachedAnswer {
  json: string;
  /** The refusals' codes in order (the Live page counts them), so a cached answer is not parsed again. */
  refused: readonly string[];
}

/**
 * Wraps decide() for the storefront's hot path. decide() is pure, so the answer for a cart is the answer for
 * the same cart in any session of the same group (treated or holdout); only the assignment differs, and it is
 * cheap. Storefront carts repeat (a single popular product is the most common cart), so most requests skip
 * the scoring. Bounded by two generations of `max` entries: when the newer fills up, the older is dropped, so
 * memory stays under 2 × max answers with no per-entry bookkeeping. An answer is kept only when its cart
 * comes a second time within 2 × max sightings of carts not kept (a doorkeeper, as in TinyLFU): in a large
 * catalogue most carts are seen once, and keeping them would churn the heap; a cart that comes back only after
 * more than the two generations can hold would be dropped before its next request, so keeping it is churn too.
 */
export class DecisionCache {
  private current = new Map<string, CachedAnswer>();
  private previous = new Map<string, CachedAnswer>();
  /**
   * The doorkeeper: 32-bit fingerprints of the keys seen and not kept yet, in an open-addressed table (0 is an
   * empty slot), cleared every 2 × max sightings (lookups that reach it, the key there or not). Cleared only
   * when it held 4 × max keys, it never forgot a set of carts that keeps coming back, however far apart: it let
   * every one of them in, each to be dropped before it came again (the bench's carts not seen). A Set of the key
   * strings cost more than the lookups it saved on carts never seen (each a string kept, a large table regrown and
   * swept); two keys with one fingerprint only keep an answer a sighting early, and what is kept is still bounded
   * by the two generations.
   */
  private readonly seen: Int32Array;
  /** Sightings since the doorkeeper was last cleared. */
  private seenCount = 0;
  hits = 0;
  misses = 0;

  constructor(
    readonly model: RecsModel,
    readonly config: OfferConfig,
    private readonly max = 10_000,
  ) {
    // At most a quarter full, so probes stay short.
    let slots = 64;
    while (slots < 16 * max) slots *= 2;
    this.seen = new Int32Array(slots);
  }

  /** Whether the key was seen before (and not forgotten since); remembers it if not. */
  private seenBefore(key: string): boolean {
    if (++this.seenCount > 2 * this.max) {
      this.seen.fill(0);
      this.seenCount = 1;
    }
    const h = fnv1a32(key) | 0 || 1;
    const mask = this.seen.length - 1;
    for (let i = h & mask; ; i = (i + 1) & mask) {
      const at = this.seen[i]!;
      if (at === h) return true;
      if (at === 0) {
        this.seen[i] = h;
        return false;
      }
    }
  }

  /** The whole decide response for this context. */
  respond(ctx: DecideContext): string {
    return this.respondWithCodes(ctx).json;
  }

  /** The whole decide response for this context, and its refusals' codes. */
  respondWithCodes(ctx: DecideContext): { json: string; refused: readonly string[] } {
    const a = assignmentOf(this.config, ctx);
    const c = this.answer(ctx, a.inHoldout, a);
    return { json: decisionJson(c, a), refused: c.refused };
  }

  /**
   * The cached part of the answer for this context and group. The unit's experiment variants are part of the
   * key: two units with the same cart in different variants get different offers.
   */
  answer(ctx: DecideContext, inHoldout: boolean, assignment?: Decision['assignment']): CachedAnswer {
    let variants = '';
    if (!inHoldout)
      for (const e of experimentsOf(this.config, ctx).exposures) variants += `${e.experiment}=${e.variant},`;
    const key = `${inHoldout ? 'h' : 't'}|${variants}|${offerKey(ctx)}`;
    const hit = this.current.get(key);
    if (hit) {
      this.hits++;
      return hit;
    }
    let v = this.previous.get(key);
    if (v) this.hits++;
    else {
      this.misses++;
      v = cachedAnswer(decide(this.model, this.config, ctx, undefined, assignment), this.model.version);
      if (!this.seenBefore(key)) return v;
      // Kept: in one piece (an answer sent once is flattened once, when it is written).
      flat(v.json);
    }
    if (this.current.size >= this.max) {
      this.previous = this.current;
      this.current = new Map();
    }
    this.current.set(key, v);
    return v;
  }
}

export function cachedAnswer(d: Decision, modelVersion: number): CachedAnswer {
  return { json: answerJsonOpen(d, modelVersion), refused: d.refused.map((r) => r.code) };
}

/** The whole decide response: the cached part and this request's assignment. */
export function decisionJson(c: CachedAnswer, a: Decision['assignment']): string {
  return `${c.json},"assignment":{"unit":${JSON.stringify(a.unit)},"inHoldout":${a.inHoldout},"bucket":${a.bucket}}}`;
}

/**
 * The string in one piece. The answer is written as a rope of a few hundred pieces (each concatenation a node);
 * kept that way in the cache, every answer would be hundreds of small objects for the garbage collector to
 * trace and copy, and every response from it would flatten it again. Converting a string to a number makes the engine
 * flatten it in place (a copy of its characters, once); the number is kept nowhere that matters.
 */
let _flattened = 0;
function flat(s: string): string {
  // Kept in a variable so that no compiler drops the conversion as unused.
  _flattened = Number(s);
  return s;
}
