import { assign } from '../experiments/assign.js';
import { formatMoney as fmt } from '../money.js';
import { customerHabits, habitItems, type PastOrder } from '../recs/habits.js';
import type { RecsModel } from '../recs/model.js';
import { fillers, postPurchase, recommend, type Page } from '../recs/recommend.js';
import type { OfferConfig } from './config.js';

export interface CartLine {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
}

export interface DecideContext {
  page: Page;
  sessionId: string;
  /** The product on a product page. */
  productId?: string;
  /** The customer's recent orders and today (days since the epoch), for habits and reorders; the server fills them. */
  history?: readonly PastOrder[];
  today?: number;
  cart: readonly CartLine[];
  customer?: { id: string; spendMinor?: number; firstName?: string };
  visitorType?: 'new' | 'returning' | 'customer' | 'vip';
  exiting?: boolean;
}

export type OfferType = 'free-shipping-progress' | 'loyalty-proximity' | 'volume-tier' | 'bundle' | 'segment-message' | 'cross-sell' | 'post-purchase' | 'cart-recovery'
  | 'reorder' | 'habit';

export interface Offer {
  id: string;
  type: OfferType;
  text: string;
  items: { productId: string; title: string | null; priceMinor: number | null }[];
  actions: { accept: string; decline: string };
  /** O9: expected incremental profit per session of showing it (margin, discount, shipping absorbed, conversion risk). */
  expectedProfitMinor: number;
  reason: string;
  /** The discount the storefront applies when the shopper accepts (bundles and volume tiers). */
  percentOff?: number;
}

export interface Decision {
  offers: Offer[];
  reason: string;
  assignment: { unit: string; inHoldout: boolean; bucket: number };
  /** Candidates that failed the RPS test, with why: "no offer" is an answer with its reasons. */
  refused: { id: string; type: OfferType; expectedProfitMinor: number; reason: string }[];
  /** Products in the cart that the snapshot does not know: ignored for recommendations, never an error. */
  notes: string[];
  /** O6: what a shopper should know before buying; not an offer, shown to every group, holdout included. */
  info: Info;
}

export interface Info {
  shipping: string | null;
  delivery: string | null;
  returns: string | null;
  stock: { productId: string; text: string }[];
}

const indexes = new WeakMap<RecsModel, Map<string, RecsModel['items'][number]>>();
/** The snapshot's items by id, built once per snapshot: the hot path allocates no index. */
export function itemsById(model: RecsModel): Map<string, RecsModel['items'][number]> {
  let ix = indexes.get(model);
  if (!ix) indexes.set(model, (ix = new Map(model.items.map((it) => [it.id, it]))));
  return ix;
}

/** Shopper response assumptions (the same as the report's M12 estimate states). */
export const RESPONSE = { bridgeAtThreshold: 0.45, band: 0.5, abandonWhenCharged: 0.22, volumeTake: 0.15, bundleTake: 0.2, loyaltyTake: 0.2 };
/** Chance an offer distracts from the purchase, by page: the conversion it can cost. */
export const DISTRACTION: Record<Page, number> = { product: 0.002, cart: 0.004, checkout: 0.015, thankyou: 0 };

const positions = new WeakMap<RecsModel, Map<string, number>>();
function indexOfItem(model: RecsModel, id: string): number {
  let ix = positions.get(model);
  if (!ix) positions.set(model, (ix = new Map(model.items.map((it, i) => [it.id, i]))));
  return ix.get(id)!;
}

const render = (template: string, fields: Record<string, string>) => template.replace(/\{(\w+)\}/g, (_, k: string) => fields[k] ?? '');

/**
 * Which offers to show for this page and cart: at most maxOffersPerDecision, each with its expected incremental
 * profit per session; an offer predicted to cost more (in conversion and discount) than it adds is refused.
 * Pure: the snapshot and configuration are plain data, the decision is a value with reasons.
 */
export function decide(model: RecsModel, config: OfferConfig, ctx: DecideContext): Decision {
  const assignment = assignmentOf(config, ctx);
  return { ...(assignment.inHoldout ? heldOut(model, config, ctx) : treatedOffers(model, config, ctx)), assignment };
}

/** E1 for this request: the unit is the customer when known, else the session. */
export function assignmentOf(config: OfferConfig, ctx: Pick<DecideContext, 'customer' | 'sessionId'>): Decision['assignment'] {
  return assignUnit(config, ctx.customer?.id ?? ctx.sessionId);
}

/** E1 for a unit (customer id, else session id): every place that needs a unit's group asks here. */
export function assignUnit(config: OfferConfig, unit: string): Decision['assignment'] {
  const a = assign({ experiment: config.experiment, unit, holdoutShare: config.holdoutShare, variants: [{ id: 'offers', weight: 1 }] });
  return { unit, inHoldout: a.inHoldout, bucket: a.bucket };
}

export type Offers = Omit<Decision, 'assignment'>;

/** The holdout's answer: no personalised offer, whatever the cart. */
export function heldOut(model: RecsModel, config: OfferConfig, ctx: DecideContext): Offers {
  return { offers: [], reason: 'holdout: this unit is in the global holdout and gets no personalised offer', refused: [], notes: unknownNotes(model, ctx), info: infoFor(model, config, ctx) };
}

/** O6: shipping cost and the free-shipping line, delivery estimate, return policy, and low or no stock. */
export function infoFor(model: RecsModel, config: OfferConfig, ctx: DecideContext): Info {
  const c = config.currency;
  const fs = config.freeShipping;
  const subtotal = ctx.cart.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0);
  const shipping = !fs ? null : subtotal >= fs.thresholdMinor ? 'Free shipping on this order'
    : `Shipping ${fmt(fs.shippingFeeMinor, c)}, free on orders over ${fmt(fs.thresholdMinor, c)}`;
  const d = config.info.deliveryDays;
  const delivery = !d ? null : d.min === d.max ? `Arrives in ${d.min} ${d.min === 1 ? 'day' : 'days'}` : `Arrives in ${d.min}–${d.max} days`;
  const byId = itemsById(model);
  const stock: Info['stock'] = [];
  const ids = ctx.productId && ctx.page === 'product' ? [ctx.productId, ...ctx.cart.map((l) => l.productId)] : ctx.cart.map((l) => l.productId);
  for (const id of new Set(ids)) {
    const n = byId.get(id)?.stock;
    if (n == null || n >= config.info.lowStockBelow) continue;
    stock.push({ productId: id, text: n <= 0 ? 'Out of stock' : `Only ${n} left` });
  }
  return { shipping, delivery, returns: config.info.returnPolicy ?? null, stock };
}

function unknownNotes(model: RecsModel, ctx: DecideContext): string[] {
  const byId = itemsById(model);
  const notes: string[] = [];
  for (const l of ctx.cart) if (!byId.has(l.productId)) notes.push(`unknown product ${l.productId}: ignored for recommendations`);
  return notes;
}

/** Everything in a context that the treated answer depends on (not the session or customer id). */
export function offerKey(ctx: DecideContext): string {
  let k = `${ctx.page}|${ctx.productId ?? ''}|${ctx.visitorType ?? ''}|${ctx.exiting ? 1 : 0}|${ctx.customer?.spendMinor ?? ''}|${ctx.customer?.firstName ?? ''}`;
  for (const l of ctx.cart) k += `|${l.productId}:${l.quantity}:${l.unitPriceMinor}`;
  return k;
}

/** The answer for a treated unit. */
export function treatedOffers(model: RecsModel, config: OfferConfig, ctx: DecideContext): Offers {
  const byId = itemsById(model);
  const notes = unknownNotes(model, ctx);
  const margin = (id: string, price: number) => {
    const it = byId.get(id);
    return it?.costMinor != null ? price - it.costMinor : price * 0.4; // without costs, a 40% margin is assumed and said
  };
  const subtotal = ctx.cart.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0);
  const cartMargin = ctx.cart.reduce((s, l) => s + margin(l.productId, l.unitPriceMinor) * l.quantity, 0);
  const risk = DISTRACTION[ctx.page] * cartMargin;
  const c = config.currency;
  const cand: Offer[] = [];
  const item = (id: string) => ({ productId: id, title: byId.get(id)?.title ?? null, priceMinor: byId.get(id)?.priceMinor ?? null });
  const cartIds = ctx.cart.map((l) => l.productId);

  const fs = config.freeShipping;
  if (fs && ctx.page !== 'thankyou' && subtotal > 0) {
    const gap = fs.thresholdMinor - subtotal;
    if (gap > 0 && gap <= fs.showWithinShare * fs.thresholdMinor) {
      const f = fillers(model, ctx.cart.map((l) => l.productId).filter((id) => byId.has(id)).map((id) => indexOfItem(model, id)), gap, 2);
      const p = RESPONSE.bridgeAtThreshold * Math.max(0, 1 - gap / (RESPONSE.band * fs.thresholdMinor));
      const fillerMargin = f[0]?.priceMinor != null ? margin(f[0].id, f[0].priceMinor) : margin('', gap);
      // Bridged: filler margin gained, the fee no longer charged; and the carts that would have been abandoned over shipping.
      const ev = p * (fillerMargin - fs.shippingFeeMinor) + p * RESPONSE.abandonWhenCharged * cartMargin - risk;
      cand.push({ id: 'free-shipping-progress', type: 'free-shipping-progress', text: `You're ${fmt(gap, c)} away from free shipping`,
        items: f.map((x) => item(x.id)), actions: { accept: 'add_to_cart', decline: 'dismiss' }, expectedProfitMinor: ev,
        reason: `cart ${fmt(subtotal, c)} is ${Math.round((gap / fs.thresholdMinor) * 100)}% short of the ${fmt(fs.thresholdMinor, c)} threshold; ${Math.round(p * 100)}% expected to top up` });
    }
  }
  const loyalty = config.loyalty;
  if (loyalty && ctx.customer?.spendMinor != null && ctx.page !== 'thankyou') {
    const spend = ctx.customer.spendMinor + subtotal;
    const next = [...loyalty.tiers].sort((x, y) => x.minSpendMinor - y.minSpendMinor).find((t) => t.minSpendMinor > spend);
    if (next && next.minSpendMinor - spend <= loyalty.proximityBand * next.minSpendMinor) {
      const need = next.minSpendMinor - spend;
      const ev = RESPONSE.loyaltyTake * need * (cartMargin / Math.max(1, subtotal)) - risk;
      cand.push({ id: `loyalty-proximity:${next.name}`, type: 'loyalty-proximity', text: `Add ${fmt(need, c)} to unlock ${next.name}`, items: [],
        actions: { accept: 'browse', decline: 'dismiss' }, expectedProfitMinor: ev, reason: `${fmt(need, c)} from ${next.name}, within the ${Math.round(loyalty.proximityBand * 100)}% band` });
    }
  }
  for (const line of ctx.cart) {
    const tier = [...config.volumeTiers].sort((x, y) => x.minQuantity - y.minQuantity).find((t) => t.minQuantity > line.quantity);
    if (!tier || tier.minQuantity - line.quantity > 1 || ctx.page === 'thankyou') continue;
    const m = margin(line.productId, line.unitPriceMinor);
    // One more unit adds its margin, but the tier's discount then applies to every unit.
    const ev = RESPONSE.volumeTake * (m * (tier.minQuantity - line.quantity) - (tier.percentOff / 100) * line.unitPriceMinor * tier.minQuantity) - risk;
    cand.push({ id: `volume-tier:${line.productId}:${tier.minQuantity}`, type: 'volume-tier', text: `Buy ${tier.minQuantity}, save ${tier.percentOff}%: add one more`,
      items: [item(line.productId)], actions: { accept: 'add_to_cart', decline: 'dismiss' }, expectedProfitMinor: ev, percentOff: tier.percentOff,
      reason: `${line.quantity} in the cart, the ${tier.minQuantity}+ tier is one away` });
  }
  for (const b of config.bundles) {
    const have = b.items.filter((id) => cartIds.includes(id));
    const missing = b.items.filter((id) => !cartIds.includes(id));
    if (!have.length || !missing.length || ctx.page === 'thankyou') continue;
    const price = (id: string) => byId.get(id)?.priceMinor ?? 0;
    const full = b.items.reduce((s, id) => s + price(id), 0);
    const ev = RESPONSE.bundleTake * (missing.reduce((s, id) => s + margin(id, price(id)), 0) - (b.percentOff / 100) * full) - risk;
    cand.push({ id: `bundle:${b.id}`, type: 'bundle', text: `Complete the ${b.title}: ${b.percentOff}% off the set`, items: missing.map(item),
      actions: { accept: 'add_to_cart', decline: 'dismiss' }, expectedProfitMinor: ev, percentOff: b.percentOff, reason: `${have.length} of ${b.items.length} items of ${b.title} in the cart` });
  }
  if (ctx.page === 'thankyou') {
    const recs = postPurchase(model, cartIds.filter((id) => byId.has(id)).map((id) => indexOfItem(model, id)), subtotal, 1);
    for (const r of recs) cand.push({ id: `post-purchase:${r.id}`, type: 'post-purchase', text: `Add ${r.title ?? r.id} to your order`, items: [item(r.id)],
      actions: { accept: 'add_to_order', decline: 'dismiss' }, expectedProfitMinor: r.expectedValueMinor ?? 0, reason: r.reason });
  } else if (ctx.page !== 'checkout' && (cartIds.length || ctx.productId)) {
    // On a product page the product in view counts with the cart: "bought together" with what the shopper looks at.
    const basis = ctx.page === 'product' && ctx.productId && !cartIds.includes(ctx.productId) ? [...cartIds, ctx.productId] : cartIds;
    const r = recommend(model, { cart: basis, page: ctx.page, k: 1 }).items[0];
    if (r) {
      const type: OfferType = ctx.exiting ? 'cart-recovery' : 'cross-sell';
      cand.push({ id: `${type}:${r.id}`, type, text: ctx.exiting ? `Your cart is saved. Pair it with ${r.title ?? r.id}?` : `Goes well with your cart: ${r.title ?? r.id}`,
        items: [item(r.id)], actions: { accept: 'add_to_cart', decline: 'dismiss' }, expectedProfitMinor: (r.expectedValueMinor ?? 0) - risk, reason: r.reason });
    }
  }
  // O5 for an existing customer: their own habits and due reorders (R6) compete with the rest on expected value.
  if (ctx.history?.length && ctx.today != null && ctx.page !== 'thankyou' && ctx.page !== 'checkout') {
    const own = habitItems(customerHabits(ctx.history, cartIds, ctx.today), (id) => byId.get(id)).filter((h) => h.expectedValueMinor != null)[0];
    if (own) {
      const title = own.title ?? own.id;
      cand.push({ id: `${own.kind}:${own.id}`, type: own.kind === 'reorder' ? 'reorder' : 'habit',
        text: own.kind === 'reorder' ? `Time to restock ${title}?` : `You usually get ${title} with this`,
        items: [item(own.id)], actions: { accept: 'add_to_cart', decline: 'dismiss' }, expectedProfitMinor: own.expectedValueMinor! - risk, reason: own.reason });
    }
  }
  const segment = ctx.exiting ? 'exiting' : ctx.visitorType;
  const template = segment ? config.messages[segment] : undefined;
  const refused: Decision['refused'] = [];
  const worthIt = cand.filter((o) => {
    if (o.expectedProfitMinor > 0) return true;
    refused.push({ id: o.id, type: o.type, expectedProfitMinor: o.expectedProfitMinor, reason: 'fails the RPS test: it is expected to cost more in discount and conversion than it adds' });
    return false;
  });
  const offers = worthIt.sort((x, y) => y.expectedProfitMinor - x.expectedProfitMinor).slice(0, config.maxOffersPerDecision);
  if (template && offers.length < config.maxOffersPerDecision) {
    offers.push({ id: `segment-message:${segment}`, type: 'segment-message', text: render(template, { firstName: ctx.customer?.firstName ?? '', threshold: fs ? fmt(fs.thresholdMinor, c) : '' }),
      items: [], actions: { accept: 'dismiss', decline: 'dismiss' }, expectedProfitMinor: 0, reason: `message for ${segment} visitors` });
  }
  // Expected values are projections; the answer carries them as whole minor units.
  // + 0 turns a rounded -0 into 0, as JSON would.
  for (const o of offers) o.expectedProfitMinor = Math.round(o.expectedProfitMinor) + 0;
  for (const r of refused) r.expectedProfitMinor = Math.round(r.expectedProfitMinor) + 0;
  const reason = offers.length ? `${offers.length} offer(s), best expected profit first` : refused.length ? 'no offer: every candidate failed the RPS test' : 'no offer applies to this page and cart';
  return { offers, reason, refused, notes, info: infoFor(model, config, ctx) };
}
