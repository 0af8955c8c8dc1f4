import { renderInfo } from './render/info.js';
import { renderOffer } from './render/kinds.js';
import { h } from './render/dom.js';
import type { View } from './render/view.js';
import type { Decision, MountOptions, Offer } from './types.js';
import type { Widget } from './widget.js';

/**
 * One place on the page that shows offers: it asks for a decision, draws at most the offers the API returned
 * (already capped, in its order), reports what the shopper saw and did, and draws again when the cart changes.
 * It draws only into the space the store reserved for it, and nothing at all when the API fails or is slow.
 */
export class Slot {
  private run = 0;
  private seen?: IntersectionObserver;

  constructor(
    readonly el: HTMLElement,
    private opts: MountOptions,
    private readonly w: Widget,
  ) {}

  /** Decides again with these options merged in (a new cart, say) and redraws. */
  async update(next: Partial<MountOptions> = {}): Promise<Decision | null> {
    this.opts = { ...this.opts, ...next };
    if (this.opts.order) {
      this.w.order(this.opts.order);
      this.opts.cart ??= this.opts.order.lines;
    }
    const run = ++this.run;
    const d = await this.w.decide(this.opts);
    // A newer update started while this one waited: its answer wins.
    if (run !== this.run) return d;
    this.draw(d);
    return d;
  }

  private draw(d: Decision | null): void {
    this.seen?.disconnect();
    const old = this.el.querySelector(':scope > .lv');
    // A hook for the store's CSS and for tests: offers, none (holdout, nothing applies) or failed (down, slow).
    this.el.dataset.leversState = !d ? 'failed' : d.offers.length ? 'offers' : 'none';
    if (!d) return void old?.remove();
    const drawId = this.w.newId();
    const status = h('p', { class: 'lv-sr', role: 'status' });
    const view: View = {
      texts: this.w.texts,
      money: (m) => this.w.money(m, d.currency),
      accept: async (o, lines) => {
        const done = await this.w.accept(this.el, o, lines, d, drawId);
        if (done)
          status.textContent =
            o.actions.accept === 'add_to_order' ? view.texts.addedToOrder : view.texts.added;
        return done;
      },
      dismiss: (o) => this.dismiss(o, d, drawId, section),
    };
    const offers = d.offers.slice(0, this.w.maxOffers).map((o) => renderOffer(o, view));
    // Shipping and delivery lines speak to a shopper still deciding; after the order they are noise.
    const info = this.opts.page === 'thankyou' ? null : renderInfo(d.info, this.opts.productId);
    const section = h('section', { class: 'lv', 'aria-label': this.w.texts.region }, ...offers, info, status);
    if (old) old.replaceWith(section);
    else this.el.append(section);
    // The page moves when the slot outgrows the height the store reserved: say so to the store's developer.
    const reserved = Number.parseFloat(getComputedStyle(this.el).minHeight) || 0;
    if (section.offsetHeight > reserved)
      console.warn(
        `levers: the ${this.opts.page} slot needs ${section.offsetHeight}px and ${reserved}px are reserved ` +
          '(min-height): reserve more, or the page below it moves',
      );
    this.watch(offers, d, drawId);
  }

  /** An impression is an offer at least half on screen once (not merely drawn below the fold). */
  private watch(cards: HTMLElement[], d: Decision, drawId: string): void {
    const shown = (el: Element) => {
      const o = d.offers.find((x) => x.id === (el as HTMLElement).dataset.offer);
      if (o) this.w.offerEvent('offer_shown', o, d, drawId);
    };
    if (typeof IntersectionObserver === 'undefined') return void cards.forEach(shown);
    this.seen = new IntersectionObserver(
      (entries, io) => {
        for (const e of entries)
          if (e.isIntersecting) {
            io.unobserve(e.target);
            shown(e.target);
          }
      },
      { threshold: 0.5 },
    );
    for (const c of cards) this.seen.observe(c);
  }

  private dismiss(o: Offer, d: Decision, drawId: string, section: HTMLElement): void {
    this.w.offerEvent('offer_declined', o, d, drawId);
    const card = section.querySelector<HTMLElement>(`[data-offer="${CSS.escape(o.id)}"]`);
    const next = card?.nextElementSibling ?? card?.previousElementSibling;
    card?.remove();
    // Focus stays in the widget: on the next offer, else the region itself.
    const to = (next?.matches('.lv-o') ? next : section) as HTMLElement;
    if (!to.hasAttribute('tabindex')) to.setAttribute('tabindex', '-1');
    to.focus();
  }
}
