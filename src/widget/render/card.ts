import type { Offer } from '../types.js';
import { h, uid } from './dom.js';
import type { View } from './view.js';

/**
 * The frame every offer shares: a labelled article (focusable, so focus can land on it after a change), its
 * title with the decline button beside it, and a body. Accept buttons live in the body, next to what they add.
 */
export function card(o: Offer, v: View, title: string, ...body: (Node | null)[]): HTMLElement {
  const id = uid();
  const dismiss = h(
    'button',
    {
      type: 'button',
      class: 'lv-x',
      // The visible words start the accessible name (WCAG 2.5.3), the offer tells which.
      'aria-label': `${v.texts.dismiss}: ${title}`,
      onclick: () => v.dismiss(o),
    },
    v.texts.dismiss,
  );
  return h(
    'article',
    { class: 'lv-o', 'aria-labelledby': id, tabindex: '-1', 'data-offer': o.id, 'data-type': o.type },
    h('div', { class: 'lv-h' }, h('p', { class: 'lv-t', id }, title), dismiss),
    ...body,
  );
}

/**
 * An accept button: disabled while the store adds the lines, then the offer says it was added (a live region
 * announces it).
 */
export function acceptButton(
  o: Offer,
  v: View,
  label: string,
  lines: Parameters<View['accept']>[1],
  ariaLabel?: string,
): HTMLElement {
  const b = h(
    'button',
    { type: 'button', class: 'lv-b', 'aria-label': ariaLabel },
    label,
  ) as HTMLButtonElement;
  b.onclick = async () => {
    b.disabled = true;
    const done = await v.accept(o, lines);
    if (!done) b.disabled = false;
  };
  return b;
}

/** The offer's items, each with its price and its own add button (name: its accessible name, from the title). */
export function itemList(
  o: Offer,
  v: View,
  label: string,
  name: (title: string) => string,
): HTMLElement | null {
  const items = o.items.filter((i) => i.priceMinor != null);
  if (!items.length) return null;
  return h(
    'ul',
    { class: 'lv-items' },
    ...items.map((i) => {
      const title = i.title ?? i.productId;
      return h(
        'li',
        { class: 'lv-item' },
        h('span', {}, title),
        h('span', { class: 'lv-p' }, v.money(i.priceMinor!)),
        acceptButton(
          o,
          v,
          label,
          [{ productId: i.productId, quantity: 1, unitPriceMinor: i.priceMinor! }],
          name(title),
        ),
      );
    }),
  );
}
