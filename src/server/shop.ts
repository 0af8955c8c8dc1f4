import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Serving } from '../app/serving.js';
import {
  CART_COOKIE,
  cartLines,
  ORDER_COOKIE,
  readCookie,
  type Quantities,
  type ShopOrder,
} from '../shop/cart.js';
import { cartPage, cataloguePage, productPage, type ShopSite, thankYouPage } from '../shop/pages.js';
import type { ServerConfig } from './config.js';
import { sendError } from './http-errors.js';
import { pinnedUrl, serveScript, type WebFile } from './web.js';

/**
 * The demo shop at /shop (served only on a demo store): a product page, a cart and a thank-you page that use
 * the widget against this server, so a newcomer sees offers in a browser right after npm run demo. Its
 * catalogue is the served snapshot's, its cart a cookie.
 */
export function registerShop(
  app: FastifyInstance,
  d: { serving: Serving; config: () => ServerConfig; files: Map<string, WebFile> },
): void {
  const site = (): ShopSite => ({
    products: d.serving.snapshot.model.items.flatMap((i) =>
      i.priceMinor == null
        ? []
        : [{ id: i.id, title: i.title ?? i.id, priceMinor: i.priceMinor, category: i.category }],
    ),
    currency: d.config().offers.currency,
    key: d.config().publishableKeys[0]!,
    widgetUrl: pinnedUrl(d.files, 'widget.js', '/v1/widget.js'),
    shopScriptUrl: pinnedUrl(d.files, 'shop.js', '/shop/shop.js'),
  });
  const html = (reply: FastifyReply, body: string) =>
    reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);
  const cartOf = (s: ShopSite, cookie: string | undefined) =>
    cartLines(
      readCookie<Quantities>(cookie, CART_COOKIE),
      (id) => s.products.find((p) => p.id === id)?.priceMinor,
    );

  app.get('/shop/shop.js', serveScript(d.files, 'shop.js'));
  app.get('/shop', async (req, reply) => {
    const s = site();
    return html(reply, cataloguePage(s, cartOf(s, req.headers.cookie)));
  });
  app.get('/shop/product/:id', async (req, reply) => {
    const s = site();
    const { id } = req.params as { id: string };
    const p = s.products.find((x) => x.id === id);
    if (!p) return sendError(reply, 'NOT_FOUND', { method: req.method, url: req.url });
    return html(reply, productPage(s, p, cartOf(s, req.headers.cookie)));
  });
  app.get('/shop/cart', async (req, reply) => {
    const s = site();
    return html(reply, cartPage(s, cartOf(s, req.headers.cookie)));
  });
  app.get('/shop/thank-you', async (req, reply) =>
    html(reply, thankYouPage(site(), readCookie<ShopOrder>(req.headers.cookie, ORDER_COOKIE))),
  );
}
