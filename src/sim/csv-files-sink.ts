import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { currencyExponent, minorToDecimal } from '../core/money.js';
import type { RowOf, RowSink } from '../core/model/rows.js';
import { TABLES, type TableName } from '../core/model/tables.js';
import { toSqlTimestamp } from '../core/time.js';

/** File name of each table in canonical CSV form, as `levers ingest <format>` expects it. */
export const FILE_OF: Record<TableName, [format: string, file: string]> = {
  products: ['products', 'products.csv'],
  customers: ['customers', 'customers.csv'],
  sessions: ['sessions', 'sessions.csv'],
  events: ['events', 'events.csv'],
  orders: ['orders', 'orders.csv'],
  order_lines: ['order-lines', 'order_lines.csv'],
};

function cell(v: string): string {
  return /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** Writes rows as canonical CSV files (money as exact decimals, times as UTC). */
export class CsvFilesSink implements RowSink {
  private readonly fds = new Map<TableName, number>();
  private readonly bufs = new Map<TableName, string[]>();

  constructor(readonly dir: string) {
    mkdirSync(dir, { recursive: true });
  }

  write<T extends TableName>(table: T, row: RowOf[T]): void {
    let buf = this.bufs.get(table);
    if (!buf) {
      // Simulated customers are still customers' shapes: exports are readable by their owner only.
      this.fds.set(table, openSync(join(this.dir, FILE_OF[table][1]), 'w', 0o600));
      this.bufs.set(table, (buf = [TABLES[table].columns.map((c) => c.name).join(',')]));
    }
    const rec = row as unknown as Record<string, unknown>;
    const exp = typeof rec.currency === 'string' ? currencyExponent(rec.currency) : 2;
    buf.push(
      TABLES[table].columns
        .map((c) => {
          const v = rec[c.name];
          if (v === null || v === undefined) return '';
          if (c.kind === 'money') return minorToDecimal(v as number, exp);
          if (c.kind === 'time') return `${toSqlTimestamp(v as number)}Z`;
          return cell(String(v));
        })
        .join(','),
    );
    if (buf.length >= 20_000) this.flush(table);
  }

  private flush(table: TableName): void {
    const buf = this.bufs.get(table)!;
    if (buf.length) writeSync(this.fds.get(table)!, `${buf.join('\n')}\n`);
    buf.length = 0;
  }

  close(): string[] {
    for (const t of this.fds.keys()) {
      this.flush(t);
      closeSync(this.fds.get(t)!);
    }
    return [...this.fds.keys()].map((t) => join(this.dir, FILE_OF[t][1]));
  }
}
