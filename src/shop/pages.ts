import { formatMoney } from '../core/money.js';
import { esc } from '../render/html.js';
import type { ShopOrder } from './cart.js';

/** A product as the shop shows it: from the served model snapshot (the demo store's catalogue). */
export interface ShopProduct {
  id: string;
  title: string;
  priceMinor: number;
  category: string | null;
}

/** What every page needs: the catalogue, the store's currency, and where the scripts are. */
export interface ShopSite {
  products: ShopProduct[];
  currency: string;
  key: string;
  widgetUrl: string;
  shopScriptUrl: string;
}

type Lines = ShopOrder['lines'];

/**
 * The slots' reserved heights: the widget draws inside them, so a box that arrives late moves nothing. Sized
 * for two offers and the shipping line at the shop's width.
 */
const SLOT_HEIGHT = { product: 330, cart: 360, thankyou: 240 };

const STYLE = `
*{box-sizing:border-box}body{margin:0;font:16px/1.45 system-ui,sans-serif;color:#1d1d1f;background:#f6f7f9}
header{background:#1f2933;color:#fff;padding:12px 24px;display:flex;gap:24px;align-items:center}
header a{color:#fff;text-decoration:none}header .brand{font-weight:700;margin-right:auto}
main{max-width:1040px;margin:0 auto;padding:24px;display:grid;grid-template-columns:minmax(0,1fr) 340px;gap:24px}
@media (max-width:760px){main{grid-template-columns:1fr}}
h1{font-size:1.5rem;margin:0 0 12px}
.grid{list-style:none;padding:0;margin:0;display:grid;grid-template-columns:repeat(auto-fill,minmax(180px,1fr));gap:12px}
.card,.panel{background:#fff;border:1px solid #d0d4da;border-radius:8px;padding:12px}
.card a{color:#0b5cad}.price{color:#50565e}
table{width:100%;border-collapse:collapse}td,th{padding:6px 4px;text-align:left;border-bottom:1px solid #e3e7ec}
td.n,th.n{text-align:right}
button.act{font:inherit;padding:8px 16px;border-radius:8px;border:1px solid #0b5cad;background:#0b5cad;color:#fff;cursor:pointer}
button.q{font:inherit;min-width:32px;min-height:32px;border:1px solid #8a9099;background:#fff;border-radius:6px;cursor:pointer}
.muted{color:#50565e}
`;

function page(site: ShopSite, title: string, cartCount: number, body: string, aside = ''): string {
  const data = JSON.stringify({
    currency: site.currency,
    products: Object.fromEntries(
      site.products.map((p) => [p.id, { title: p.title, priceMinor: p.priceMinor }]),
    ),
  }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en-US"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(title)} · Levers demo shop</title><link rel="icon" href="data:,"><style>${STYLE}</style>
<script src="${esc(site.widgetUrl)}" data-key="${esc(site.key)}" data-chat="on" async></script>
</head><body>
<header><a class="brand" href="/shop">Levers demo shop</a><nav aria-label="Shop"><a href="/shop">Products</a></nav>
<a href="/shop/cart">Cart (<span id="cart-count">${cartCount}</span>)</a></header>
<main><div>${body}</div><aside aria-label="For your order">${aside}</aside></main>
<script type="application/json" id="shop-data">${data}</script>
<script src="${esc(site.shopScriptUrl)}"></script>
</body></html>`;
}

const count = (lines: Lines) => lines.reduce((s, l) => s + l.quantity, 0);
const slot = (kind: keyof typeof SLOT_HEIGHT, attrs = '') =>
  `<div data-levers="${kind}" ${attrs} style="min-height:${SLOT_HEIGHT[kind]}px"></div>`;
const cartAttr = (lines: Lines) => `data-cart="${esc(JSON.stringify(lines))}"`;

export function cataloguePage(site: ShopSite, cart: Lines): string {
  const items = site.products
    .map(
      (p) =>
        `<li class="card"><a href="/shop/product/${encodeURIComponent(p.id)}">${esc(p.title)}</a>` +
        `<div class="price">${formatMoney(p.priceMinor, site.currency)}</div></li>`,
    )
    .join('');
  return page(site, 'Products', count(cart), `<h1>Products</h1><ul class="grid">${items}</ul>`);
}

export function productPage(site: ShopSite, p: ShopProduct, cart: Lines): string {
  const body =
    `<h1>${esc(p.title)}</h1><div class="panel"><p class="price">${formatMoney(p.priceMinor, site.currency)}</p>` +
    (p.category ? `<p class="muted">${esc(p.category)}</p>` : '') +
    `<button class="act" type="button" data-add="${esc(p.id)}">Add to cart</button> ` +
    `<span role="status" id="added"></span></div>`;
  return page(
    site,
    p.title,
    count(cart),
    body,
    slot('product', `data-product-id="${esc(p.id)}" ${cartAttr(cart)}`),
  );
}

export function cartPage(site: ShopSite, cart: Lines): string {
  const body =
    `<h1>Your cart</h1><div class="panel" id="cart">${cartTable(site, cart)}</div>` +
    `<p><button class="act" type="button" id="place-order">Place order</button></p>`;
  return page(site, 'Cart', count(cart), body, slot('cart', cartAttr(cart)));
}

/** The cart's lines; the shop's script draws the same table after a change (shop.ts). */
export function cartTable(
  site: Pick<ShopSite, 'products' | 'currency'>,
  cart: Lines,
  editable = true,
): string {
  if (!cart.length) return '<p>Your cart is empty.</p>';
  const title = (id: string) => site.products.find((p) => p.id === id)?.title ?? id;
  const rows = cart
    .map(
      (l) =>
        `<tr><td>${esc(title(l.productId))}</td><td class="n">` +
        (editable ? stepper(l.productId, title(l.productId), l.quantity) : String(l.quantity)) +
        `</td><td class="n">${formatMoney(l.quantity * l.unitPriceMinor, site.currency)}</td></tr>`,
    )
    .join('');
  const total = cart.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
  return (
    `<table><thead><tr><th>Item</th><th class="n">Quantity</th><th class="n">Price</th></tr></thead>` +
    `<tbody>${rows}</tbody><tfoot><tr><th colspan="2">Subtotal</th><td class="n" id="subtotal">` +
    `${formatMoney(total, site.currency)}</td></tr></tfoot></table>`
  );
}

export function thankYouPage(site: ShopSite, order: ShopOrder | null): string {
  if (!order) return page(site, 'Thank you', 0, '<h1>Thank you</h1><p>No order to show.</p>');
  const body =
    `<h1>Thank you for your order</h1><div class="panel"><p>Order <strong>${esc(order.orderId)}</strong></p>` +
    `<div id="order">${cartTable(site, order.lines, false)}</div></div>`;
  return page(site, 'Thank you', 0, body, slot('thankyou', `data-order="${esc(JSON.stringify(order))}"`));
}

const stepper = (id: string, title: string, n: number) =>
  `<button class="q" type="button" data-dec="${esc(id)}" aria-label="One fewer ${esc(title)}">−</button> ${n} ` +
  `<button class="q" type="button" data-add="${esc(id)}" aria-label="One more ${esc(title)}">+</button>`;
