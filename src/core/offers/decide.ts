import { assign } from '../experiments/assign.js';
import { applyExperiments, type Exposure } from '../experiments/config.js';
import { formatMoney } from '../money.js';
import { DAY_MS, toIsoDate } from '../time.js';
import type { RecsModel } from '../recs/model.js';
import { joinProbability } from '../recs/recommend.js';
import { type OfferConfig, resolvedVariants } from './config.js';
import { infoFor } from './info.js';
import { indexOfItem, itemsById } from './items.js';
import type { AnyOfferKind, Candidate, KindContext } from './kind.js';
import { OFFER_KINDS } from './registry.js';
import { renderTemplate } from './templates/render.js';
import { DISTRACTION } from './response.js';
import type { Assignment, DecideContext, Decision, Note, Offer, Refusal } from './types.js';

export type { CartLine, DecideContext, Decision, Info, Note, Offer, Refusal } from './types.js';
export { infoFor } from './info.js';
export { itemsById } from './items.js';

/**
 * Which offers to show for this page and cart: at most maxOffersPerDecision, each with its expected
 * incremental profit per session and a coded reason; a candidate predicted to cost more (in conversion and
 * discount) than it adds is refused, and so is one the cap leaves out. Pure: the snapshot, the configuration
 * and the kinds are plain data.
 */
export function decide(
  model: RecsModel,
  config: OfferConfig,
  ctx: DecideContext,
  kinds: readonly AnyOfferKind[] = OFFER_KINDS,
  /** This context's assignment when the caller has it already (assignmentOf(config, ctx)). */
  assigned?: Assignment,
): Decision {
  const assignment = assigned ?? assignmentOf(config, ctx);
  const notes = unknownNotes(model, ctx);
  if (assignment.inHoldout) {
    return {
      offers: [],
      currency: config.currency,
      reasonCode: 'HOLDOUT',
      reason: 'holdout: this unit is in the global holdout and gets no personalised offer',
      assignment,
      refused: [],
      notes,
      info: infoFor(model, config, ctx),
      experiments: [],
    };
  }
  // The unit's experiment variants shape everything after this point, the shipping line included.
  const applied = experimentsOf(config, ctx);
  const experiments = applied.exposures;
  config = applied.config;
  const info = infoFor(model, config, ctx);
  const k = kindContext(model, config, ctx);
  const scored: Candidate[] = [];
  const fillers: Candidate[] = [];
  for (const kind of kinds) (kind.fillsRemaining ? fillers : scored).push(...kind.candidates(k));
  const refused: Refusal[] = [];
  const worthIt = scored.filter((o) => {
    if (o.noEvidence) {
      refused.push({
        id: o.id,
        type: o.type,
        expectedProfitMinor: o.expectedProfitMinor,
        code: 'NO_EVIDENCE',
        reason: 'no evidence: nothing in this cart has been bought with it often enough to give it a value',
      });
      return false;
    }
    if (o.expectedProfitMinor > 0) return true;
    refused.push({
      id: o.id,
      type: o.type,
      expectedProfitMinor: o.expectedProfitMinor,
      code: 'FAILS_RPS_TEST',
      reason: 'fails the RPS test: it is expected to cost more in discount and conversion than it adds',
    });
    return false;
  });
  const ranked = worthIt.sort((x, y) => y.expectedProfitMinor - x.expectedProfitMinor);
  const max = config.maxOffersPerDecision;
  const offers = ranked.slice(0, max);
  for (const o of ranked.slice(max)) {
    refused.push({
      id: o.id,
      type: o.type,
      expectedProfitMinor: o.expectedProfitMinor,
      code: 'OVER_MAX_OFFERS',
      reason:
        `${max} offer(s) at most per decision, and ${offers.length} ` +
        `${offers.length === 1 ? 'is' : 'are'} worth more`,
    });
  }
  for (const f of fillers) if (offers.length < max) offers.push(f);
  // Expected values are projections; the answer carries them as whole minor units (+ 0 turns a rounded -0
  // into 0).
  for (const o of offers) {
    o.expectedProfitMinor = Math.round(o.expectedProfitMinor) + 0;
    o.fields ??= {};
  }
  for (const r of refused) r.expectedProfitMinor = Math.round(r.expectedProfitMinor) + 0;
  const [reasonCode, reason] = offers.length
    ? (['OFFERS', `${offers.length} offer(s), best expected profit first`] as const)
    : refused.some((r) => r.code === 'FAILS_RPS_TEST' || r.code === 'NO_EVIDENCE')
      ? (['ALL_REFUSED', 'no offer: every candidate failed the RPS test or had no evidence'] as const)
      : refused.length
        ? (['ALL_REFUSED', 'no offer: the configuration allows none per decision'] as const)
        : (['NONE_APPLIES', 'no offer applies to this page and cart'] as const);
  return {
    offers: offers as Offer[],
    currency: config.currency,
    reasonCode,
    reason,
    assignment,
    refused,
    notes,
    info,
    experiments,
  };
}

/**
 * The experiments this request's unit is in today (ctx.today, days since the epoch; without it none runs) and
 * the configuration its variants make. The decision cache keys on the exposures, so it is cheap: one hash each.
 */
export function experimentsOf(
  config: OfferConfig,
  ctx: Pick<DecideContext, 'customer' | 'sessionId' | 'today'>,
): { config: OfferConfig; exposures: Exposure[] } {
  if (!config.experiments.length || ctx.today == null) return { config, exposures: [] };
  return applyExperiments(
    config,
    config.experiments,
    resolvedVariants(config),
    { sessionId: ctx.sessionId, customerId: ctx.customer?.id ?? null },
    toIsoDate(ctx.today * DAY_MS),
  );
}

function kindContext(model: RecsModel, config: OfferConfig, ctx: DecideContext): KindContext {
  const byId = itemsById(model);
  const assumed = config.economics.defaultMarginPercent / 100;
  const margin = (id: string, price: number) => {
    const it = byId.get(id);
    return it?.costMinor != null ? price - it.costMinor : price * assumed;
  };
  const subtotal = ctx.cart.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0);
  const cartMargin = ctx.cart.reduce((s, l) => s + margin(l.productId, l.unitPriceMinor) * l.quantity, 0);
  const cartIds = ctx.cart.map((l) => l.productId);
  const textOptions = {
    channel: 'web' as const,
    locale: config.locale,
    currency: config.currency,
    overrides: config.templates,
  };
  const knownCart: number[] = [];
  for (const id of cartIds) {
    const i = indexOfItem(model, id);
    if (i !== undefined) knownCart.push(i);
  }
  return {
    model,
    config: config as KindContext['config'],
    ctx,
    currency: config.currency,
    subtotal,
    cartMargin,
    risk: DISTRACTION[ctx.page] * cartMargin,
    cartIds,
    knownCart,
    margin,
    marginBasis: (ids) =>
      ids.every((id) => byId.get(id)?.costMinor != null) ? 'product-cost' : 'assumed-margin',
    baseline: (id) => {
      const j = indexOfItem(model, id);
      if (j === undefined) return { probability: 0, evidence: false };
      const p = joinProbability(model, knownCart, j);
      return p == null
        ? { probability: model.items[j]!.count / Math.max(1, model.baskets), evidence: false }
        : { probability: p, evidence: true };
    },
    item: (id) => ({
      productId: id,
      title: byId.get(id)?.title ?? null,
      priceMinor: byId.get(id)?.priceMinor ?? null,
    }),
    price: (id) => byId.get(id)?.priceMinor ?? null,
    money: (minor) => formatMoney(minor, config.currency),
    text: (type, fields) => renderTemplate(type, fields, textOptions),
  };
}

/** E1 for this request: the unit is the customer when known, else the session. */
export function assignmentOf(
  config: OfferConfig,
  ctx: Pick<DecideContext, 'customer' | 'sessionId'>,
): Assignment {
  return assignUnit(config, ctx.customer?.id ?? ctx.sessionId);
}

/** E1 for a unit (customer id, else session id): every place that needs a unit's group asks here. */
export function assignUnit(config: OfferConfig, unit: string): Assignment {
  const a = assign({
    experiment: config.experiment,
    unit,
    holdoutShare: config.holdoutShare,
    variants: [{ id: 'offers', weight: 1 }],
  });
  return { unit, inHoldout: a.inHoldout, bucket: a.bucket };
}

function unknownNotes(model: RecsModel, ctx: DecideContext): Note[] {
  const byId = itemsById(model);
  const notes: Note[] = [];
  for (const l of ctx.cart) {
    if (!byId.has(l.productId))
      notes.push({
        code: 'UNKNOWN_PRODUCT',
        productId: l.productId,
        text: `unknown product ${l.productId}: ignored for recommendations`,
      });
  }
  return notes;
}

/**
 * Everything in a context that the answer depends on, besides the unit's group (not the session or customer
 * id).
 */
export function offerKey(ctx: DecideContext): string {
  let k = `${ctx.page}|${ctx.productId ?? ''}|${ctx.visitorType ?? ''}|${ctx.exiting ? 1 : 0}|${ctx.customer?.spendMinor ?? ''}|${ctx.customer?.firstName ?? ''}`;
  for (const l of ctx.cart) k += `|${l.productId}:${l.quantity}:${l.unitPriceMinor}`;
  return k;
}
