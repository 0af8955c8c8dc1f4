import { currencyExponent, decimalToMinor } from '../../../core/money.js';
import type { Baskets } from '../../../core/recs/baskets.js';
import type { PastOrder } from '../../../core/recs/habits.js';
import type { ItemMeta } from '../../../core/recs/model.js';
import type { BasketQuery } from '../../port.js';
import type { SqlConn } from '../conn.js';
import { isSale, isSoldProductLine } from '../definitions.js';

/**
 * Sale baskets (distinct products of each sale), ordered by time, encoded as integers in SQL and read
 * column-wise, so millions of orders never become JavaScript objects.
 */
export async function loadBaskets(
  db: SqlConn,
  q: BasketQuery = {},
): Promise<{ baskets: Baskets; orderIds: string[] }> {
  const where: string[] = [];
  const params: string[] = [];
  if (q.before) where.push(`o.placed_at < $${params.push(q.before)}::TIMESTAMP`);
  if (q.from) where.push(`o.placed_at >= $${params.push(q.from)}::TIMESTAMP`);
  await db.tempTable(
    'rb',
    `SELECT DISTINCT l.order_id, l.product_id, o.placed_at FROM order_lines l JOIN orders o USING (order_id)
    WHERE ${isSale('o')} AND ${isSoldProductLine('l')} ${where.length ? `AND ${where.join(' AND ')}` : ''}`,
    params,
  );
  await db.tempTable(
    'rb_items',
    `SELECT product_id, (row_number() OVER (ORDER BY product_id) - 1)::INTEGER AS idx
    FROM (SELECT DISTINCT product_id FROM rb) p`,
  );
  await db.tempTable(
    'rb_orders',
    `SELECT order_id, (row_number() OVER (ORDER BY first_at, order_id) - 1)::INTEGER AS oidx
    FROM (SELECT order_id, min(placed_at) AS first_at FROM rb GROUP BY 1) o`,
  );
  const [names = []] = await db.columns<[string[]]>(`SELECT product_id FROM rb_items ORDER BY idx`);
  const [orderIds = []] = await db.columns<[string[]]>(`SELECT order_id FROM rb_orders ORDER BY oidx`);
  const [oidx = [], idx = []] = await db.columns<[number[], number[]]>(
    `SELECT o.oidx, i.idx FROM rb JOIN rb_items i USING (product_id) JOIN rb_orders o USING (order_id) ` +
      `ORDER BY 1, 2`,
  );
  const offsets = new Int32Array(orderIds.length + 1);
  const items = Int32Array.from(idx);
  for (const o of oidx) offsets[o + 1]!++;
  for (let i = 0; i < orderIds.length; i++) offsets[i + 1]! += offsets[i]!;
  const itemCounts = new Int32Array(names.length);
  for (const i of items) itemCounts[i]!++;
  for (const t of ['rb', 'rb_items', 'rb_orders']) await db.run(`DROP TABLE IF EXISTS ${t}`);
  return { baskets: { names, offsets, items, itemCounts }, orderIds };
}

/**
 * The catalogue's view of products: the products table, else what they sold at (the mean sold price, rounded
 * to the currency's precision). Money is read as exact decimal text, never as a float.
 */
export async function itemInfo(
  db: SqlConn,
  ids: readonly string[],
  currency: string,
): Promise<Map<string, ItemMeta>> {
  const exp = currencyExponent(currency);
  const rows = await db.all<{
    id: string;
    title: string | null;
    category: string | null;
    family: string | null;
    price: string | null;
    cost: string | null;
    stock: number | null;
  }>(`
    WITH sold AS (SELECT product_id, round(avg(unit_price), ${exp}) AS p, min(title) AS t FROM
      order_lines
      WHERE line_type = 'product' AND quantity > 0 AND unit_price > 0 GROUP BY 1)
    SELECT coalesce(p.product_id, s.product_id) AS id, coalesce(p.title, s.t) AS title, p.category, p.family,
      coalesce(p.price, s.p)::VARCHAR AS price, p.cost::VARCHAR AS cost, p.stock
    FROM products p FULL OUTER JOIN sold s USING (product_id)`);
  const want = new Set(ids);
  const out = new Map<string, ItemMeta>();
  const minor = (v: string | null) => (v == null ? null : decimalToMinor(v, exp));
  for (const r of rows) {
    if (!want.has(r.id)) continue;
    out.set(r.id, {
      id: r.id,
      title: r.title,
      category: r.category,
      family: r.family,
      priceMinor: minor(r.price),
      costMinor: minor(r.cost),
      stock: r.stock == null ? null : Number(r.stock),
    });
  }
  return out;
}

/** One customer's past orders (day, products), for habits and reorders. */
export async function customerHistory(db: SqlConn, customerId: string): Promise<PastOrder[]> {
  const rows = await db.all<{ day: number; items: string[] }>(
    `SELECT (o.placed_at::DATE - DATE '1970-01-01')::INTEGER AS day, array_agg(DISTINCT l.product_id ORDER BY l.product_id) AS items
     FROM orders o JOIN order_lines l USING (order_id)
     WHERE o.customer_id = $1 AND ${isSale('o')} AND l.line_type = 'product' AND l.product_id IS NOT NULL
     GROUP BY o.order_id, 1 ORDER BY 1`,
    [customerId],
  );
  return rows.map((r) => ({ day: Number(r.day), items: r.items }));
}

/**
 * Every repeat customer's recent orders, the last `maxOrders` each: the habits snapshot the server keeps in
 * memory.
 */
export async function repeatCustomerHistories(
  db: SqlConn,
  maxOrders: number,
): Promise<Record<string, PastOrder[]>> {
  const rows = await db.all<{ customer_id: string; day: number; items: string[] }>(
    `WITH o AS (
       SELECT o.customer_id, o.order_id, (o.placed_at::DATE - DATE '1970-01-01')::INTEGER AS day,
         row_number() OVER (PARTITION BY o.customer_id ORDER BY o.placed_at DESC, o.order_id DESC) AS recent,
         count(*) OVER (PARTITION BY o.customer_id) AS orders
       FROM orders o WHERE o.customer_id IS NOT NULL AND ${isSale('o')})
     SELECT o.customer_id, o.day, array_agg(DISTINCT l.product_id ORDER BY l.product_id) AS items
     FROM o JOIN order_lines l USING (order_id)
     WHERE o.orders >= 2 AND o.recent <= $1 AND l.line_type = 'product' AND l.product_id IS NOT NULL
     GROUP BY o.customer_id, o.order_id, o.day ORDER BY o.customer_id, o.day`,
    [maxOrders],
  );
  const out: Record<string, PastOrder[]> = {};
  for (const r of rows) (out[r.customer_id] ??= []).push({ day: Number(r.day), items: r.items });
  return out;
}

export async function lastOrderDay(db: SqlConn): Promise<number | null> {
  const d = await db.one<{ d: number | null }>(
    `SELECT (max(placed_at)::DATE - DATE '1970-01-01')::INTEGER AS d FROM orders`,
  );
  return d.d == null ? null : Number(d.d);
}

export async function saleTimeQuantile(db: SqlConn, q: number): Promise<string | null> {
  const r = await db.one<{ d: string | null }>(
    `SELECT ${db.dialect.timestampText(db.dialect.percentileDisc('$1', 'placed_at'))} AS d FROM orders WHERE ${isSale()}`,
    [q],
  );
  return r.d;
}
