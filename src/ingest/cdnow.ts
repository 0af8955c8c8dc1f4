import { z } from 'zod';
import { currencyExponent, parseMoney } from '../core/money.js';
import { fieldType, parseRecord } from '../core/model/validate.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { formatSummary } from './format-list.js';
import { CustomerFirstSeen } from './customer-first-seen.js';

const rowSchema = z.object({
  customer_id: fieldType({ kind: 'id', required: true }),
  date: z.string().regex(/^\d{8}$/, 'is not a YYYYMMDD date'),
  dollar_value: fieldType({ kind: 'money', required: true }),
});

/**
 * A purchase log in CDNOW's shape: customer, date (yyyymmdd), units, value, whitespace separated. Each row is
 * one purchase (an order without lines: the log gives units and value, not items); $0 rows are purchases too,
 * as the CLV literature counts them.
 */
export const cdnow: FormatLoader = {
  name: 'cdnow',
  summary: formatSummary('cdnow'),
  requiredColumns: ['customer_id', 'date', 'dollar_value'],
  whitespace: { columns: ['customer_id', 'sample_id', 'date', 'number_of_cds', 'dollar_value'] },
  open(ctx: IngestContext): FileMapper {
    const seen = new Map<string, number>();
    const firstSeen = new CustomerFirstSeen();
    const exp = currencyExponent(ctx.defaultCurrency);
    return {
      record(line, raw) {
        const p = parseRecord(rowSchema, raw);
        if (!p.ok) return ctx.reject({ line, ...p.issues[0]!, record: raw });
        const r = p.row as { customer_id: string; date: string; dollar_value: string };
        const d = r.date;
        const at = Date.UTC(+d.slice(0, 4), +d.slice(4, 6) - 1, +d.slice(6, 8));
        if (new Date(at).toISOString().slice(0, 10).replace(/-/g, '') !== d) {
          return ctx.reject({
            line,
            field: 'date',
            reason: 'is not a valid calendar date',
            value: d,
            record: raw,
          });
        }
        const customer = String(Number(r.customer_id));
        // Purchases of one customer on one day are told apart by their order in the file.
        const key = `${customer}-${d}`;
        const n = (seen.get(key) ?? 0) + 1;
        seen.set(key, n);
        const value = parseMoney(r.dollar_value, exp);
        if (!value.ok) return ctx.reject({ line, field: 'dollar_value', reason: value.reason, record: raw });
        ctx.write('orders', {
          order_id: `cdnow-${key}-${n}`,
          customer_id: customer,
          session_id: null,
          placed_at: at,
          currency: ctx.defaultCurrency,
          gross_merchandise: value.minor,
          discount: 0,
          shipping: 0,
          tax: 0,
          refunded: 0,
          status: 'paid',
          kind: 'sale',
          country: null,
          discount_code: null,
        });
        firstSeen.see(customer, at);
        ctx.loaded();
      },
      end() {
        firstSeen.emit(ctx);
      },
    };
  },
};
