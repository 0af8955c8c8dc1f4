import type { Offer } from '../types.js';
import { fill } from '../texts.js';
import { acceptButton, card, itemList } from './card.js';
import { h } from './dom.js';
import { linesOf, type View } from './view.js';

/**
 * One renderer per way an offer looks. The type picks it; a type the widget does not know yet is drawn by what
 * it carries (items: cards to add; none: a message), so a new server-side kind shows before the widget learns
 * it.
 */
const RENDERERS: Record<string, (o: Offer, v: View) => HTMLElement> = {
  'free-shipping-progress': progress,
  'loyalty-proximity': progress,
  'volume-tier': volumeTier,
  bundle,
  'post-purchase': (o, v) =>
    card(
      o,
      v,
      o.text,
      itemList(o, v, v.texts.addToOrder, (title) => `${v.texts.addToOrder}: ${title}`),
    ),
  'segment-message': (o, v) => card(o, v, o.text),
};

export function renderOffer(o: Offer, v: View): HTMLElement {
  const r = RENDERERS[o.type];
  if (r) return r(o, v);
  // cross-sell, cart-recovery, habit, reorder, and kinds yet to come.
  return card(
    o,
    v,
    o.text,
    itemList(o, v, v.texts.add, (title) => fill(v.texts.addLabel, { title })),
  );
}

/** O1, O2: a bar towards the goal with the amount left said in the store's currency and the shopper's locale. */
function progress(o: Offer, v: View): HTMLElement {
  const p = o.progress;
  if (!p)
    return card(
      o,
      v,
      o.text,
      itemList(o, v, v.texts.add, (title) => fill(v.texts.addLabel, { title })),
    );
  const left = v.money(Math.max(0, p.targetMinor - p.currentMinor));
  const title =
    o.type === 'loyalty-proximity'
      ? fill(v.texts.tierLeft, { amount: left, goal: p.goal })
      : fill(v.texts.freeShippingLeft, { amount: left, goal: p.goal });
  const fill_ = h('div', { class: 'lv-fill' });
  fill_.style.width = `${Math.min(100, Math.round((p.currentMinor / p.targetMinor) * 100))}%`;
  const bar = h(
    'div',
    {
      class: 'lv-bar',
      role: 'progressbar',
      'aria-label': title,
      'aria-valuemin': 0,
      'aria-valuemax': p.targetMinor,
      'aria-valuenow': Math.min(p.currentMinor, p.targetMinor),
      'aria-valuetext': fill(v.texts.progress, {
        current: v.money(p.currentMinor),
        target: v.money(p.targetMinor),
      }),
    },
    fill_,
  );
  const browse =
    o.actions.accept === 'browse'
      ? h('div', { class: 'lv-row' }, acceptButton(o, v, v.texts.keepShopping, []))
      : itemList(o, v, v.texts.add, (title) => fill(v.texts.addLabel, { title }));
  return card(o, v, title, bar, browse);
}

/** O3: "buy 2, save 10%", with one more of the item a click away. */
function volumeTier(o: Offer, v: View): HTMLElement {
  const lines = linesOf(o.items);
  const item = o.items[0];
  return card(
    o,
    v,
    o.text,
    item && lines.length
      ? h(
          'div',
          { class: 'lv-item' },
          h('span', {}, item.title ?? item.productId),
          acceptButton(
            o,
            v,
            v.texts.addOneMore,
            lines,
            // The visible words start the accessible name (WCAG 2.5.3).
            `${v.texts.addOneMore}: ${item.title ?? item.productId}`,
          ),
        )
      : null,
  );
}

/** O4: what completes the set, at the set's price, added in one click. */
function bundle(o: Offer, v: View): HTMLElement {
  const lines = linesOf(o.items);
  const full = lines.reduce((s, l) => s + l.unitPriceMinor, 0);
  const price = Math.round(full * (1 - (o.percentOff ?? 0) / 100));
  return card(
    o,
    v,
    o.text,
    h(
      'ul',
      { class: 'lv-items' },
      ...o.items.map((i) =>
        h(
          'li',
          { class: 'lv-item' },
          h('span', {}, i.title ?? i.productId),
          i.priceMinor == null ? null : h('span', { class: 'lv-p' }, v.money(i.priceMinor)),
        ),
      ),
    ),
    lines.length === o.items.length
      ? h(
          'div',
          { class: 'lv-row' },
          h(
            'span',
            {},
            `${fill(v.texts.setPrice, { price: v.money(price) })} `,
            price < full ? h('span', { class: 'lv-was lv-p' }, v.money(full)) : null,
          ),
          acceptButton(o, v, v.texts.addSet, lines),
        )
      : null,
  );
}
