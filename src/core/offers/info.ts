import { formatMoney as fmt } from '../money.js';
import type { RecsModel } from '../recs/model.js';
import type { OfferConfig } from './config.js';
import { itemsById } from './items.js';
import type { DecideContext, Info } from './types.js';

/** O6: shipping cost and the free-shipping line, delivery estimate, return policy, and low or no stock. */
export function infoFor(model: RecsModel, config: OfferConfig, ctx: DecideContext): Info {
  const c = config.currency;
  const fs = config.freeShipping;
  const subtotal = ctx.cart.reduce((s, l) => s + l.unitPriceMinor * l.quantity, 0);
  const shipping = !fs
    ? null
    : subtotal >= fs.thresholdMinor
      ? 'Free shipping on this order'
      : `Shipping ${fmt(fs.shippingFeeMinor, c)}, free on orders over ${fmt(fs.thresholdMinor, c)}`;
  const d = config.info.deliveryDays;
  const delivery = !d
    ? null
    : d.min === d.max
      ? `Arrives in ${d.min} ${d.min === 1 ? 'day' : 'days'}`
      : `Arrives in ${d.min}–${d.max} days`;
  const byId = itemsById(model);
  const stock: Info['stock'] = [];
  const ids =
    ctx.productId && ctx.page === 'product'
      ? [ctx.productId, ...ctx.cart.map((l) => l.productId)]
      : ctx.cart.map((l) => l.productId);
  for (const id of new Set(ids)) {
    const n = byId.get(id)?.stock;
    if (n == null || n >= config.info.lowStockBelow) continue;
    stock.push({ productId: id, text: n <= 0 ? 'Out of stock' : `Only ${n} left` });
  }
  return { shipping, delivery, returns: config.info.returnPolicy ?? null, stock };
}
