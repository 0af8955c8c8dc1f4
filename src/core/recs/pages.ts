/** The storefront pages a recommendation is asked for (a module of its own: the CLI's help lists them). */
export const PAGES = ['product', 'cart', 'checkout', 'thankyou'] as const;
export type Page = (typeof PAGES)[number];
