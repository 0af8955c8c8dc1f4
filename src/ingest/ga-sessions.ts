import { z } from 'zod';
import { currencyExponent, type Minor } from '../core/money.js';
import type { EventRow, OrderRow, SessionRow } from '../core/model/rows.js';
import type { EventType } from '../core/model/tables.js';
import { DAY_MS } from '../core/time.js';
import { fieldType, parseRecord } from '../core/model/validate.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { formatSummary } from './format-list.js';
import { CustomerFirstSeen } from './customer-first-seen.js';
import { EventIds } from './event-id.js';

const rowSchema = z.object({
  fullVisitorId: fieldType({ kind: 'id', required: true }),
  visitId: fieldType({ kind: 'int', required: true, wide: true }),
  date: z.string().regex(/^\d{8}$/, 'is not a YYYYMMDD date'),
  time: fieldType({ kind: 'int' }),
  channelGrouping: fieldType({ kind: 'text' }),
  country: fieldType({ kind: 'text' }),
  pageviews: fieldType({ kind: 'int' }),
  timeOnSite: fieldType({ kind: 'int' }),
  transactions: fieldType({ kind: 'int' }),
  totalTransactionRevenue: fieldType({ kind: 'int', wide: true }),
  transactionId: fieldType({ kind: 'text' }),
  productSKU: fieldType({ kind: 'text' }),
  productPrice: fieldType({ kind: 'int', wide: true }),
  productQuantity: fieldType({ kind: 'int' }),
  currencyCode: fieldType({ kind: 'currency' }),
  pagePathLevel1: fieldType({ kind: 'text' }),
  type: fieldType({ kind: 'text' }),
  eCommerceAction_type: fieldType({ kind: 'int' }),
});
interface GaRow {
  fullVisitorId: string;
  visitId: number;
  date: string;
  time: number | null;
  channelGrouping: string | null;
  country: string | null;
  pageviews: number | null;
  timeOnSite: number | null;
  transactions: number | null;
  totalTransactionRevenue: number | null;
  transactionId: string | null;
  productSKU: string | null;
  productPrice: number | null;
  productQuantity: number | null;
  currencyCode: string | null;
  pagePathLevel1: string | null;
  type: string | null;
  eCommerceAction_type: number | null;
}

/** GA's eCommerceAction.action_type codes. */
const ACTION: Record<number, EventType> = {
  1: 'product_view',
  2: 'product_view',
  3: 'add_to_cart',
  4: 'remove_from_cart',
  5: 'begin_checkout',
  6: 'purchase',
};

interface Visit {
  session: SessionRow;
  firstHitMs: number;
  transactions: number;
  revenueMicros: number | null;
  transactionId: string | null;
  currency: string;
}

/** GA money is in micros (×10⁶); exact integer division to the currency's minor unit, half-to-even. */
export function microsToMinor(micros: number, exponent: number): { minor: Minor; rounded: boolean } {
  const div = 10 ** (6 - exponent);
  const q = Math.trunc(micros / div);
  const r = micros - q * div;
  if (r === 0) return { minor: q, rounded: false };
  const twice = 2 * Math.abs(r);
  const up = twice > div || (twice === div && Math.abs(q) % 2 === 1);
  return { minor: up ? q + Math.sign(micros) : q, rounded: true };
}

export const gaSessions: FormatLoader = {
  name: 'ga-sessions',
  summary: formatSummary('ga-sessions'),
  requiredColumns: [
    'fullVisitorId',
    'visitId',
    'date',
    'channelGrouping',
    'totalTransactionRevenue',
    'transactions',
  ],
  open(ctx: IngestContext): FileMapper {
    const visits = new Map<string, Visit>();
    const ids = new EventIds();
    return {
      record(line, raw) {
        const p = parseRecord(rowSchema, raw);
        if (!p.ok) return ctx.reject({ line, ...p.issues[0]!, record: raw });
        const r = p.row as unknown as GaRow;
        const sessionId = `${r.fullVisitorId}.${r.visitId}`;
        const visit = visits.get(sessionId) ?? newVisit(visits, sessionId, r, ctx.defaultCurrency);
        const at = visit.session.started_at + (r.time ?? 0);
        if (at <= visit.firstHitMs && r.pagePathLevel1) {
          visit.firstHitMs = at;
          visit.session.landing_page = r.pagePathLevel1;
        }
        if (r.transactionId) visit.transactionId = r.transactionId;
        const action = r.eCommerceAction_type ? ACTION[r.eCommerceAction_type] : undefined;
        const type: EventType | undefined = action ?? (r.type === 'PAGE' ? 'page_view' : undefined);
        if (!type) return ctx.skip('interaction hits (type EVENT) without an ecommerce action');
        const exp = currencyExponent(r.currencyCode ?? visit.currency);
        const ev: EventRow = {
          event_id: '',
          session_id: sessionId,
          occurred_at: at,
          type,
          product_id: action ? (r.productSKU ?? null) : null,
          quantity: action ? (r.productQuantity ?? null) : null,
          value: action && r.productPrice != null ? microsToMinor(r.productPrice, exp).minor : null,
          currency: r.currencyCode ?? visit.currency,
          offer_id: null,
        };
        ev.event_id = ids.next(ev as unknown as Record<string, unknown>);
        ctx.write('events', ev);
        ctx.loaded();
      },
      end() {
        const firstSeen = new CustomerFirstSeen();
        for (const v of visits.values()) {
          ctx.write('sessions', v.session);
          if (v.transactions > 0 && v.revenueMicros != null) {
            ctx.write('orders', orderOf(ctx, v));
            firstSeen.see(v.session.customer_id!, v.session.started_at);
          }
        }
        firstSeen.emit(ctx);
      },
    };
  },
};

function newVisit(visits: Map<string, Visit>, sessionId: string, r: GaRow, currency: string): Visit {
  const dayMs = Date.UTC(+r.date.slice(0, 4), +r.date.slice(4, 6) - 1, +r.date.slice(6, 8));
  // visitId is the visit's start in Unix seconds; trust it when it agrees with the date column.
  const fromId = r.visitId * 1000;
  const start = Math.abs(fromId - dayMs) < 2 * DAY_MS ? fromId : dayMs;
  const v: Visit = {
    session: {
      session_id: sessionId,
      customer_id: `ga:${r.fullVisitorId}`,
      started_at: start,
      device: 'unknown',
      channel: r.channelGrouping ?? null,
      landing_page: r.pagePathLevel1 ?? null,
      country: r.country ?? null,
      user_agent: null,
      duration_s: r.timeOnSite ?? null,
      page_views: r.pageviews ?? null,
      assignment: null,
    },
    firstHitMs: start + (r.time ?? 0),
    transactions: r.transactions ?? 0,
    revenueMicros: r.totalTransactionRevenue ?? null,
    transactionId: r.transactionId ?? null,
    currency: r.currencyCode ?? currency,
  };
  visits.set(sessionId, v);
  return v;
}

function orderOf(ctx: IngestContext, v: Visit): OrderRow {
  const m = microsToMinor(v.revenueMicros!, currencyExponent(v.currency));
  if (m.rounded) ctx.note('transaction revenues rounded from micros to the currency minor unit');
  ctx.note('orders from session totals (GA revenue includes tax and shipping; loaded as gross merchandise)');
  return {
    order_id: v.transactionId ?? `ga:${v.session.session_id}`,
    customer_id: v.session.customer_id,
    session_id: v.session.session_id,
    placed_at: v.session.started_at,
    currency: v.currency,
    gross_merchandise: m.minor,
    discount: 0,
    shipping: 0,
    tax: 0,
    refunded: 0,
    status: 'paid',
    kind: 'sale',
    country: v.session.country,
    discount_code: null,
  };
}
