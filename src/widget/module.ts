import { autoStart, ownScript } from './auto.js';
import { injectStyles } from './render/styles.js';
import { Widget } from './widget.js';

/**
 * The ES module build: `import { Levers } from '…/v1/widget.mjs'`. A module script tag with data-key starts
 * itself as the classic one does; otherwise call Levers.init({ key, api }).
 */
export const Levers = new Widget();
export { fromShopifyCart } from './shopify-cart.js';
export type * from './types.js';
injectStyles();
autoStart(Levers, ownScript());
