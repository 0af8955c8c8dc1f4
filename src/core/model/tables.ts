/**
 * The data model, declared once. New columns go at the end of a table: existing stores gain them by ALTER
 * TABLE, which appends, and loaders write columns in this order. The SQL schema, the canonical-file
 * validators and the store's bulk writers are all derived from these specs, so a column cannot exist in one
 * place and not another.
 */
export type ColumnKind = 'id' | 'text' | 'int' | 'money' | 'time' | 'currency' | 'enum';

export interface ColumnSpec {
  readonly name: string;
  readonly kind: ColumnKind;
  /** Must be present and non-empty in every input row. */
  readonly required?: boolean;
  /** Part of the table's key: loading the same key again replaces the row. */
  readonly key?: boolean;
  /** Allowed values for enum columns. */
  readonly values?: readonly string[];
  /** Value used when the input leaves the column empty or out. */
  readonly default?: string | number;
  readonly doc: string;
}

export interface TableSpec {
  readonly name: TableName;
  readonly columns: readonly ColumnSpec[];
  readonly doc: string;
}

export const EVENT_TYPES = [
  'page_view',
  'product_view',
  'add_to_cart',
  'remove_from_cart',
  'begin_checkout',
  'purchase',
  'offer_shown',
  'offer_accepted',
  'offer_declined',
  'offer_replied',
] as const;
/** Where an offer was said: a page (web), the chat, or an email (O8). */
export const OFFER_CHANNELS = ['web', 'chat', 'email'] as const;
export type OfferChannel = (typeof OFFER_CHANNELS)[number];
export const ORDER_STATUSES = [
  'pending',
  'paid',
  'fulfilled',
  'partially_refunded',
  'refunded',
  'cancelled',
] as const;
export const ORDER_KINDS = ['sale', 'return', 'adjustment'] as const;
export const LINE_TYPES = ['product', 'shipping', 'fee', 'discount', 'adjustment'] as const;
export const ASSIGNMENTS = ['treatment', 'holdout'] as const;
export const ORDER_SOURCES = ['client', 'server'] as const;
export const DEVICES = ['desktop', 'mobile', 'tablet', 'other', 'unknown'] as const;

export type EventType = (typeof EVENT_TYPES)[number];
export type OrderStatus = (typeof ORDER_STATUSES)[number];
export type OrderKind = (typeof ORDER_KINDS)[number];
export type LineType = (typeof LINE_TYPES)[number];
export type Device = (typeof DEVICES)[number];

export const TABLE_NAMES = ['products', 'customers', 'sessions', 'events', 'orders', 'order_lines'] as const;
export type TableName = (typeof TABLE_NAMES)[number];

const currency: ColumnSpec = {
  name: 'currency',
  kind: 'currency',
  doc: 'ISO 4217 code; defaults to --currency (USD)',
};

export const TABLES: Record<TableName, TableSpec> = {
  products: {
    name: 'products',
    doc: 'The catalogue.',
    columns: [
      { name: 'product_id', kind: 'id', required: true, key: true, doc: 'stable product id' },
      { name: 'sku', kind: 'text', doc: 'stock-keeping unit' },
      { name: 'title', kind: 'text', doc: 'display name' },
      { name: 'category', kind: 'text', doc: 'category, e.g. coffee/machines' },
      {
        name: 'family',
        kind: 'text',
        doc: 'product family: variants of one product at different price levels',
      },
      { name: 'price', kind: 'money', doc: 'list price' },
      { name: 'cost', kind: 'money', doc: 'unit cost (for margins)' },
      currency,
      { name: 'stock', kind: 'int', doc: 'units in stock' },
    ],
  },
  customers: {
    name: 'customers',
    doc: 'Known customers.',
    columns: [
      { name: 'customer_id', kind: 'id', required: true, key: true, doc: 'stable customer id' },
      { name: 'first_seen_at', kind: 'time', doc: 'first session or order, UTC' },
      { name: 'loyalty_tier', kind: 'text', doc: 'e.g. bronze, silver, gold' },
      { name: 'loyalty_points', kind: 'int', doc: 'points balance' },
    ],
  },
  sessions: {
    name: 'sessions',
    doc: 'Visits to the store.',
    columns: [
      { name: 'session_id', kind: 'id', required: true, key: true, doc: 'stable session id' },
      { name: 'customer_id', kind: 'text', doc: 'known customer, if identified' },
      { name: 'started_at', kind: 'time', required: true, doc: 'session start, UTC' },
      { name: 'device', kind: 'enum', values: DEVICES, default: 'unknown', doc: DEVICES.join(', ') },
      { name: 'channel', kind: 'text', doc: 'acquisition channel, e.g. organic_search, paid_search, email' },
      { name: 'landing_page', kind: 'text', doc: 'first page path' },
      { name: 'country', kind: 'text', doc: 'country name or ISO code' },
      { name: 'user_agent', kind: 'text', doc: 'browser user agent (bot detection)' },
      { name: 'duration_s', kind: 'int', doc: 'seconds on site' },
      { name: 'page_views', kind: 'int', doc: 'pages viewed' },
      {
        name: 'assignment',
        kind: 'enum',
        values: ASSIGNMENTS,
        doc: 'treatment or holdout, when Levers chose offers for the session (global holdout)',
      },
      {
        name: 'experiments',
        kind: 'text',
        doc: "the offer experiments the session's unit was in, as experiment=variant pairs joined by ';'",
      },
    ],
  },
  events: {
    name: 'events',
    doc: 'What happened within sessions.',
    columns: [
      { name: 'event_id', kind: 'id', key: true, doc: 'stable id; derived from the row when absent' },
      { name: 'session_id', kind: 'id', required: true, doc: 'session it belongs to' },
      { name: 'occurred_at', kind: 'time', required: true, doc: 'UTC' },
      { name: 'type', kind: 'enum', values: EVENT_TYPES, required: true, doc: EVENT_TYPES.join(', ') },
      { name: 'product_id', kind: 'text', doc: 'product involved' },
      { name: 'quantity', kind: 'int', doc: 'units' },
      { name: 'value', kind: 'money', doc: 'money value (cart value, order value, offer value)' },
      currency,
      { name: 'offer_id', kind: 'text', doc: 'offer shown, accepted or declined' },
      {
        name: 'channel',
        kind: 'enum',
        values: OFFER_CHANNELS,
        doc: 'where an offer event happened: web, chat or email (O8); empty is web',
      },
    ],
  },
  orders: {
    name: 'orders',
    doc: 'Orders, returns and adjustments. Net revenue = gross_merchandise − discount − refunded.',
    columns: [
      { name: 'order_id', kind: 'id', required: true, key: true, doc: 'stable order id' },
      { name: 'customer_id', kind: 'text', doc: 'empty for anonymous orders' },
      { name: 'session_id', kind: 'text', doc: 'session that placed it, if known' },
      { name: 'placed_at', kind: 'time', required: true, doc: 'UTC' },
      { ...currency, default: undefined },
      {
        name: 'gross_merchandise',
        kind: 'money',

        doc: 'sum of line prices × quantities, before discounts; empty when unknown (AOV is then unknown, never 0)',
      },
      { name: 'discount', kind: 'money', default: 0, doc: 'order and line discounts' },
      { name: 'shipping', kind: 'money', default: 0, doc: 'shipping charged' },
      { name: 'tax', kind: 'money', default: 0, doc: 'tax charged' },
      { name: 'refunded', kind: 'money', default: 0, doc: 'refunded or returned value' },
      {
        name: 'status',
        kind: 'enum',
        values: ORDER_STATUSES,
        default: 'paid',
        doc: ORDER_STATUSES.join(', '),
      },
      {
        name: 'kind',
        kind: 'enum',
        values: ORDER_KINDS,
        default: 'sale',
        doc: 'sale; return (a credit note); adjustment (not a sale)',
      },
      { name: 'country', kind: 'text', doc: 'shipping or billing country' },
      { name: 'discount_code', kind: 'text', doc: 'coupon used' },
      {
        name: 'source',
        kind: 'enum',
        values: ORDER_SOURCES,
        doc: 'who reported it through the API: client (the browser, publishable key) or server (secret key); empty for exports',
      },
    ],
  },
  order_lines: {
    name: 'order_lines',
    doc: 'Lines of orders.',
    columns: [
      { name: 'order_id', kind: 'id', required: true, key: true, doc: 'order it belongs to' },
      {
        name: 'line_no',
        kind: 'int',
        key: true,
        doc: 'position in the order; numbered in file order when absent',
      },
      { name: 'product_id', kind: 'text', doc: 'product; empty for non-product lines' },
      { name: 'sku', kind: 'text', doc: 'SKU as exported' },
      { name: 'title', kind: 'text', doc: 'line item name as exported' },
      { name: 'quantity', kind: 'int', required: true, doc: 'units (negative on returns)' },
      { name: 'unit_price', kind: 'money', required: true, doc: 'price per unit' },
      { name: 'line_discount', kind: 'money', default: 0, doc: 'discount on this line' },
      currency,
      { name: 'line_type', kind: 'enum', values: LINE_TYPES, default: 'product', doc: LINE_TYPES.join(', ') },
    ],
  },
};

export function keyColumns(table: TableName): string[] {
  return TABLES[table].columns.filter((c) => c.key).map((c) => c.name);
}
