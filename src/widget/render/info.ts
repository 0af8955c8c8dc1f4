import type { Decision } from '../types.js';
import { h } from './dom.js';

/**
 * O6: shipping, delivery, returns, and the stock of the product in view. Shown to every group, the holdout
 * included (the server sends it to all: it is what any store shows, not a personalised offer).
 */
export function renderInfo(info: Decision['info'], productId: string | undefined): HTMLElement | null {
  const lines = [
    info.shipping,
    info.delivery,
    info.returns,
    ...info.stock.filter((s) => s.productId === productId).map((s) => s.text),
  ].filter((x): x is string => !!x);
  if (!lines.length) return null;
  return h('ul', { class: 'lv-info' }, ...lines.map((l) => h('li', {}, l)));
}
