import type { Store } from '../connection.js';

/** The currency most sales are in: reports and models speak one currency and say which. */
export async function mainCurrency(store: Store): Promise<string | null> {
  const r = await store.all<{ currency: string }>(`SELECT currency FROM orders WHERE kind = 'sale' GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  return r[0]?.currency ?? null;
}
