import type { OfferConfig } from '../core/offers/config.js';
import { decide, type DecideContext } from '../core/offers/decide.js';
import { type ConversationRequest, converse } from '../core/conversation/converse.js';
import type { ConversationReply } from '../core/conversation/schema.js';
import type { PastOrder } from '../core/recs/habits.js';
import type { RecsModel } from '../core/recs/model.js';
import { recommend, type Page, type RecResult } from '../core/recs/recommend.js';
import { DAY_MS } from '../core/time.js';
import type { WeightsInForce } from './experiment-list.js';
import type { OffersSource } from './offers-in-force.js';
import type { Store } from '../store/port.js';
import { cachedAnswer, DecisionCache, decisionJson } from './decision-cache.js';

/**
 * What the storefront is served from: replaced whole on reload, so a request sees either the old set or the
 * new.
 */
export interface ServingSnapshot {
  model: RecsModel;
  offers: OfferConfig;
  /** Repeat customers' recent orders (habits and reorders), held in memory beside the model. */
  histories: ReadonlyMap<string, readonly PastOrder[]>;
  /** The bandits' published weights in force, by version (none: the configured weights). */
  weights?: readonly WeightsInForce[];
  /** Where the offer configuration comes from: a version published in the database, or the file (absent). */
  offersFrom?: OffersSource;
}

/** The store's latest model snapshot and customer histories, served under an offer configuration. */
export function servingSnapshot(store: Store, offers: OfferConfig): ServingSnapshot {
  const model = store.snapshots.loadModel();
  const histories = new Map(Object.entries(store.snapshots.loadHistories()?.customers ?? {}));
  return { model, offers, histories };
}

/**
 * Decisions and recommendations for the storefront, from memory only (the hot path never reads the store):
 * decide() wrapped in a cache by cart, except for a customer with a history, whose answer (habits, reorders
 * due today) is their own and computed afresh.
 */
export class Serving {
  private cache: DecisionCache;

  constructor(
    private snap: ServingSnapshot,
    private readonly clock: () => Date = () => new Date(),
  ) {
    this.cache = new DecisionCache(snap.model, snap.offers);
  }

  get snapshot(): ServingSnapshot {
    return this.snap;
  }

  swap(next: ServingSnapshot): void {
    this.snap = next;
    this.cache = new DecisionCache(next.model, next.offers);
  }

  /** The decide response as JSON. */
  decide(ctx: DecideContext): string {
    return this.answer(ctx).json;
  }

  /** The decide response as JSON, and its refusals' codes (for the server's live counters). */
  answer(ctx: DecideContext): { json: string; refused: readonly string[] } {
    const history = ctx.customer ? this.snap.histories.get(ctx.customer.id) : undefined;
    // Today decides which experiments run; habits and reorders count days from it too.
    if (!history) {
      if (!this.snap.offers.experiments.length) return this.cache.respondWithCodes(ctx);
      return this.cache.respondWithCodes({ ...ctx, today: Math.floor(this.clock().getTime() / DAY_MS) });
    }
    const today = Math.floor(this.clock().getTime() / DAY_MS);
    const d = decide(this.snap.model, this.snap.offers, { ...ctx, history, today });
    const c = cachedAnswer(d, this.snap.model.version);
    return { json: decisionJson(c, d.assignment), refused: c.refused };
  }

  /** The chat's next turn (O8): decide() underneath, with the customer's history as for a decision. */
  converse(req: ConversationRequest): ConversationReply & { model: number } {
    const today = Math.floor(this.clock().getTime() / DAY_MS);
    const c = req.context;
    const history = c.customer ? this.snap.histories.get(c.customer.id) : undefined;
    const context = { ...c, today, ...(history ? { history } : {}) };
    return {
      ...converse(this.snap.model, this.snap.offers, { ...req, context }),
      model: this.snap.model.version,
    };
  }

  recommend(q: { cart: string[]; page: Page; k: number }): RecResult & { model: number } {
    return { model: this.snap.model.version, ...recommend(this.snap.model, q) };
  }

  get cacheStats(): { hits: number; misses: number } {
    return { hits: this.cache.hits, misses: this.cache.misses };
  }
}
