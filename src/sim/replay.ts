import type { ApiEvent } from '../core/model/api-event.js';
import type { OrderLineRow } from '../core/model/rows.js';
import { Rng, seedOf } from '../core/rng.js';
import type { SessionOutcome } from './shopper.js';

/** The parts of a /v1/decide answer a storefront acts on. */
export interface ReplayDecision {
  offers: {
    id: string;
    type: string;
    items: { productId: string; priceMinor: number | null }[];
    actions: { accept: string };
    percentOff?: number;
  }[];
  assignment: { inHoldout: boolean };
}

export interface DecideRequest {
  page: 'product' | 'cart';
  sessionId: string;
  productId?: string;
  cart: { productId: string; quantity: number; unitPriceMinor: number }[];
  customer?: { id: string };
  visitorType: 'new' | 'returning';
  device: string;
}

/** The storefront's view of the server: the CLI backs it with HTTP, unit tests with decide() itself. */
export interface StorefrontApi {
  decide(req: DecideRequest): Promise<ReplayDecision>;
  events(batch: ApiEvent[]): Promise<void>;
}

type Group = 'treatment' | 'holdout';
export interface ReplayTally {
  sessions: Record<Group, number>;
  orders: Record<Group, number>;
  /** Merchandise after discounts, the report's revenue without shipping and tax. */
  revenueMinor: Record<Group, number>;
  decisions: number;
  events: number;
  /** Bot sessions are not replayed: a storefront's tracking does not run for crawlers. */
  botsSkipped: number;
  offers: Record<string, { shown: number; accepted: number; declined: number }>;
}

/**
 * How a simulated shopper answers an offer: the chance of accepting by offer type, near the rates the shopper
 * model uses for its own cross-sell and free-shipping bar (11–16% and about a third). An offer whose accept
 * action is only to dismiss (a message) is shown, never accepted; a type not listed here (a new kind) is
 * accepted at DEFAULT_ACCEPT.
 */
export const DEFAULT_ACCEPT = 0.1;
export const ACCEPT: Record<string, (device: string) => number> = {
  'cross-sell': (d) => (d === 'desktop' ? 0.16 : 0.11),
  'cart-recovery': (d) => (d === 'desktop' ? 0.16 : 0.11),
  'free-shipping-progress': () => 0.3,
  bundle: () => 0.12,
  'volume-tier': () => 0.1,
  'loyalty-proximity': () => 0.1,
  reorder: () => 0.25,
  habit: () => 0.2,
};

interface Line {
  productId: string;
  quantity: number;
  unitPriceMinor: number;
  discountMinor: number;
}

/**
 * Replays one simulated session through the API the way a storefront would: decide on the first page, decide
 * again on the cart, show the offers, record what the shopper did with each, and report the purchase with its
 * lines. The shopper's answers come from a stream seeded by the session id, so a replay is reproducible.
 */
export async function replaySession(
  o: SessionOutcome,
  api: StorefrontApi,
  seed: number,
  tally: ReplayTally,
): Promise<void> {
  if (o.isBot) {
    tally.botsSkipped++;
    return;
  }
  const rng = new Rng(seedOf(seed, 'replay', o.session.session_id));
  const sid = o.session.session_id;
  const customerId = o.session.customer_id ?? undefined;
  const device = o.session.device;
  const events: ApiEvent[] = [];
  const push = (e: Omit<ApiEvent, 'idempotencyKey' | 'sessionId' | 'occurredAt'>, atMs: number) =>
    events.push({
      idempotencyKey: `${sid}-${events.length + 1}`,
      sessionId: sid,
      occurredAt: new Date(atMs).toISOString(),
      device,
      ...(customerId ? { customerId } : {}),
      ...e,
    });
  const base = {
    sessionId: sid,
    ...(customerId ? { customer: { id: customerId } } : {}),
    visitorType: (customerId ? 'returning' : 'new') as 'new' | 'returning',
    device,
  };

  const viewed = o.events.find((e) => e.type === 'product_view')?.product_id;
  const first = await api.decide({
    ...base,
    page: 'product',
    cart: [],
    ...(viewed ? { productId: viewed } : {}),
  });
  tally.decisions++;
  const group: Group = first.assignment.inHoldout ? 'holdout' : 'treatment';
  tally.sessions[group]++;
  const cart: Line[] = [];
  /** Shows each offer and records the shopper's answer; accepted items go into the cart. */
  const respond = (offers: ReplayDecision['offers'], fromMs: number) => {
    let t = fromMs;
    for (const offer of offers) {
      push({ type: 'offer_shown', offerId: offer.id }, (t += 1_000));
      count(tally, offer.type, 'shown');
      if (offer.actions.accept === 'dismiss') continue;
      const p = ACCEPT[offer.type]?.(device) ?? DEFAULT_ACCEPT;
      if (!rng.chance(p)) {
        push({ type: 'offer_declined', offerId: offer.id }, (t += 4_000));
        count(tally, offer.type, 'declined');
        continue;
      }
      push({ type: 'offer_accepted', offerId: offer.id }, (t += 4_000));
      count(tally, offer.type, 'accepted');
      for (const it of accepted(offer, cart))
        push(
          { type: 'add_to_cart', productId: it.productId, quantity: it.quantity, valueMinor: it.valueMinor },
          (t += 1_000),
        );
    }
  };
  let lastMs = o.session.started_at;
  let firstPage = true;
  for (const e of o.events) {
    if (e.type === 'begin_checkout' || e.type === 'purchase') break;
    if (e.type.startsWith('offer_')) continue; // organic runs have none; a replay makes its own
    lastMs = e.occurred_at;
    push(
      {
        type: e.type,
        ...(e.product_id ? { productId: e.product_id } : {}),
        ...(e.quantity != null ? { quantity: e.quantity } : {}),
        ...(e.value != null ? { valueMinor: e.value } : {}),
      },
      e.occurred_at,
    );
    if (firstPage) {
      firstPage = false;
      respond(first.offers, e.occurred_at + 500);
    }
    if (e.type === 'add_to_cart' && e.product_id && e.quantity) {
      const unit = Math.round((e.value ?? 0) / e.quantity);
      const line = cart.find((l) => l.productId === e.product_id);
      if (line) line.quantity += e.quantity;
      else
        cart.push({ productId: e.product_id, quantity: e.quantity, unitPriceMinor: unit, discountMinor: 0 });
    }
  }
  if (cart.length) {
    const d = await api.decide({
      ...base,
      page: 'cart',
      cart: cart.map(({ productId, quantity, unitPriceMinor }) => ({ productId, quantity, unitPriceMinor })),
    });
    tally.decisions++;
    respond(d.offers, lastMs + 1_000);
  }
  if (o.order && o.order.status !== 'cancelled' && cart.length) {
    const placed = Math.max(o.order.placed_at, lastMs + 60_000);
    const lines = mergeOrganic(cart, o.lines);
    const gross = lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
    const discount = lines.reduce((s, l) => s + l.discountMinor, 0);
    push({ type: 'begin_checkout', valueMinor: gross }, placed - 30_000);
    push(
      {
        type: 'purchase',
        orderId: `${o.order.order_id}`,
        valueMinor: gross,
        discountMinor: discount,
        shippingMinor: o.order.shipping,
        quantity: lines.reduce((s, l) => s + l.quantity, 0),
        lines: lines.map((l) => ({
          productId: l.productId,
          quantity: l.quantity,
          unitPriceMinor: l.unitPriceMinor,
          ...(l.discountMinor ? { discountMinor: l.discountMinor } : {}),
        })),
      },
      placed,
    );
    tally.orders[group]++;
    tally.revenueMinor[group] += gross - discount;
  }
  tally.events += events.length;
  await api.events(events);
}

/** What accepting an offer puts in the cart (and the discount it earns). */
function accepted(
  offer: ReplayDecision['offers'][number],
  cart: Line[],
): { productId: string; quantity: number; valueMinor: number }[] {
  const pct = (offer.percentOff ?? 0) / 100;
  if (offer.type === 'volume-tier') {
    const line = cart.find((l) => l.productId === offer.items[0]?.productId);
    if (!line) return [];
    line.quantity += 1;
    line.discountMinor = Math.round(line.quantity * line.unitPriceMinor * pct);
    return [{ productId: line.productId, quantity: 1, valueMinor: line.unitPriceMinor }];
  }
  const items = offer.type === 'bundle' ? offer.items : offer.items.slice(0, 1);
  const out = [];
  for (const it of items) {
    if (it.priceMinor == null) continue;
    cart.push({
      productId: it.productId,
      quantity: 1,
      unitPriceMinor: it.priceMinor,
      discountMinor: Math.round(it.priceMinor * pct),
    });
    out.push({ productId: it.productId, quantity: 1, valueMinor: it.priceMinor });
  }
  return out;
}

/**
 * The order is the replayed cart; the organic order's prices win where it priced a line differently
 * (bundles).
 */
function mergeOrganic(cart: Line[], organic: readonly OrderLineRow[]): Line[] {
  const price = new Map(organic.map((l) => [l.product_id, l.unit_price]));
  return cart.map((l) => ({ ...l, unitPriceMinor: price.get(l.productId) ?? l.unitPriceMinor }));
}

function count(t: ReplayTally, type: string, what: 'shown' | 'accepted' | 'declined'): void {
  (t.offers[type] ??= { shown: 0, accepted: 0, declined: 0 })[what]++;
}

export function emptyTally(): ReplayTally {
  return {
    sessions: { treatment: 0, holdout: 0 },
    orders: { treatment: 0, holdout: 0 },
    revenueMinor: { treatment: 0, holdout: 0 },
    decisions: 0,
    events: 0,
    botsSkipped: 0,
    offers: {},
  };
}

/** Replays sessions with up to `concurrency` in flight, as many shoppers browse at once. */
export async function replayAll(
  sessions: readonly SessionOutcome[],
  api: StorefrontApi,
  seed: number,
  concurrency: number,
  onSession?: (done: number) => void,
): Promise<ReplayTally> {
  const tally = emptyTally();
  let next = 0;
  let done = 0;
  const worker = async () => {
    while (next < sessions.length) {
      await replaySession(sessions[next++]!, api, seed, tally);
      onSession?.(++done);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, concurrency) }, worker));
  return tally;
}
