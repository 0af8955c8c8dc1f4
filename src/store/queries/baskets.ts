import type { Baskets } from '../../core/recs/baskets.js';
import type { ItemMeta } from '../../core/recs/model.js';
import type { Store } from '../connection.js';


/**
 * Sale baskets (distinct products of each non-cancelled sale), ordered by time, encoded as integers in SQL
 * and read column-wise, so millions of orders never become JavaScript objects. `before` keeps orders
 * placed before a date (training data for evaluation).
 */
export async function loadBaskets(store: Store, opts: { before?: string; from?: string } = {}): Promise<{ baskets: Baskets; orderIds: string[] }> {
  const where: string[] = [];
  const params: string[] = [];
  if (opts.before) where.push(`o.placed_at < $${params.push(opts.before)}::TIMESTAMP`);
  if (opts.from) where.push(`o.placed_at >= $${params.push(opts.from)}::TIMESTAMP`);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE rb AS
    SELECT DISTINCT l.order_id, l.product_id, o.placed_at FROM order_lines l JOIN orders o USING (order_id)
    WHERE o.kind = 'sale' AND o.status <> 'cancelled' AND l.line_type = 'product' AND l.quantity > 0 AND l.product_id IS NOT NULL
    ${where.length ? 'AND ' + where.join(' AND ') : ''}`, params);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE rb_items AS
    SELECT product_id, (row_number() OVER (ORDER BY product_id) - 1)::INTEGER AS idx FROM (SELECT DISTINCT product_id FROM rb)`);
  await store.conn.run(`CREATE OR REPLACE TEMP TABLE rb_orders AS
    SELECT order_id, (row_number() OVER (ORDER BY first_at, order_id) - 1)::INTEGER AS oidx FROM (SELECT order_id, min(placed_at) AS first_at FROM rb GROUP BY 1)`);
  const names = ((await store.conn.runAndReadAll(`SELECT product_id FROM rb_items ORDER BY idx`)).getColumnsJS()[0] ?? []) as string[];
  const orderIds = ((await store.conn.runAndReadAll(`SELECT order_id FROM rb_orders ORDER BY oidx`)).getColumnsJS()[0] ?? []) as string[];
  const cols = (await store.conn.runAndReadAll(`SELECT o.oidx, i.idx FROM rb JOIN rb_items i USING (product_id) JOIN rb_orders o USING (order_id) ORDER BY 1, 2`)).getColumnsJS() as [number[], number[]];
  const [oidx = [], idx = []] = cols;
  const offsets = new Int32Array(orderIds.length + 1);
  const items = Int32Array.from(idx);
  for (const o of oidx) offsets[o + 1]!++;
  for (let i = 0; i < orderIds.length; i++) offsets[i + 1]! += offsets[i]!;
  const itemCounts = new Int32Array(names.length);
  for (const i of items) itemCounts[i]!++;
  return { baskets: { names, offsets, items, itemCounts }, orderIds };
}

export async function itemInfo(store: Store, ids: readonly string[], exponent: number): Promise<Map<string, ItemMeta>> {
  const rows = await store.all<{ id: string; title: string | null; category: string | null; family: string | null; price: number | null; cost: number | null; stock: number | null }>(`
    WITH sold AS (SELECT product_id, avg(unit_price)::DOUBLE AS p, any_value(title) AS t FROM order_lines
      WHERE line_type = 'product' AND quantity > 0 AND unit_price > 0 GROUP BY 1)
    SELECT coalesce(p.product_id, s.product_id) AS id, coalesce(p.title, s.t) AS title, p.category, p.family,
      coalesce(p.price::DOUBLE, s.p) AS price, p.cost::DOUBLE AS cost, p.stock
    FROM products p FULL OUTER JOIN sold s USING (product_id)`);
  const want = new Set(ids);
  const out = new Map<string, ItemMeta>();
  for (const r of rows) {
    if (!want.has(r.id)) continue;
    // Prices come back in major units; the model keeps minor units like the rest of the core.
    out.set(r.id, { id: r.id, title: r.title, category: r.category, family: r.family,
      priceMinor: r.price == null ? null : Math.round(r.price * 10 ** exponent), costMinor: r.cost == null ? null : Math.round(r.cost * 10 ** exponent), stock: r.stock == null ? null : Number(r.stock) });
  }
  return out;
}

/** One customer's past orders (day, products), for habits and reorders. */
export async function customerHistory(store: Store, customerId: string): Promise<{ day: number; items: string[] }[]> {
  const rows = await store.all<{ day: number; items: string[] }>(
    `SELECT (epoch(o.placed_at::DATE) / 86400)::INTEGER AS day, list(DISTINCT l.product_id) AS items
     FROM orders o JOIN order_lines l USING (order_id)
     WHERE o.customer_id = $1 AND o.kind = 'sale' AND o.status <> 'cancelled' AND l.line_type = 'product' AND l.product_id IS NOT NULL
     GROUP BY o.order_id, 1 ORDER BY 1`, [customerId]);
  return rows.map((r) => ({ day: Number(r.day), items: r.items }));
}

/**
 * Every repeat customer's recent orders (day, products), the last `maxOrders` each: the habits snapshot the server
 * keeps in memory, since a decision never reads the store.
 */
export async function repeatCustomerHistories(store: Store, maxOrders = 20): Promise<Record<string, { day: number; items: string[] }[]>> {
  const rows = await store.all<{ customer_id: string; day: number; items: string[] }>(
    `WITH o AS (
       SELECT o.customer_id, o.order_id, (epoch(o.placed_at::DATE) / 86400)::INTEGER AS day,
         row_number() OVER (PARTITION BY o.customer_id ORDER BY o.placed_at DESC, o.order_id DESC) AS recent,
         count(*) OVER (PARTITION BY o.customer_id) AS orders
       FROM orders o WHERE o.customer_id IS NOT NULL AND o.kind = 'sale' AND o.status <> 'cancelled')
     SELECT o.customer_id, o.day, list(DISTINCT l.product_id ORDER BY l.product_id) AS items
     FROM o JOIN order_lines l USING (order_id)
     WHERE o.orders >= 2 AND o.recent <= $1 AND l.line_type = 'product' AND l.product_id IS NOT NULL
     GROUP BY o.customer_id, o.order_id, o.day ORDER BY o.customer_id, o.day`, [maxOrders]);
  const out: Record<string, { day: number; items: string[] }[]> = {};
  for (const r of rows) (out[r.customer_id] ??= []).push({ day: Number(r.day), items: r.items });
  return out;
}
