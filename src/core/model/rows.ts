import type { Minor } from '../money.js';
import type { EpochMs } from '../time.js';
import type { Device, EventType, LineType, OrderKind, OrderStatus, TableName } from './tables.js';

/** Row shapes exactly as stored (snake_case mirrors the columns). Money is minor units, times epoch ms. */
export interface ProductRow {
  product_id: string;
  sku: string | null;
  title: string | null;
  category: string | null;
  family: string | null;
  price: Minor | null;
  cost: Minor | null;
  currency: string;
  stock: number | null;
}
export interface CustomerRow {
  customer_id: string;
  first_seen_at: EpochMs | null;
  loyalty_tier: string | null;
  loyalty_points: number | null;
}
export interface SessionRow {
  session_id: string;
  customer_id: string | null;
  started_at: EpochMs;
  device: Device;
  channel: string | null;
  landing_page: string | null;
  country: string | null;
  user_agent: string | null;
  duration_s: number | null;
  page_views: number | null;
  assignment: 'treatment' | 'holdout' | null;
  /** "experiment=variant;…" as levers serve stamped it on the session's first event (null: none). */
  experiments?: string | null;
}
export interface EventRow {
  event_id: string;
  session_id: string;
  occurred_at: EpochMs;
  type: EventType;
  product_id: string | null;
  quantity: number | null;
  value: Minor | null;
  currency: string;
  offer_id: string | null;
  /** Where an offer event happened (web, chat, email); absent or null: web. */
  channel?: 'web' | 'chat' | 'email' | null;
}
export interface OrderRow {
  order_id: string;
  customer_id: string | null;
  session_id: string | null;
  placed_at: EpochMs;
  currency: string;
  /** Null when the export does not know the value: AOV is then unknown, never 0. */
  gross_merchandise: Minor | null;
  discount: Minor;
  shipping: Minor;
  tax: Minor;
  refunded: Minor;
  status: OrderStatus;
  kind: OrderKind;
  country: string | null;
  discount_code: string | null;
  /** Reported through the API by the browser or the store's own systems; absent for an export. */
  source?: 'client' | 'server' | null;
}
export interface OrderLineRow {
  order_id: string;
  line_no: number;
  product_id: string | null;
  sku: string | null;
  title: string | null;
  quantity: number;
  unit_price: Minor;
  line_discount: Minor;
  currency: string;
  line_type: LineType;
}

export interface RowOf {
  products: ProductRow;
  customers: CustomerRow;
  sessions: SessionRow;
  events: EventRow;
  orders: OrderRow;
  order_lines: OrderLineRow;
}

/** Where loaders put what they produce; the store implements it with bulk appenders. */
export interface RowSink {
  write<T extends TableName>(table: T, row: RowOf[T]): void;
}

/**
 * An input row that could not be loaded: where it was, which field, why, and the record to fix and load
 * again.
 */
export interface Reject {
  file: string;
  line: number;
  field: string;
  reason: string;
  value?: string;
  record?: Record<string, unknown>;
}
