/**
 * The widget's own words (buttons, labels); the offers' texts come from the server. {amount}, {goal} and
 * {title} are filled in; a store passes its own through Levers.init({ texts }).
 */
export const TEXTS = {
  region: 'Offers for you',
  freeShippingLeft: "You're {amount} away from free shipping",
  tierLeft: 'Add {amount} to unlock {goal}',
  progress: '{current} of {target}',
  add: 'Add',
  addLabel: 'Add {title} to cart',
  addToOrder: 'Add to my order',
  addOneMore: 'Add one more',
  addSet: 'Add the set',
  keepShopping: 'Keep shopping',
  dismiss: 'No thanks',
  added: 'Added to your cart',
  addedToOrder: 'Added to your order',
  setPrice: 'Set price {price}',
};

/** Fills {name} placeholders; an unknown one stays as written. */
export function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => values[k] ?? m);
}
