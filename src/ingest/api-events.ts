import { zodProblem } from '../core/errors.js';
import { amountOutOfRange, LoggedApiEvent } from '../core/model/api-event.js';
import type { OrderLineRow, OrderRow, SessionRow } from '../core/model/rows.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { formatSummary } from './format-list.js';
import { CustomerFirstSeen } from './customer-first-seen.js';

interface SessionAcc {
  row: SessionRow;
  lastMs: number;
}

/**
 * The event log `levers serve` writes (<store>/events/events.jsonl): every event becomes an events row keyed
 * on its idempotency key, sessions are rebuilt from their events (start, customer, device, pages, the
 * assignment the server stamped), and a purchase that carries its order becomes an order with its lines.
 * Loading the same log again changes nothing, so it can be loaded as it grows.
 */
const MAX_SESSION_S = 86_400;

export const apiEvents: FormatLoader = {
  name: 'api-events',
  spansFiles: true,
  summary: formatSummary('api-events'),
  requiredColumns: [],
  open(ctx: IngestContext): FileMapper {
    const seen = new Set<string>();
    const orders = new Set<string>();
    const sessions = new Map<string, SessionAcc>();
    const firstSeen = new CustomerFirstSeen();
    return {
      record(line, raw) {
        const p = LoggedApiEvent.safeParse(raw);
        if (!p.success) {
          const { path: field, problem } = zodProblem(p.error, 'key');
          const value = p.error.issues[0]!.path.reduce<unknown>(
            (v, k) => (v as Record<PropertyKey, unknown> | undefined)?.[k],
            raw,
          );
          return ctx.reject({
            line,
            field,
            reason: problem,
            value:
              value === undefined
                ? undefined
                : String(typeof value === 'object' ? JSON.stringify(value) : value),
            record: raw,
          });
        }
        const e = p.data;
        if (seen.has(e.idempotencyKey))
          return ctx.skip('repeated idempotency key (the event is already in this log)');
        const at = Date.parse(e.occurredAt);
        // Older logs were written before the API bounded these: a value the store cannot hold is this line's
        // reject.
        const range = amountOutOfRange(e, e.currency);
        if (range) return ctx.reject({ line, field: range.path, reason: range.problem, record: raw });
        if (at < Date.UTC(1970, 0, 1) || at >= Date.UTC(2200, 0, 1)) {
          return ctx.reject({
            line,
            field: 'occurredAt',
            reason: 'is outside the years 1970–2199',
            value: e.occurredAt,
            record: raw,
          });
        }
        let order: { row: OrderRow; lines: OrderLineRow[] } | null = null;
        if (e.type === 'purchase' && (e.orderId || e.lines || e.valueMinor != null)) {
          const fromLines = e.lines?.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0);
          if (fromLines != null && e.valueMinor != null && fromLines !== e.valueMinor) {
            return ctx.reject({
              line,
              field: 'valueMinor',
              reason: `does not equal the sum of the lines (${fromLines}); send the value before discounts`,
              value: String(e.valueMinor),
              record: raw,
            });
          }
          const orderId = e.orderId ?? `api:${e.idempotencyKey}`;
          if (orders.has(orderId))
            ctx.note('purchase events repeating an order already in this log: the first is kept');
          else {
            orders.add(orderId);
            const lines: OrderLineRow[] = (e.lines ?? []).map((l, i) => ({
              order_id: orderId,
              line_no: i + 1,
              product_id: l.productId,
              sku: null,
              title: null,
              quantity: l.quantity,
              unit_price: l.unitPriceMinor,
              line_discount: l.discountMinor ?? 0,
              currency: e.currency,
              line_type: 'product',
            }));
            order = {
              row: {
                order_id: orderId,
                customer_id: e.customerId ?? null,
                session_id: e.sessionId,
                placed_at: at,
                currency: e.currency,
                gross_merchandise: fromLines ?? e.valueMinor ?? 0,
                discount: e.discountMinor ?? lines.reduce((s, l) => s + l.line_discount, 0),
                shipping: e.shippingMinor ?? 0,
                tax: 0,
                refunded: 0,
                status: 'paid',
                kind: 'sale',
                country: null,
                discount_code: null,
                // Revenue the browser reported is said as such in the report; an export of the same order
                // replaces it.
                source: e.source ?? 'client',
              },
              lines,
            };
          }
        } else if (e.type === 'purchase')
          ctx.note('purchase events without order id, value or lines: kept as events, no order');
        seen.add(e.idempotencyKey);
        ctx.write('events', {
          event_id: e.idempotencyKey,
          session_id: e.sessionId,
          occurred_at: at,
          type: e.type,
          product_id: e.productId ?? null,
          quantity: e.quantity ?? null,
          value: e.valueMinor ?? null,
          currency: e.currency,
          offer_id: e.offerId ?? null,
          channel: e.channel ?? null,
        });
        if (order) {
          ctx.write('orders', order.row);
          for (const l of order.lines) ctx.write('order_lines', l);
          if (e.customerId) firstSeen.see(e.customerId, at);
        }
        const s = sessions.get(e.sessionId);
        const page = e.type === 'page_view' || e.type === 'product_view' ? 1 : 0;
        if (!s) {
          sessions.set(e.sessionId, {
            lastMs: at,
            row: {
              session_id: e.sessionId,
              customer_id: e.customerId ?? null,
              started_at: at,
              device: e.device ?? 'unknown',
              channel: null,
              landing_page: null,
              country: null,
              user_agent: null,
              duration_s: 0,
              page_views: page,
              assignment: e.assignment,
              experiments: experimentsText(e.experiments),
            },
          });
        } else {
          const r = s.row;
          if (at < r.started_at) {
            r.started_at = at;
            // The session's first event decides its group: that is when the storefront first asked for a
            // decision.
            r.assignment = e.assignment;
            r.experiments = experimentsText(e.experiments);
          } else if (e.assignment !== r.assignment)
            ctx.note(
              'sessions whose events carry both assignments (a customer id appeared mid-session): the ' +
                "first event's is kept",
            );
          s.lastMs = Math.max(s.lastMs, at);
          r.customer_id ??= e.customerId ?? null;
          if (r.device === 'unknown' && e.device) r.device = e.device;
          r.page_views = (r.page_views ?? 0) + page;
        }
        ctx.loaded();
      },
      end() {
        for (const s of sessions.values()) {
          const seconds = Math.round((s.lastMs - s.row.started_at) / 1000);
          // No visit lasts a day: events that far apart share a session id by accident (or by a hostile
          // client).
          if (seconds > MAX_SESSION_S)
            ctx.note('sessions whose events span more than a day: duration kept at one day');
          s.row.duration_s = Math.min(seconds, MAX_SESSION_S);
          ctx.write('sessions', s.row);
        }
        firstSeen.emit(ctx);
      },
    };
  },
};

/** The session's experiments as the store keeps them: "experiment=variant" pairs joined by ';', or null. */
function experimentsText(x: LoggedApiEvent['experiments']): string | null {
  return x?.length ? x.map((e) => `${e.experiment}=${e.variant}`).join(';') : null;
}
