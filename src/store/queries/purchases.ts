import type { CustomerPurchases } from '../../core/metrics/clv/rfm.js';
import { currencyExponent } from '../../core/money.js';
import type { Store } from '../connection.js';
import { mainCurrency } from './currency.js';

/** Each known customer's sale days and net values, in the store's main currency. */
export async function customerPurchases(store: Store): Promise<{ currency: string | null; customers: CustomerPurchases[] }> {
  const currency = await mainCurrency(store);
  if (!currency) return { currency: null, customers: [] };
  const exp = currencyExponent(currency);
  // Net per customer-day as an exact integer of minor units (DECIMAL × 10^exponent), read column-wise:
  // a million customers as row objects would cost more than the model fit.
  const reader = await store.conn.runAndReadAll(
    `SELECT customer_id, (epoch(placed_at::DATE) / 86400)::INTEGER AS day,
       (sum(gross_merchandise - discount - refunded) * ${10 ** exp})::BIGINT::DOUBLE AS net
     FROM orders WHERE kind = 'sale' AND status <> 'cancelled' AND customer_id IS NOT NULL AND currency = $1
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency],
  );
  const [ids, days, nets] = reader.getColumnsJS() as [string[], number[], number[]];
  const customers: CustomerPurchases[] = [];
  let last: CustomerPurchases | null = null;
  for (let i = 0; i < ids.length; i++) {
    if (!last || last.customerId !== ids[i]) customers.push((last = { customerId: ids[i]!, days: [], values: [] }));
    last.days.push(days[i]!);
    last.values.push(nets[i]!);
  }
  return { currency, customers };
}

/** Gross margin of what was sold, from product costs; null when costs are not known. */
export async function soldMargin(store: Store): Promise<number | null> {
  const r = await store.one<{ revenue: number | null; cost: number | null }>(
    `SELECT sum(l.unit_price * l.quantity)::DOUBLE AS revenue, sum(p.cost * l.quantity)::DOUBLE AS cost
     FROM order_lines l JOIN products p USING (product_id) WHERE l.line_type = 'product' AND p.cost IS NOT NULL AND l.quantity > 0`,
  );
  return r.revenue && r.cost != null && r.revenue > 0 ? 1 - r.cost / r.revenue : null;
}
