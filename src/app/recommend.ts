import { LeversError } from '../core/errors.js';
import { parseMoney, currencyExponent } from '../core/money.js';
import { customerHabits, habitItems } from '../core/recs/habits.js';
import { recommend as recommendItems, type Page, type RecResult } from '../core/recs/recommend.js';
import { DAY_MS, parseTimestamp } from '../core/time.js';
import { withDatabase, type Store } from '../store/port.js';

export interface RecommendOptions {
  cart: string[];
  page: Page;
  k: number;
  /** Amount still missing to free shipping, decimal text in the model's currency. */
  gap?: string;
  /** Value of the order just placed (thank-you page), decimal text. */
  orderValue?: string;
  /** Add this customer's habits and due reorders (their history is read from the store). */
  customer?: string;
  /** Today for reorders (default: the last order day in the store). */
  asOf?: string;
}

/** Recommendations for a cart from the model snapshot, and a known customer's own habits first. */
export async function recommendFor(
  store: Store,
  o: RecommendOptions,
): Promise<RecResult & { model: number; currency: string }> {
  const m = store.snapshots.loadModel();
  const exp = currencyExponent(m.currency);
  const minor = (text: string | undefined, option: string) => {
    if (text === undefined) return undefined;
    const p = parseMoney(text, exp);
    if (!p.ok || p.minor <= 0)
      throw new LeversError('INVALID_OPTION', { option, detail: p.ok ? 'must be above 0' : p.reason });
    return p.minor;
  };
  const gapMinor = minor(o.gap, 'gap');
  const orderValueMinor = minor(o.orderValue, 'orderValue');
  const r = recommendItems(m, {
    cart: o.cart,
    page: o.page,
    k: o.k,
    ...(gapMinor ? { gapMinor } : {}),
    ...(orderValueMinor ? { orderValueMinor } : {}),
  });
  if (o.customer) {
    const customer = o.customer;
    const { history, today } = await withDatabase(store, async (db) => {
      let today: number;
      if (o.asOf) {
        const t = parseTimestamp(o.asOf);
        if (!t.ok) throw new LeversError('INVALID_OPTION', { option: 'asOf', detail: t.reason });
        today = Math.floor(t.ms / DAY_MS);
      } else today = (await db.lastOrderDay()) ?? 0;
      return { history: await db.customerHistory(customer), today };
    });
    if (history.length === 0)
      r.notes.push(`customer ${customer} has no orders in the store: no habits or reorders`);
    const byId = new Map(m.items.map((it) => [it.id, it]));
    const own = habitItems(customerHabits(history, o.cart, today), (id) => byId.get(id));
    const seen = new Set(own.map((x) => x.id));
    r.items = [...own, ...r.items.filter((x) => !seen.has(x.id))].slice(0, o.k);
  }
  return { model: m.version, currency: m.currency, ...r };
}
