import type { CustomerPurchases } from '../../../core/metrics/clv/rfm.js';
import { currencyExponent } from '../../../core/money.js';
import type { SqlConn } from '../conn.js';
import { isSale, netOf } from '../definitions.js';

/** Currencies of sale orders, most sales first. */
export async function currencies(db: SqlConn): Promise<{ currency: string; sales: number }[]> {
  return db.all(
    `SELECT currency, count(*)::INTEGER AS sales FROM orders WHERE ${isSale()} GROUP BY 1 ORDER BY 2 DESC, 1`,
  );
}

/** Each known customer's sale days and net values in one currency. */
export async function customerPurchases(db: SqlConn, currency: string): Promise<CustomerPurchases[]> {
  const exp = currencyExponent(currency);
  // Net per customer-day as an exact integer of minor units (DECIMAL × 10^exponent), read column-wise: a
  // million customers as row objects would cost more than the model fit.
  const [ids, days, nets] = await db.columns<[string[], number[], number[]]>(
    `SELECT customer_id, (placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
       (coalesce(sum(${netOf()}), 0) * ${10 ** exp})::BIGINT::FLOAT8 AS net
     FROM orders WHERE ${isSale()} AND customer_id IS NOT NULL AND currency = $1
     GROUP BY 1, 2 ORDER BY 1, 2`,
    [currency],
  );
  const customers: CustomerPurchases[] = [];
  let last: CustomerPurchases | null = null;
  for (let i = 0; i < (ids ?? []).length; i++) {
    if (!last || last.customerId !== ids[i])
      customers.push((last = { customerId: ids[i]!, days: [], values: [] }));
    last.days.push(days[i]!);
    last.values.push(nets[i]!);
  }
  return customers;
}

/** Gross margin of what was sold, from product costs; null when costs are not known. */
export async function soldMargin(db: SqlConn): Promise<number | null> {
  // A ratio of two exact sums: the division is the only float step.
  const r = await db.one<{ revenue: string | null; cost: string | null }>(
    `SELECT sum(l.unit_price * l.quantity)::VARCHAR AS revenue, sum(p.cost * l.quantity)::VARCHAR AS cost
     FROM order_lines l JOIN products p USING (product_id)
     WHERE l.line_type = 'product' AND p.cost IS NOT NULL AND l.quantity > 0`,
  );
  const revenue = r.revenue == null ? 0 : Number(r.revenue);
  return revenue > 0 && r.cost != null ? 1 - Number(r.cost) / revenue : null;
}
