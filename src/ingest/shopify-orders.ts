import { z } from 'zod';
import { currencyExponent, maxMinor, parseMoney, type Minor } from '../core/money.js';
import type { OrderLineRow, OrderRow } from '../core/model/rows.js';
import type { OrderStatus } from '../core/model/tables.js';
import { fieldType, parseRecord, type RawRecord } from '../core/model/validate.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { formatSummary } from './format-list.js';
import { CustomerFirstSeen } from './customer-first-seen.js';
import { emailCustomerId } from './hash-id.js';

/** Order-level fields: Shopify fills them on an order's first row only. */
const orderSchema = z.object({
  Name: fieldType({ kind: 'id', required: true }),
  Email: fieldType({ kind: 'text' }),
  'Financial Status': fieldType({ kind: 'text' }),
  'Fulfillment Status': fieldType({ kind: 'text' }),
  Currency: fieldType({ kind: 'currency' }),
  Shipping: fieldType({ kind: 'money' }),
  Taxes: fieldType({ kind: 'money' }),
  'Discount Code': fieldType({ kind: 'text' }),
  'Discount Amount': fieldType({ kind: 'money' }),
  'Created at': fieldType({ kind: 'time', required: true }),
  'Cancelled at': fieldType({ kind: 'time' }),
  'Refunded Amount': fieldType({ kind: 'money' }),
  Total: fieldType({ kind: 'money' }),
  'Shipping Country': fieldType({ kind: 'text' }),
  'Billing Country': fieldType({ kind: 'text' }),
});

const lineSchema = z.object({
  Name: fieldType({ kind: 'id', required: true }),
  'Lineitem quantity': fieldType({ kind: 'int', required: true }),
  'Lineitem name': fieldType({ kind: 'text', required: true }),
  'Lineitem price': fieldType({ kind: 'money', required: true }),
  'Lineitem sku': fieldType({ kind: 'text' }),
  'Lineitem discount': fieldType({ kind: 'money' }),
  Vendor: fieldType({ kind: 'text' }),
});

interface PendingOrder {
  name: string;
  rows: { line: number; raw: RawRecord }[];
  bad?: { line: number; field: string; reason: string; value?: string };
}

export const shopifyOrders: FormatLoader = {
  name: 'shopify-orders',
  summary: formatSummary('shopify-orders'),
  requiredColumns: ['Name', 'Created at', 'Lineitem quantity', 'Lineitem name', 'Lineitem price'],
  open(ctx: IngestContext): FileMapper {
    const orders = new Map<string, PendingOrder>();
    const firstSeen = new CustomerFirstSeen();
    return {
      record(line, raw) {
        const name = String(raw.Name ?? '').trim();
        const key = name === '' ? `\u0000line${line}` : name;
        let o = orders.get(key);
        if (!o) orders.set(key, (o = { name, rows: [] }));
        o.rows.push({ line, raw });
      },
      end() {
        for (const o of orders.values()) emitOrder(ctx, o, firstSeen);
        firstSeen.emit(ctx);
      },
    };
  },
};

function emitOrder(ctx: IngestContext, o: PendingOrder, firstSeen: CustomerFirstSeen): void {
  const head = o.rows[0]!;
  const order = parseRecord(orderSchema, head.raw);
  if (!order.ok) {
    rejectAll(ctx, o, head.line, order.issues[0]!);
    return;
  }
  const f = order.row as Record<string, string | number | null>;
  // Order-level fields are filled on the first row; on a later row any value given must read, and agree.
  for (const r of o.rows.slice(1)) {
    const issue = laterRowIssue(r.raw, f);
    if (issue) {
      rejectAll(ctx, o, r.line, issue);
      return;
    }
  }
  const currency = (f.Currency as string | null) ?? ctx.defaultCurrency;
  const exp = currencyExponent(currency);
  let bad: { line: number; field: string; reason: string; value: string } | null = null;
  const money = (v: unknown, field: string, line: number): Minor => {
    if (v == null) return 0;
    const m = parseMoney(String(v), exp);
    if (!m.ok) {
      bad ??= { line, field, reason: m.reason, value: String(v) };
      return 0;
    }
    if (m.rounded) ctx.note("amounts rounded to the currency's precision");
    return m.minor;
  };
  const lines: OrderLineRow[] = [];
  for (const [i, r] of o.rows.entries()) {
    const p = parseRecord(lineSchema, r.raw);
    if (!p.ok) {
      rejectAll(ctx, o, r.line, p.issues[0]!);
      return;
    }
    const l = p.row as Record<string, string | number | null>;
    if ((l['Lineitem quantity'] as number) < 0) {
      // Shopify records returns as refunds on the order, never as negative line quantities.
      const q = String(l['Lineitem quantity']);
      rejectAll(ctx, o, r.line, {
        field: 'Lineitem quantity',
        reason: 'is negative (Shopify exports returns as refunds)',
        value: q,
      });
      return;
    }
    const sku = l['Lineitem sku'] as string | null;
    lines.push({
      order_id: o.name,
      line_no: i + 1,
      product_id: sku ?? `title:${l['Lineitem name']}`,
      sku,
      title: l['Lineitem name'] as string,
      quantity: l['Lineitem quantity'] as number,
      unit_price: money(l['Lineitem price'], 'Lineitem price', r.line),
      line_discount: money(l['Lineitem discount'], 'Lineitem discount', r.line),
      currency,
      line_type: 'product',
    });
  }
  const gross = lines.reduce((s, l) => s + l.unit_price * l.quantity, 0);
  const lineDiscounts = lines.reduce((s, l) => s + l.line_discount, 0);
  const line1 = head.line;
  const discount =
    f['Discount Amount'] != null ? money(f['Discount Amount'], 'Discount Amount', line1) : lineDiscounts;
  const status = statusOf(f);
  const email = f.Email as string | null;
  const customerId = email ? emailCustomerId(email) : null;
  const row: OrderRow = {
    order_id: o.name,
    customer_id: customerId,
    session_id: null,
    placed_at: f['Created at'] as number,
    currency,
    gross_merchandise: gross,
    discount,
    shipping: money(f.Shipping, 'Shipping', line1),
    tax: money(f.Taxes, 'Taxes', line1),
    refunded: merchandiseRefund(
      status,
      gross - discount,
      money(f['Refunded Amount'], 'Refunded Amount', line1),
      f.Total == null ? null : money(f.Total, 'Total', line1),
    ),
    status,
    kind: 'sale',
    country: (f['Shipping Country'] ?? f['Billing Country']) as string | null,
    discount_code: f['Discount Code'] as string | null,
  };
  if (!bad && Math.abs(gross) > maxMinor(exp))
    bad = {
      line: line1,
      field: 'Lineitem price',
      reason: 'the lines add up to more than the store can hold',
      value: String(gross),
    };
  if (bad) {
    rejectAll(ctx, o, (bad as { line: number }).line, bad);
    return;
  }
  ctx.write('orders', row);
  for (const l of lines) {
    ctx.write('order_lines', l);
    ctx.write('products', {
      product_id: l.product_id!,
      sku: l.sku,
      title: l.title,
      category: null,
      family: null,
      price: l.unit_price,
      cost: null,
      currency,
      stock: null,
    });
  }
  if (customerId) firstSeen.see(customerId, row.placed_at);
  ctx.loaded(o.rows.length);
}

/** Order-level fields that must agree between an order's rows when a later row repeats them. */
const MUST_AGREE = ['Created at', 'Currency'] as const;

function laterRowIssue(
  raw: RawRecord,
  head: Record<string, unknown>,
): { field: string; reason: string; value?: string } | null {
  const given: RawRecord = {};
  for (const k of Object.keys(orderSchema.shape))
    if (raw[k] != null && String(raw[k]).trim() !== '') given[k] = raw[k];
  if (Object.keys(given).length <= 1) return null;
  const p = orderSchema.partial().safeParse(given);
  if (!p.success) {
    const i = p.error.issues[0]!;
    const field = String(i.path[0] ?? '');
    return { field, reason: i.message, value: String(given[field] ?? '') };
  }
  const row = p.data as Record<string, unknown>;
  for (const k of MUST_AGREE) {
    if (row[k] != null && head[k] != null && row[k] !== head[k]) {
      return { field: k, reason: "differs from the order's first row", value: String(given[k]) };
    }
  }
  return null;
}

/**
 * Shopify's Refunded Amount includes refunded tax and shipping; the model's refunded is merchandise only (net
 * revenue excludes tax and shipping), so a full refund is the whole merchandise net and a partial one its
 * merchandise share of the order total.
 */
export function merchandiseRefund(
  status: OrderStatus,
  merchandiseNet: Minor,
  refunded: Minor,
  total: Minor | null,
): Minor {
  if (refunded <= 0) return 0;
  if (status === 'refunded') return merchandiseNet;
  const share = total && total > 0 ? Math.round((refunded * merchandiseNet) / total) : refunded;
  return Math.min(merchandiseNet, share);
}

function statusOf(f: Record<string, unknown>): OrderStatus {
  if (f['Cancelled at'] != null) return 'cancelled';
  const fin = String(f['Financial Status'] ?? '').toLowerCase();
  if (fin === 'voided') return 'cancelled';
  if (fin === 'refunded') return 'refunded';
  if (fin === 'partially_refunded') return 'partially_refunded';
  if (fin === 'pending' || fin === 'authorized') return 'pending';
  if (String(f['Fulfillment Status'] ?? '').toLowerCase() === 'fulfilled') return 'fulfilled';
  return 'paid';
}

/** One bad row rejects its whole order: a partly loaded order would misstate revenue. */
function rejectAll(
  ctx: IngestContext,
  o: PendingOrder,
  badLine: number,
  issue: { field: string; reason: string; value?: string },
): void {
  for (const r of o.rows) {
    if (r.line === badLine) ctx.reject({ line: r.line, ...issue, record: r.raw });
    else
      ctx.reject({
        line: r.line,
        field: '',
        reason: 'another row of the same order is invalid',
        value: `line ${badLine}`,
        record: r.raw,
      });
  }
}
