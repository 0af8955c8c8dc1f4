import { maxMinor } from '../core/money.js';
import type { DecideContext } from '../core/offers/types.js';
import { DEVICES } from '../core/model/tables.js';
import { PAGES } from '../core/recs/pages.js';
import { DecideBody } from './contract.js';

/**
 * POST /v1/decide's body checked by hand first: a well-formed body (nearly every storefront request) is
 * accepted without zod, which costs several microseconds a request; anything the hand check is not sure of goes
 * to the DecideBody schema, which accepts or refuses it with its own messages. So the errors are zod's by
 * construction, and the hand check only has to accept nothing the schema refuses and give the same data (the
 * schema's key order included): a property test holds it to that over many generated bodies.
 */
export function parseDecideBody(
  body: unknown,
): { success: true; data: DecideContext } | ReturnType<typeof DecideBody.safeParse> {
  const data = wellFormed(body);
  return data ? { success: true, data } : DecideBody.safeParse(body);
}

type Obj = Record<string, unknown>;
const PAGE = new Set<unknown>(PAGES);
const DEVICE = new Set<unknown>(DEVICES);
const VISITOR = new Set<unknown>(['new', 'returning', 'customer', 'vip']);
const TOP = new Set([
  'page',
  'sessionId',
  'productId',
  'cart',
  'customer',
  'visitorType',
  'exiting',
  'device',
]);
const MAX_MINOR = maxMinor(0);

const isObject = (x: unknown): x is Obj => typeof x === 'object' && x !== null && !Array.isArray(x);
/**
 * A string's length as zod measures it against a maximum: in code points (a surrogate pair counts one), which
 * only matters when it has more UTF-16 units than the maximum.
 */
function fitsIn(s: string, max: number): boolean {
  if (s.length <= max) return true;
  let n = s.length;
  for (let i = 0; i < s.length - 1; i++)
    if ((s.charCodeAt(i) & 0xfc00) === 0xd800 && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n--;
      i++;
    }
  return n <= max;
}
/** ApiId: 1 to 200 code points, no NUL. */
const isId = (x: unknown): x is string =>
  typeof x === 'string' && x.length >= 1 && fitsIn(x, 200) && !x.includes('\u0000');
const isAmount = (x: unknown): x is number =>
  Number.isInteger(x) && (x as number) >= 0 && (x as number) <= MAX_MINOR;
/** Every own key is one of `known`, none is inherited, and no value is undefined. */
function onlyKeys(o: Obj, known: ReadonlySet<string>): boolean {
  for (const k in o) if (!known.has(k) || !Object.hasOwn(o, k) || o[k] === undefined) return false;
  return true;
}
const LINE = new Set(['productId', 'quantity', 'unitPriceMinor']);
const CUSTOMER = new Set(['id', 'spendMinor', 'firstName']);

/** The body as DecideBody parses it when it is surely valid; null when zod should say (exported for tests). */
export function wellFormed(b: unknown): DecideContext | null {
  if (!isObject(b) || !onlyKeys(b, TOP)) return null;
  if (!PAGE.has(b.page) || !isId(b.sessionId)) return null;
  if ('productId' in b && !isId(b.productId)) return null;
  let cart: DecideContext['cart'] = [];
  if ('cart' in b) {
    const lines = b.cart;
    if (!Array.isArray(lines) || lines.length > 200) return null;
    const out: { productId: string; quantity: number; unitPriceMinor: number }[] = [];
    for (const l of lines) {
      if (!isObject(l) || !onlyKeys(l, LINE) || !isId(l.productId)) return null;
      const q = l.quantity;
      if (!Number.isInteger(q) || (q as number) < 1 || (q as number) > 10_000 || !isAmount(l.unitPriceMinor))
        return null;
      out.push({ productId: l.productId, quantity: q as number, unitPriceMinor: l.unitPriceMinor });
    }
    cart = out;
  }
  let customer: DecideContext['customer'];
  if ('customer' in b) {
    const c = b.customer;
    if (!isObject(c) || !onlyKeys(c, CUSTOMER) || !isId(c.id)) return null;
    if ('spendMinor' in c && !isAmount(c.spendMinor)) return null;
    if ('firstName' in c && !(typeof c.firstName === 'string' && fitsIn(c.firstName, 100))) return null;
    customer = { id: c.id };
    if ('spendMinor' in c) customer.spendMinor = c.spendMinor as number;
    if ('firstName' in c) customer.firstName = c.firstName as string;
  }
  if ('visitorType' in b && !VISITOR.has(b.visitorType)) return null;
  if ('exiting' in b && typeof b.exiting !== 'boolean') return null;
  if ('device' in b && !DEVICE.has(b.device)) return null;
  // The schema's key order, as zod writes its output.
  const out: Obj = { page: b.page, sessionId: b.sessionId };
  if ('productId' in b) out.productId = b.productId;
  out.cart = cart;
  if (customer) out.customer = customer;
  if ('visitorType' in b) out.visitorType = b.visitorType;
  if ('exiting' in b) out.exiting = b.exiting;
  if ('device' in b) out.device = b.device;
  return out as unknown as DecideContext;
}
