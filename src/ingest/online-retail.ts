import { z } from 'zod';
import { currencyExponent, maxMinor, parseMoney, type Minor } from '../core/money.js';
import type { OrderLineRow, OrderRow, ProductRow } from '../core/model/rows.js';
import type { LineType, OrderKind } from '../core/model/tables.js';
import { fieldType, parseRecord, type RawRecord } from '../core/model/validate.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { formatSummary } from './format-list.js';
import { CustomerFirstSeen } from './customer-first-seen.js';
import { loadOnlineRetailSql } from './online-retail-sql.js';

const rowSchema = z.object({
  InvoiceNo: fieldType({ kind: 'id', required: true }),
  StockCode: fieldType({ kind: 'id', required: true }),
  Description: fieldType({ kind: 'text' }),
  Quantity: fieldType({ kind: 'int', required: true }),
  InvoiceDate: fieldType({ kind: 'time', required: true }),
  UnitPrice: fieldType({ kind: 'money', required: true }),
  CustomerID: fieldType({ kind: 'text' }),
  Country: fieldType({ kind: 'text' }),
});

/** Stock codes that are not merchandise, by what the retailer used them for. */
export const NON_PRODUCT: Record<string, LineType> = {
  POST: 'shipping',
  DOT: 'shipping',
  C2: 'shipping',
  'BANK CHARGES': 'fee',
  AMAZONFEE: 'fee',
  CRUK: 'fee',
  D: 'discount',
  M: 'adjustment',
  B: 'adjustment',
  S: 'adjustment',
};

export function lineTypeOf(
  stockCode: string,
  quantity: number,
  unitPrice: Minor,
  isReturn: boolean,
): LineType {
  const code = stockCode.toUpperCase();
  const known = NON_PRODUCT[code];
  if (known) return known;
  if (code.startsWith('GIFT_')) return 'adjustment'; // gift vouchers are a liability, not merchandise
  // Zero-priced negative lines on ordinary invoices are stock write-offs ("damaged", "lost"), not sales.
  if (!isReturn && unitPrice === 0 && quantity < 0) return 'adjustment';
  return 'product';
}

interface Invoice {
  id: string;
  kind: OrderKind;
  placedAt: number;
  customerId: string | null;
  country: string | null;
  lines: OrderLineRow[];
  /** Where each line came from, to reject the whole invoice when one of its lines is bad. */
  sources: { line: number; raw: RawRecord }[];
  /** Its bad lines and why, the first first. */
  bad: Map<number, { field: string; reason: string; value?: string }> | null;
}

export const onlineRetail: FormatLoader = {
  name: 'online-retail',
  summary: formatSummary('online-retail'),
  requiredColumns: [
    'InvoiceNo',
    'StockCode',
    'Description',
    'Quantity',
    'InvoiceDate',
    'UnitPrice',
    'CustomerID',
    'Country',
  ],
  defaultCurrency: 'GBP',
  loadSql: (sql, ctx, file) => loadOnlineRetailSql(sql, ctx, file),
  open(ctx: IngestContext): FileMapper {
    const invoices = new Map<string, Invoice>();
    const products = new Map<string, ProductRow>();
    const firstSeen = new CustomerFirstSeen();
    const currency = ctx.defaultCurrency;
    const exp = currencyExponent(currency);
    return {
      record(line, raw) {
        const p = parseRecord(rowSchema, raw);
        if (!p.ok) {
          // A line of a known invoice spoils the invoice: it is rejected whole (in end()), never loaded
          // short.
          const id = typeof raw.InvoiceNo === 'string' ? raw.InvoiceNo.trim() : '';
          if (!id || id.length > 256) return ctx.reject({ line, ...p.issues[0]!, record: raw });
          let inv = invoices.get(id);
          if (!inv) {
            inv = {
              id,
              kind: 'sale',
              placedAt: 0,
              customerId: null,
              country: null,
              lines: [],
              sources: [],
              bad: null,
            };
            invoices.set(id, inv);
          }
          (inv.bad ??= new Map()).set(line, p.issues[0]!);
          inv.sources.push({ line, raw });
          return;
        }
        const r = p.row as {
          InvoiceNo: string;
          StockCode: string;
          Description: string | null;
          Quantity: number;
          InvoiceDate: number;
          UnitPrice: string;
          CustomerID: string | null;
          Country: string | null;
        };
        const price = parseMoney(r.UnitPrice, exp);
        const isReturn = r.InvoiceNo.toUpperCase().startsWith('C');
        let inv = invoices.get(r.InvoiceNo);
        if (!inv) {
          const customerId = r.CustomerID ? r.CustomerID.replace(/\.0+$/, '') : null;
          inv = {
            id: r.InvoiceNo,
            kind: isReturn ? 'return' : 'sale',
            placedAt: r.InvoiceDate,
            customerId,
            country: r.Country,
            lines: [],
            sources: [],
            bad: null,
          };
          invoices.set(r.InvoiceNo, inv);
        }
        inv.sources.push({ line, raw });
        if (!price.ok) {
          (inv.bad ??= new Map()).set(line, { field: 'UnitPrice', reason: price.reason, value: r.UnitPrice });
          return;
        }
        const lineType = lineTypeOf(r.StockCode, r.Quantity, price.minor, isReturn);
        inv.lines.push({
          order_id: inv.id,
          line_no: inv.lines.length + 1,
          product_id: lineType === 'product' ? r.StockCode : null,
          sku: r.StockCode,
          title: r.Description,
          quantity: r.Quantity,
          unit_price: price.minor,
          line_discount: 0,
          currency,
          line_type: lineType,
        });
        if (price.rounded) ctx.note(`unit prices below one ${currency} minor unit rounded half-to-even`);
        if (lineType === 'product' && r.Quantity > 0 && price.minor > 0 && !isReturn) {
          products.set(r.StockCode, {
            product_id: r.StockCode,
            sku: r.StockCode,
            title: r.Description,
            category: null,
            family: null,
            price: price.minor,
            cost: null,
            currency,
            stock: null,
          });
        }
      },
      end() {
        for (const inv of invoices.values()) {
          if (inv.bad) rejectInvoice(ctx, inv, inv.bad);
          else if (emitInvoice(ctx, inv, currency) && inv.customerId)
            firstSeen.see(inv.customerId, inv.placedAt);
        }
        for (const p of products.values()) ctx.write('products', p);
        firstSeen.emit(ctx);
      },
    };
  },
};

/** One bad line rejects its whole invoice: a partly loaded invoice would understate the order. */
function rejectInvoice(ctx: IngestContext, inv: Invoice, bad: NonNullable<Invoice['bad']>): void {
  const [firstLine, first] = [...bad][0]!;
  const why = `another line of invoice ${inv.id} was rejected (line ${firstLine}: ${first.field} ${first.reason})`;
  for (const s of inv.sources) {
    const own = bad.get(s.line);
    if (own) ctx.reject({ line: s.line, ...own, record: s.raw });
    else ctx.reject({ line: s.line, field: '', reason: why, record: s.raw });
  }
}

/** Writes the invoice as an order and its lines; false (and the invoice rejected) when a total is beyond the store. */
function emitInvoice(ctx: IngestContext, inv: Invoice, currency: string): boolean {
  const sum = (types: LineType[]) =>
    inv.lines.filter((l) => types.includes(l.line_type)).reduce((s, l) => s + l.unit_price * l.quantity, 0);
  const merchandise = sum(['product']);
  const max = maxMinor(currencyExponent(currency));
  const worst = Math.max(
    ...(['product', 'discount', 'shipping', 'adjustment', 'fee'] as LineType[]).map((t) =>
      Math.abs(sum([t])),
    ),
  );
  if (worst > max) {
    const why = {
      field: 'UnitPrice',
      reason: 'the invoice adds up to more than the store can hold (15 digits before the decimal point)',
    };
    rejectInvoice(ctx, inv, new Map([[inv.sources[0]!.line, why]]));
    return false;
  }
  let kind = inv.kind;
  if (inv.id.toUpperCase().startsWith('A')) kind = 'adjustment';
  else if (kind === 'sale' && !inv.lines.some((l) => l.line_type === 'product' && l.quantity > 0))
    kind = 'adjustment';
  const isReturn = kind === 'return';
  const order: OrderRow = {
    order_id: inv.id,
    customer_id: inv.customerId,
    session_id: null,
    placed_at: inv.placedAt,
    currency,
    gross_merchandise: isReturn || kind === 'adjustment' ? 0 : merchandise,
    // Discount lines carry a negative quantity; on a sale they reduce it, on a return they are credited.
    discount: isReturn ? 0 : -sum(['discount']),
    shipping: isReturn ? 0 : sum(['shipping']),
    tax: 0,
    // A return credits the customer: merchandise, discounts and manual corrections, all netted here.
    refunded: isReturn ? -sum(['product', 'discount', 'adjustment']) : 0,
    status: isReturn ? 'refunded' : 'paid',
    kind,
    country: inv.country,
    discount_code: null,
  };
  ctx.write('orders', order);
  for (const l of inv.lines) ctx.write('order_lines', l);
  ctx.note(
    kind === 'sale'
      ? 'invoices loaded as sales'
      : kind === 'return'
        ? 'invoices loaded as returns (C…)'
        : 'invoices loaded as adjustments (no merchandise sold)',
  );
  if (!inv.customerId && kind === 'sale') ctx.note('sales without a CustomerID (kept as anonymous orders)');
  ctx.loaded(inv.sources.length);
  return true;
}
