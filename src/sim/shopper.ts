import type { EventRow, OrderLineRow, OrderRow, SessionRow } from '../core/model/rows.js';
import type { Device, EventType } from '../core/model/tables.js';
import { BY_ID, COMPLEMENTS, PRODUCTS, type SimProduct } from './catalog.js';
import { CHANNELS, COUNTRIES, FUNNEL, type DayParams } from './params.js';
import { Rng, seedOf } from '../core/rng.js';
import { BOT_UA, HUMAN_UA } from './user-agents.js';
import { assign } from '../core/experiments/assign.js';

/** The simulated server's holdout hash: any fixed name does, as long as every visit of a customer uses it. */
const HOLDOUT_SALT = 'levers-sim-holdout';
const ONE = [{ id: 'offers', weight: 1 }];

export interface Visitor {
  customerId: string | null;
  returning: boolean;
  /**
   * How keen this shopper is, for life: multiplies the chance of adding to cart on every visit (1 when the store
   * is simulated without differences between shoppers). What makes a customer's past spend predict the next.
   */
  appetite?: number;
}

export interface SessionOutcome {
  session: SessionRow;
  events: EventRow[];
  order: OrderRow | null;
  lines: OrderLineRow[];
  isBot: boolean;
  /** Offers were withheld from this session (the global holdout). */
  holdout: boolean;
  costOfGoodsMinor: number;
  /** What shipping the order cost the store (the fee, whether charged or absorbed). */
  shippingCostMinor: number;
}

interface CartLine {
  product: SimProduct;
  quantity: number;
  unitPrice: number;
}

const BY_TOP = new Map<string, SimProduct[]>();
for (const p of PRODUCTS) {
  const top = p.category.split('/')[0]!;
  BY_TOP.set(top, [...(BY_TOP.get(top) ?? []), p]);
}
const TOPS = [...BY_TOP.keys()];
/** The weights drawn from, computed once rather than per session (the same numbers, so the same draws). */
const POPULARITY = new Map<SimProduct[], number[]>(
  [...BY_TOP.values()].map((l) => [l, l.map((x) => x.popularity)]),
);
const CHANNEL_SHARES = CHANNELS.map((c) => c[1]);
const COUNTRY_SHARES = COUNTRIES.map((c) => c[1]);
const TOP_WEIGHTS = TOPS.map((t) => (t === 'coffee' ? 3 : t === 'skincare' ? 2 : 1));
/**
 * Shoppers within this share of the threshold consider topping up; the closer, the likelier (up to
 * BRIDGE_MAX).
 */
const BRIDGE_BAND = 0.5;
const BRIDGE_MAX = 0.65;
const HOURS = [1, 1, 1, 1, 1, 2, 3, 4, 5, 6, 6, 6, 7, 7, 6, 6, 6, 7, 8, 9, 9, 8, 5, 3];

export interface SessionInput {
  id: string;
  dayStartMs: number;
  params: DayParams;
  visitor: Visitor;
  currency: string;
  bot: boolean;
  /** Bots come in bursts: sessions of one burst share this start time. */
  burstStartMs?: number;
  intent?: number;
}

/** One visit, from landing to (maybe) an order. Pure: everything random comes from rng. */
export function simulateSession(rng: Rng, input: SessionInput): SessionOutcome {
  if (input.bot) return botSession(rng, input);
  const p = input.params;
  const device = (['desktop', 'mobile', 'tablet'] as const)[
    rng.weighted([p.deviceShare.desktop, p.deviceShare.mobile, p.deviceShare.tablet])
  ]!;
  const [channel, , channelFactor] = CHANNELS[rng.weighted(CHANNEL_SHARES)]!;
  const top = TOPS[rng.weighted(TOP_WEIGHTS)]!;
  const start = input.dayStartMs + rng.weighted(HOURS) * 3_600_000 + rng.int(0, 3_599_999);
  const f = FUNNEL[device];
  const events: EventRow[] = [];
  let t = start;
  const ev = (
    type: EventType,
    productId: string | null = null,
    quantity: number | null = null,
    value: number | null = null,
    offerId: string | null = null,
    clock: Rng = rng,
  ) => {
    t += clock.int(3_000, 90_000);
    events.push({
      event_id: `${input.id}-${events.length + 1}`,
      session_id: input.id,
      occurred_at: t,
      type,
      product_id: productId,
      quantity,
      value,
      currency: input.currency,
      offer_id: offerId,
    });
  };
  const landingKind = rng.weighted([3, 4, 4, 1]);
  const browsed = BY_TOP.get(top)!;
  const popularity = POPULARITY.get(browsed)!;
  const landingProduct = landingKind === 2 ? browsed[rng.weighted(popularity)]! : null;
  const landing = ['/', `/collections/${top}`, `/products/${landingProduct?.id}`, `/blog/${top}-guide`][
    landingKind
  ]!;
  ev('page_view');
  const views = 1 + rng.geometric(device === 'mobile' ? 0.45 : 0.35);
  for (let i = 0; i < views; i++) {
    const v = i === 0 && landingProduct ? landingProduct : browsed[rng.weighted(popularity)]!;
    ev('product_view', v.id, null, v.price);
  }
  const coupon = p.coupon?.channels.includes(channel) && rng.chance(p.coupon.uptake) ? p.coupon : null;
  const returningFactor = input.visitor.returning ? 1.7 : 1;
  // As levers serve assigns it: a known customer keeps one group on every visit (by the hash of the customer id);
  // a new visitor's session draws its own. The draw is made either way, so the rest of the session is unchanged.
  const drawn = p.offersEnabled && rng.chance(p.holdoutShare);
  const holdout = !p.offersEnabled
    ? true
    : input.visitor.customerId
      ? assign({
          experiment: HOLDOUT_SALT,
          unit: input.visitor.customerId,
          holdoutShare: p.holdoutShare,
          variants: ONE,
        }).inHoldout
      : drawn;
  const pageViews = 1 + views + rng.int(0, 3);
  const cart: CartLine[] = [];
  const outcome = (order: OrderRow | null, lines: OrderLineRow[]): SessionOutcome => ({
    session: {
      session_id: input.id,
      customer_id: input.visitor.customerId,
      started_at: start,
      device,
      channel,
      landing_page: landing,
      country: COUNTRIES[rng.weighted(COUNTRY_SHARES)]![0],
      user_agent: rng.pick(HUMAN_UA[device]),
      duration_s: Math.round((t - start) / 1000) + rng.int(5, 60),
      page_views:
        pageViews + events.filter((e) => e.type !== 'product_view' && e.type !== 'page_view').length,
      assignment: p.offersEnabled ? (holdout ? 'holdout' : 'treatment') : null,
    },
    events,
    order,
    lines,
    isBot: false,
    holdout,
    costOfGoodsMinor:
      order && order.status !== 'refunded' ? cart.reduce((s, c) => s + c.product.cost * c.quantity, 0) : 0,
    shippingCostMinor: order ? p.shippingFeeMinor : 0,
  });
  if (
    !rng.chance(
      Math.min(
        0.9,
        f.addToCart *
          (input.intent ?? 1) *
          (input.visitor.appetite ?? 1) *
          channelFactor *
          returningFactor *
          (coupon ? 1.3 : 1),
      ),
    )
  )
    return outcome(null, []);

  const add = (prod: SimProduct, qty: number, unitPrice = prod.price, clock: Rng = rng) => {
    const existing = cart.find((c) => c.product.id === prod.id);
    if (existing) existing.quantity += qty;
    else cart.push({ product: prod, quantity: qty, unitPrice });
    ev('add_to_cart', prod.id, qty, unitPrice * qty, null, clock);
  };
  const primary = pickPrimary(rng, browsed, f.premiumShare);
  if (p.bundle?.items.includes(primary.id.replace(/-plus$/, '')) && rng.chance(p.bundle.takeRate)) {
    const bundlePrice = Math.round(
      p.bundle.items.reduce((s, id) => s + BY_ID.get(id)!.price, 0) * (1 - p.bundle.percentOff / 100),
    );
    add(
      {
        ...BY_ID.get(p.bundle.items[0]!)!,
        id: p.bundle.id,
        title: p.bundle.title,
        price: bundlePrice,
        family: null,
      },
      1,
    );
  } else {
    add(primary, primary.consumable ? 1 + Math.min(3, rng.geometric(0.6)) : 1);
  }
  for (const [cid, w] of COMPLEMENTS[primary.id] ?? []) {
    if (rng.chance(w * f.complementFactor * (input.visitor.returning ? 1.1 : 1))) {
      const c = BY_ID.get(cid)!;
      add(c, c.consumable ? 1 + Math.min(2, rng.geometric(0.7)) : 1);
    }
  }
  if (rng.chance(f.extraItem)) {
    const other = TOPS[rng.weighted(TOP_WEIGHTS)]!;
    const list = BY_TOP.get(other)!;
    add(pickPrimary(rng, list, f.premiumShare), 1);
  }
  // A cross-sell offer for the strongest complement not yet in the cart.
  if (!holdout && rng.chance(0.6)) {
    const inCart = new Set(cart.map((c) => c.product.id));
    const cand = cart
      .flatMap((c) => COMPLEMENTS[c.product.id] ?? [])
      .filter(([id]) => !inCart.has(id))
      .sort((a, b) => b[1] - a[1])[0];
    if (cand) {
      const prod = BY_ID.get(cand[0])!;
      const offerId = `cross-sell:${prod.id}`;
      ev('offer_shown', prod.id, 1, prod.price, offerId);
      if (rng.chance(device === 'desktop' ? 0.16 : 0.11)) {
        ev('offer_accepted', prod.id, 1, prod.price, offerId);
        add(prod, 1);
      } else ev('offer_declined', prod.id, null, null, offerId);
    }
  }
  const subtotal = () => cart.reduce((s, c) => s + c.unitPrice * c.quantity, 0);
  const threshold = p.freeShippingThresholdMinor;
  let gap = threshold - subtotal();
  // Topping up draws from its own stream, seeded by one draw every cart makes, and so do the timestamps of
  // the progress bar's events: the checkout, purchase and after-sale draws are the same whatever the
  // threshold, so replays under other thresholds (the truth's grid) differ only by what the threshold causes
  // (common random numbers), not by reshuffled luck.
  // (hashed: a generator seeded with a raw draw starts biased, its first outputs all below 0.5).
  const topUpRng = new Rng(seedOf(rng.int(0, 0x7fffffff), 'top-up'));
  if (gap > 0 && gap <= BRIDGE_BAND * threshold) {
    const bar = !holdout;
    if (bar) ev('offer_shown', null, null, gap, 'free-shipping-progress', topUpRng);
    const bridge =
      BRIDGE_MAX *
      f.bridgeFactor *
      (p.topUpFactor ?? 1) *
      (1 - gap / (BRIDGE_BAND * threshold)) *
      (bar ? 1.3 : 1);
    if (topUpRng.chance(bridge)) {
      const filler = pickFiller(topUpRng, cart, gap);
      const qty = Math.ceil(gap / filler.price) > 3 ? 1 : Math.max(1, Math.ceil(gap / filler.price));
      add(filler, qty, filler.price, topUpRng);
      if (bar) ev('offer_accepted', filler.id, null, null, 'free-shipping-progress', topUpRng);
    }
    gap = threshold - subtotal();
  }
  const belowThreshold = gap > 0;
  if (!rng.chance(f.checkout)) return outcome(null, []);
  ev('begin_checkout', null, null, subtotal());
  const purchase =
    f.purchase * (belowThreshold ? 0.78 : 1) * (coupon ? 1.15 : 1) * (input.visitor.returning ? 1.1 : 1);
  if (!rng.chance(Math.min(0.97, purchase))) return outcome(null, []);
  const gross = subtotal();
  const discount = coupon ? Math.round((gross * coupon.percentOff) / 100) : 0;
  const shipping = belowThreshold ? p.shippingFeeMinor : 0;
  const tax = Math.round((gross - discount) * p.taxRate);
  ev(
    'purchase',
    null,
    cart.reduce((s, c) => s + c.quantity, 0),
    gross - discount,
  );
  const orderId = `o${input.id.slice(1)}`;
  const order: OrderRow = {
    order_id: orderId,
    customer_id: input.visitor.customerId,
    session_id: input.id,
    placed_at: t,
    currency: input.currency,
    gross_merchandise: gross,
    discount,
    shipping,
    tax,
    refunded: 0,
    status: 'paid',
    kind: 'sale',
    country: null,
    discount_code: coupon?.code ?? null,
  };
  afterSale(rng, order, cart);
  const lines: OrderLineRow[] = cart.map((c, i) => ({
    order_id: orderId,
    line_no: i + 1,
    product_id: c.product.id,
    sku: c.product.id.toUpperCase(),
    title: c.product.title,
    quantity: c.quantity,
    unit_price: c.unitPrice,
    line_discount: coupon ? Math.round((c.unitPrice * c.quantity * coupon.percentOff) / 100) : 0,
    currency: input.currency,
    line_type: 'product',
  }));
  const out = outcome(order, lines);
  order.country = out.session.country;
  return out;
}

/** Per category list: the products a cart starts from, and their weights. */
const PRIMARY_POOLS = new Map<SimProduct[], { pool: SimProduct[]; weights: number[] }>(
  [...BY_TOP.values()].map((list) => {
    const anchors = list.filter(
      (x) => !x.filler || x.category.includes('beans') || x.category.includes('leaves'),
    );
    const pool = anchors.length ? anchors : list;
    return [list, { pool, weights: pool.map((x) => x.popularity) }];
  }),
);

function pickPrimary(rng: Rng, list: SimProduct[], premiumShare: number): SimProduct {
  const { pool, weights } = PRIMARY_POOLS.get(list)!;
  const chosen = pool[rng.weighted(weights)]!;
  if (chosen.family && !chosen.premium && rng.chance(premiumShare)) {
    return PRODUCTS.find((x) => x.family === chosen.family && x.premium) ?? chosen;
  }
  return chosen;
}

/** The cheapest complementary filler that closes the gap, else the priciest filler below it. */
function pickFiller(rng: Rng, cart: CartLine[], gap: number): SimProduct {
  const comp = new Set(cart.flatMap((c) => (COMPLEMENTS[c.product.id] ?? []).map(([id]) => id)));
  const fillers = PRODUCTS.filter((x) => x.filler);
  const preferred = fillers.filter((x) => comp.has(x.id));
  const pool = preferred.length && rng.chance(0.7) ? preferred : fillers;
  const closing = pool.filter((x) => x.price >= gap).sort((a, b) => a.price - b.price);
  return closing[0] ?? pool.sort((a, b) => b.price - a.price)[0]!;
}

/** Refunds and cancellations as they later happen to a share of orders. */
function afterSale(rng: Rng, order: OrderRow, cart: CartLine[]): void {
  const x = rng.next();
  if (x < 0.01) order.status = 'cancelled';
  else if (x < 0.035) {
    order.status = 'refunded';
    order.refunded = (order.gross_merchandise ?? 0) - order.discount;
  } else if (x < 0.055 && cart.length > 1) {
    const line = cart[cart.length - 1]!;
    order.status = 'partially_refunded';
    order.refunded = Math.round(
      line.unitPrice * line.quantity * (1 - order.discount / (order.gross_merchandise ?? 1)),
    );
  } else order.status = rng.chance(0.9) ? 'fulfilled' : 'paid';
}

function botSession(rng: Rng, input: SessionInput): SessionOutcome {
  const start = input.burstStartMs ?? input.dayStartMs + rng.int(0, 86_399_999);
  const pages = 1 + rng.int(3, 40);
  const events: EventRow[] = [];
  for (let i = 0; i < Math.min(pages, 12); i++) {
    const prod = rng.chance(0.5) ? rng.pick(PRODUCTS) : null;
    events.push({
      event_id: `${input.id}-${i + 1}`,
      session_id: input.id,
      occurred_at: start,
      type: prod ? 'product_view' : 'page_view',
      product_id: prod?.id ?? null,
      quantity: null,
      value: null,
      currency: input.currency,
      offer_id: null,
    });
  }
  const device: Device = 'desktop';
  return {
    session: {
      session_id: input.id,
      customer_id: null,
      started_at: start,
      device,
      channel: rng.chance(0.7) ? 'direct' : 'referral',
      landing_page: rng.chance(0.5) ? '/' : `/products/${rng.pick(PRODUCTS).id}`,
      country: rng.chance(0.6) ? 'US' : rng.pick(['DE', 'NL', 'IE', 'SG']),
      user_agent: rng.pick(BOT_UA),
      duration_s: 0,
      page_views: pages,
      assignment: null,
    },
    events,
    order: null,
    lines: [],
    isBot: true,
    holdout: false,
    costOfGoodsMinor: 0,
    shippingCostMinor: 0,
  };
}
