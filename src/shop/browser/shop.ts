import type { Acceptance, Settings } from '../../widget/types.js';
import type { Widget } from '../../widget/widget.js';
import {
  CART_COOKIE,
  cartLines,
  cookieText,
  ORDER_COOKIE,
  readCookie,
  type Quantities,
  type ShopOrder,
} from '../cart.js';
import { cartTable, type ShopProduct } from '../pages.js';

/**
 * The demo shop's own script, standing in for a real storefront: its cart lives in a cookie the server renders
 * from; it hands the widget the cart and adds what a shopper accepts. Everything a store must do to use the
 * widget is here, and nothing else.
 */
const data = JSON.parse(document.getElementById('shop-data')!.textContent!) as {
  currency: string;
  products: Record<string, Pick<ShopProduct, 'title' | 'priceMinor'>>;
};
const products = Object.entries(data.products).map(([id, p]) => ({ id, category: null, ...p }));
const priceOf = (id: string) => data.products[id]?.priceMinor;
const w = () => (globalThis as { Levers?: Widget }).Levers;

/** The Cookie Store API is not in every browser yet, and is async; a demo page can set its cookie directly. */
function writeCookie(name: string, value: unknown): void {
  // biome-ignore lint/suspicious/noDocumentCookie: see above
  document.cookie = cookieText(name, value);
}

const quantities = () => readCookie<Quantities>(document.cookie, CART_COOKIE) ?? {};
const lines = () => cartLines(quantities(), priceOf);

function setCart(q: Quantities): void {
  writeCookie(CART_COOKIE, q);
  const cart = lines();
  document.getElementById('cart-count')!.textContent = String(cart.reduce((s, l) => s + l.quantity, 0));
  const table = document.getElementById('cart');
  if (table) table.innerHTML = cartTable({ products, currency: data.currency }, cart);
  // The widget decides again for the new cart: the progress bar moves, offers change.
  void w()?.refresh({ cart });
}

function add(id: string, n: number): void {
  const q = quantities();
  q[id] = (q[id] ?? 0) + n;
  if (q[id]! <= 0) delete q[id];
  setCart(q);
}

/** What the shop does when a shopper accepts an offer: add its lines to the cart, or to the order just placed. */
function onAccept(a: Acceptance): void {
  if (a.action === 'add_to_order') {
    const order = readCookie<ShopOrder>(document.cookie, ORDER_COOKIE);
    if (!order) return;
    order.lines.push(...a.lines);
    writeCookie(ORDER_COOKIE, order);
    document.getElementById('order')!.innerHTML = cartTable(
      { products, currency: data.currency },
      order.lines,
      false,
    );
    return;
  }
  for (const l of a.lines) add(l.productId, l.quantity);
}

// The widget loads async: settings wait in window.leversSettings if it has not run yet.
const settings: Partial<Settings> = { onAccept, chat: true };
(globalThis as { leversSettings?: Partial<Settings> }).leversSettings = settings;
w()?.init(settings);

document.addEventListener('click', (e) => {
  const b = (e.target as Element).closest<HTMLElement>('[data-add],[data-dec],#place-order');
  if (!b) return;
  if (b.id === 'place-order') return placeOrder();
  const id = (b.dataset.add ?? b.dataset.dec)!;
  add(id, b.dataset.add ? 1 : -1);
  const status = document.getElementById('added');
  if (status) status.textContent = 'Added to your cart';
  // O8: the chat bubble may speak for the moment (the better model, what goes with it, free shipping).
  if (b.dataset.add)
    w()?.converse('added_to_cart', { page: status ? 'product' : 'cart', productId: id, cart: lines() });
});

// After the order: the chat may offer one add-on for it.
const placed = readCookie<ShopOrder>(document.cookie, ORDER_COOKIE);
if (location.pathname === '/shop/thank-you' && placed)
  // On load: the widget's script is async, and it is there by then.
  addEventListener('load', () => w()?.converse('order_placed', { page: 'thankyou', cart: placed.lines }));

function placeOrder(): void {
  const cart = lines();
  if (!cart.length) return;
  const order: ShopOrder = { orderId: `demo-${Date.now().toString(36)}`, lines: cart };
  writeCookie(ORDER_COOKIE, order);
  writeCookie(CART_COOKIE, {});
  location.href = '/shop/thank-you';
}
