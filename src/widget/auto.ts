import type { MountOptions, Page, Settings } from './types.js';
import type { Widget } from './widget.js';

/**
 * The drop-in: settings from the script tag's data attributes (data-key, data-api, data-locale,
 * data-cart-source, data-timeout-ms) and window.leversSettings, then a slot in every [data-levers] element.
 */
export function autoStart(w: Widget, script: HTMLScriptElement | null): void {
  const data = script?.dataset ?? {};
  const pre = (globalThis as { leversSettings?: Partial<Settings> }).leversSettings ?? {};
  const key = pre.key ?? data.key;
  if (!key) return;
  const api = pre.api ?? data.api ?? (script?.src ? new URL(script.src).origin : location.origin);
  w.init({
    ...(data.locale ? { locale: data.locale } : {}),
    ...(data.cartSource === 'shopify' ? { cartSource: 'shopify' as const } : {}),
    ...(data.timeoutMs ? { timeoutMs: Number(data.timeoutMs) } : {}),
    ...(data.chat === 'on' ? { chat: true } : {}),
    ...pre,
    key,
    api,
  });
  const start = () => {
    for (const el of document.querySelectorAll<HTMLElement>('[data-levers]')) w.mount(el, slotOptions(el));
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}

/** data-levers="cart|product|thankyou|checkout", data-product-id, data-cart and data-order (JSON). */
function slotOptions(el: HTMLElement): MountOptions {
  const d = el.dataset;
  const page = (d.levers === 'thank-you' ? 'thankyou' : d.levers) as Page;
  return {
    page,
    ...(d.productId ? { productId: d.productId } : {}),
    ...(d.cart ? { cart: JSON.parse(d.cart) } : {}),
    ...(d.order ? { order: JSON.parse(d.order) } : {}),
  };
}

/** The script tag that loaded the widget: currentScript for the classic build, found by its src for ESM. */
export function ownScript(): HTMLScriptElement | null {
  return (
    (document.currentScript as HTMLScriptElement | null) ??
    document.querySelector<HTMLScriptElement>('script[data-key][src*="/v1/widget"]')
  );
}
