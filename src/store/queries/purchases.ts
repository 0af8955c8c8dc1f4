import type { CustomerPurchases } from '../../core/metrics/clv/rfm.js';
import { currencyExponent, decimalToMinor } from '../../core/money.js';
import type { Store } from '../connection.js';

/** Each known customer's sale days and net values, in the store's main currency. */
export async function customerPurchases(store: Store): Promise<{ currency: string | null; customers: CustomerPurchases[] }> {
  const cur = await store.all<{ currency: string }>(
    `SELECT currency FROM orders WHERE kind = 'sale' GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`);
  if (cur.length === 0) return { currency: null, customers: [] };
  const currency = cur[0]!.currency;
  const exp = currencyExponent(currency);
  const rows = await store.all<{ customer_id: string; days: number[]; vals: string[] }>(
    `SELECT customer_id, list(day ORDER BY day) AS days, list(net::VARCHAR ORDER BY day) AS vals FROM (
       SELECT customer_id, (epoch(placed_at::DATE) / 86400)::INTEGER AS day, sum(gross_merchandise - discount - refunded) AS net
       FROM orders WHERE kind = 'sale' AND status <> 'cancelled' AND customer_id IS NOT NULL AND currency = $1
       GROUP BY 1, 2) GROUP BY 1`,
    [currency],
  );
  return {
    currency,
    customers: rows.map((r) => ({ customerId: r.customer_id, days: r.days.map(Number), values: r.vals.map((v) => decimalToMinor(v, exp)) })),
  };
}

/** Gross margin of what was sold, from product costs; null when costs are not known. */
export async function soldMargin(store: Store): Promise<number | null> {
  const r = await store.one<{ revenue: number | null; cost: number | null }>(
    `SELECT sum(l.unit_price * l.quantity)::DOUBLE AS revenue, sum(p.cost * l.quantity)::DOUBLE AS cost
     FROM order_lines l JOIN products p USING (product_id) WHERE l.line_type = 'product' AND p.cost IS NOT NULL AND l.quantity > 0`,
  );
  return r.revenue && r.cost != null && r.revenue > 0 ? 1 - r.cost / r.revenue : null;
}
