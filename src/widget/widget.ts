import { fetchDecision } from './client.js';
import { exponent, money } from './money.js';
import { Outbox } from './outbox.js';
import { device, randomId, sessionId } from './session.js';
import { fromShopifyCart, type ShopifyCart } from './shopify-cart.js';
import { Slot } from './slot.js';
import { TEXTS } from './texts.js';
import type {
  CartLine,
  Context,
  Decision,
  MountOptions,
  Offer,
  Order,
  Settings,
  Texts,
  TrackEvent,
  ChatSpeaker,
  Trigger,
} from './types.js';

/** Long enough for a decision on a slow mobile network; short enough that nobody waits for a box. */
const TIMEOUT_MS = 1500;

/**
 * The storefront's side of Levers: decisions, events, and the slots that show offers. One per page (the
 * global Levers); every method is safe to call before init, and does nothing until then.
 */
export class Widget {
  private s: Settings | null = null;
  private outbox: Outbox | null = null;
  private slots: Slot[] = [];
  private currency: string | undefined;
  private readonly pageId = randomId();
  private chat: ChatSpeaker | null = null;
  private chatQueue: [Trigger, Partial<Context>][] | null = null;
  texts: Texts = TEXTS;

  get settings(): Settings | null {
    return this.s;
  }

  /**
   * O8: asks the chat bubble to speak for this moment (added_to_cart, idle_on_product, exit_intent,
   * order_placed). The bubble is its own script, loaded on the first call, so a page without a chat pays nothing.
   */
  converse(trigger: Trigger, ctx: Partial<Context> = {}): void {
    const s = this.s;
    if (!s?.chat) return;
    if (this.chat) {
      this.chat(trigger, ctx);
      return;
    }
    if (!this.chatQueue) {
      this.chatQueue = [];
      const tag = document.createElement('script');
      tag.src = `${s.api}/v1/chat.js`;
      tag.async = true;
      document.head.append(tag);
    }
    this.chatQueue.push([trigger, ctx]);
  }

  /** Called by the chat's script once loaded: what was asked before it arrived is said now. */
  chatReady(speak: ChatSpeaker): void {
    this.chat = speak;
    for (const [t, c] of this.chatQueue ?? []) speak(t, c);
    this.chatQueue = [];
  }

  /** Sets (or adds to) the settings; the first call also sends this page's page_view. */
  init(s: Partial<Settings>): void {
    const first = !this.s;
    this.s = { ...(this.s ?? { key: '', api: '' }), ...s };
    this.s.api = this.s.api.replace(/\/+$/, '');
    this.texts = { ...TEXTS, ...this.s.texts };
    const events = `${this.s.api}/v1/events?key=${encodeURIComponent(this.s.key)}`;
    if (this.outbox?.url !== events) this.outbox = new Outbox(events);
    if (first) {
      void this.outbox.flush();
      // After the current task, so a customer set by a second init call right after is in the page view.
      if (this.s.pageView !== false)
        setTimeout(() => this.track({ type: 'page_view', idempotencyKey: `pv:${this.pageId}` }));
    }
  }

  /** POST /v1/decide for this context; null when the API fails or is slower than the timeout. */
  async decide(ctx: Context): Promise<Decision | null> {
    const s = this.s;
    if (!s) return null;
    const customer = ctx.customer ?? s.customer;
    const visitorType = ctx.visitorType ?? s.visitorType;
    const d = await fetchDecision(
      s.api,
      s.key,
      {
        // Only the context's own fields: the API refuses unknown keys (a slot's order, say).
        page: ctx.page,
        ...(ctx.productId ? { productId: ctx.productId } : {}),
        ...(ctx.exiting != null ? { exiting: ctx.exiting } : {}),
        sessionId: sessionId(),
        cart: ctx.cart ?? (await this.storeCart()),
        device: device(),
        ...(customer ? { customer } : {}),
        ...(visitorType ? { visitorType } : {}),
      },
      s.timeoutMs ?? TIMEOUT_MS,
    );
    if (d) this.currency = d.currency;
    return d;
  }

  /** Queues an event; it is sent now and, if that fails, retried on later pages until the server has it. */
  track(e: TrackEvent): void {
    const s = this.s;
    if (!s || !this.outbox) return;
    const customerId = e.customerId ?? s.customer?.id;
    const currency = e.currency ?? this.currency;
    this.outbox.add([
      {
        ...e,
        idempotencyKey: e.idempotencyKey ?? randomId(),
        sessionId: e.sessionId ?? sessionId(),
        occurredAt: e.occurredAt ?? new Date().toISOString(),
        device: e.device ?? device(),
        ...(customerId ? { customerId } : {}),
        ...(currency ? { currency } : {}),
      },
    ]);
  }

  /** The purchase, once per order id however often the thank-you page loads (the id is the idempotency key). */
  order(o: Order): void {
    this.track({
      type: 'purchase',
      idempotencyKey: `order:${o.orderId}`,
      orderId: o.orderId,
      lines: o.lines,
      valueMinor: o.lines.reduce((t, l) => t + l.quantity * l.unitPriceMinor, 0),
      ...(o.shippingMinor != null ? { shippingMinor: o.shippingMinor } : {}),
      ...(o.discountMinor != null ? { discountMinor: o.discountMinor } : {}),
    });
  }

  /** Shows offers in this element for this page and cart; returns the slot (slot.update({cart}) redraws). */
  mount(el: HTMLElement, o: MountOptions): Slot {
    const slot = new Slot(el, o, this);
    this.slots.push(slot);
    void slot.update();
    return slot;
  }

  /** Redraws every slot with these options merged in, e.g. refresh({ cart }) after the cart changed. */
  refresh(next: Partial<MountOptions> = {}): Promise<unknown> {
    return Promise.all(this.slots.map((s) => s.update(next)));
  }

  fromShopifyCart(cart: ShopifyCart): CartLine[] {
    return fromShopifyCart(cart, exponent(cart.currency ?? this.currency ?? 'USD'));
  }

  money(minor: number, currency: string): string {
    return money(minor, currency, this.s?.locale ?? (document.documentElement.lang || undefined));
  }

  get maxOffers(): number {
    return this.s?.maxOffers ?? 2;
  }

  newId(): string {
    return randomId();
  }

  /** An offer event, keyed by drawing and offer: sent once per time the offer was drawn. */
  offerEvent(
    type: 'offer_shown' | 'offer_accepted' | 'offer_declined',
    o: Offer,
    d: Decision,
    drawId: string,
  ): void {
    const item = o.items[0];
    this.track({
      type,
      idempotencyKey: `${drawId}:${type}:${o.id}`,
      offerId: o.id,
      currency: d.currency,
      ...(item ? { productId: item.productId } : {}),
    });
  }

  /**
   * The shopper accepted: the store adds the lines (its onAccept, else a levers:accept event on the slot for it
   * to handle), and the acceptance is reported once the store has done it.
   */
  async accept(el: HTMLElement, o: Offer, lines: CartLine[], d: Decision, drawId: string): Promise<boolean> {
    const a = { offer: o, action: o.actions.accept, lines };
    try {
      if (this.s?.onAccept) await this.s.onAccept(a);
      else el.dispatchEvent(new CustomEvent('levers:accept', { bubbles: true, detail: a }));
    } catch (e) {
      console.warn('levers: the store did not accept the offer', e);
      return false;
    }
    this.offerEvent('offer_accepted', o, d, drawId);
    return true;
  }

  private async storeCart(): Promise<CartLine[]> {
    if (this.s?.cartSource !== 'shopify') return [];
    try {
      return this.fromShopifyCart((await (await fetch('/cart.js')).json()) as ShopifyCart);
    } catch {
      return [];
    }
  }
}
