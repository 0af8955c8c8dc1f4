import { TABLES, type TableName } from '../core/model/tables.js';
import { validateRow, type RawRecord } from '../core/model/validate.js';
import type { FileMapper, FormatLoader, IngestContext } from './context.js';
import { EventIds } from './event-id.js';
import { CANONICAL_FORMATS, formatSummary } from './format-list.js';

/** "Order ID", "order-id" and "order_id" all name the column order_id. */
export function canonicalName(header: string): string {
  return header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

function canonicalLoader(table: TableName, format: string): FormatLoader {
  const spec = TABLES[table];
  const known = new Set(spec.columns.map((c) => c.name));
  return {
    name: format,
    summary: formatSummary(format),
    requiredColumns: spec.columns.filter((c) => c.required).map((c) => c.name),
    looseColumnNames: true,
    open(ctx: IngestContext, columns: string[] | null): FileMapper {
      const ignored = (columns ?? []).filter((c) => !known.has(canonicalName(c)));
      if (ignored.length) ctx.note(`columns ignored (not in the ${table} model): ${ignored.join(', ')}`, 0);
      const lineCounter = new Map<string, number>();
      const eventIds = new EventIds();
      return {
        record(line: number, raw: RawRecord) {
          const rec: RawRecord = {};
          for (const [k, v] of Object.entries(raw)) rec[canonicalName(k)] = v;
          const r = validateRow(table, rec, ctx.defaultCurrency);
          if (!r.ok) {
            for (const i of r.issues.slice(0, 1))
              ctx.reject({ line, field: i.field, reason: i.reason, value: i.value, record: raw });
            return;
          }
          for (const f of r.rounded) ctx.note(`${f} rounded to the currency's precision`);
          const row = r.row as unknown as Record<string, unknown>;
          if (table === 'orders' && row.gross_merchandise == null) {
            ctx.note(
              'orders without a value (gross_merchandise empty): loaded, and AOV is unknown where they fall',
            );
          }
          if (table === 'order_lines' && row.line_no == null) {
            const n = (lineCounter.get(row.order_id as string) ?? 0) + 1;
            lineCounter.set(row.order_id as string, n);
            row.line_no = n;
          }
          if (table === 'events' && row.event_id == null) row.event_id = eventIds.next(row);
          ctx.write(table, r.row);
          ctx.loaded();
        },
        end() {},
      };
    },
  };
}

export const canonicalLoaders: FormatLoader[] = Object.entries(CANONICAL_FORMATS).map(([f, t]) =>
  canonicalLoader(t, f),
);
