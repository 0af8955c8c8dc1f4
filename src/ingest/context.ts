import type { Reject, RowOf, RowSink } from '../core/model/rows.js';
import type { SqlStaging } from '../store/port.js';
import { LeversError } from '../core/errors.js';
import { currencyExponent, maxMinor } from '../core/money.js';
import { TABLES, type TableName } from '../core/model/tables.js';
import { INT32_MAX, INT32_MIN, type RawRecord } from '../core/model/validate.js';

/**
 * What a format loader talks to. Every input row must end in exactly one of loaded(), reject() or skip(); the
 * runner checks that read = loaded + rejected + skipped for every run.
 */
export class IngestContext {
  file = '';
  read = 0;
  loadedRows = 0;
  readonly rejects: Reject[] = [];
  readonly rejectedByReason = new Map<string, number>();
  readonly skippedByReason = new Map<string, number>();
  readonly notes = new Map<string, number>();
  readonly produced = new Map<TableName, number>();
  /** Currencies of the orders written (the store refuses a currency it has never held, unless asked). */
  readonly currencies = new Set<string>();

  constructor(
    private readonly sink: RowSink,
    readonly defaultCurrency: string,
  ) {}

  write<T extends TableName>(table: T, row: RowOf[T]): void {
    // The last line of defence: loaders reject what the store cannot hold, field by field, before writing. A
    // value that still gets here is a loader's bug, and stops the run with its table and column (nothing is
    // half-loaded).
    const bad = unstorable(table, row as unknown as Record<string, unknown>);
    if (bad)
      throw new LeversError('STORE_ERROR', {
        detail: `the ${this.file} loader produced ${table}.${bad} that the store cannot hold`,
      });
    if (table === 'orders') this.currencies.add((row as unknown as { currency: string }).currency);
    this.sink.write(table, row);
    this.produced.set(table, (this.produced.get(table) ?? 0) + 1);
  }

  loaded(n = 1): void {
    this.loadedRows += n;
  }

  reject(r: Omit<Reject, 'file'>): void {
    this.rejects.push({ file: this.file, ...r });
    const key = r.field ? `${r.field} ${r.reason}` : r.reason;
    this.rejectedByReason.set(key, (this.rejectedByReason.get(key) ?? 0) + 1);
  }

  skip(reason: string, n = 1): void {
    this.skippedByReason.set(reason, (this.skippedByReason.get(reason) ?? 0) + n);
  }

  /** Something worth telling that is not a loss, e.g. "unit prices rounded to the currency's precision". */
  note(what: string, n = 1): void {
    this.notes.set(what, (this.notes.get(what) ?? 0) + n);
  }

  get rejected(): number {
    return this.rejects.length;
  }

  get skipped(): number {
    let n = 0;
    for (const v of this.skippedByReason.values()) n += v;
    return n;
  }
}

const LIMITS = { int: [INT32_MIN, INT32_MAX] } as const;

/** The first column whose value the store's column type cannot hold, as "column = value", or null. */
export function unstorable(table: TableName, row: Record<string, unknown>): string | null {
  const currency = typeof row.currency === 'string' ? row.currency : 'USD';
  for (const c of TABLES[table].columns) {
    const v = row[c.name];
    if (v == null) continue;
    const n = v as number;
    const ok =
      c.kind === 'int'
        ? Number.isInteger(n) && n >= LIMITS.int[0] && n <= LIMITS.int[1]
        : c.kind === 'money'
          ? Number.isSafeInteger(n) && Math.abs(n) <= maxMinor(currencyExponent(currency))
          : c.kind === 'time'
            ? Number.isFinite(n) && n > -62_135_596_800_000 && n < 253_402_300_800_000
            : true;
    if (!ok) return `${c.name} = ${String(v)}`;
  }
  return null;
}

/** The per-file half of a format: receives validated-shape records in file order. */
export interface FileMapper {
  record(line: number, rec: RawRecord): void;
  /** Called after the last record; stateful formats (orders spanning rows) flush here. */
  end(): void;
}

export interface FormatLoader {
  readonly name: string;
  readonly summary: string;
  /** Columns that must be in the header, spelled as the source spells them. */
  readonly requiredColumns: readonly string[];
  /** Canonical tables accept "Order ID" for order_id; source exports are matched exactly. */
  readonly looseColumnNames?: boolean;
  /** Whitespace-separated text, with the column names a headerless file has. */
  readonly whitespace?: { columns: string[] };
  /**
   * One mapper for all the files of a run (end() once, after the last): a format whose records relate across
   * files, as the server's event log split into segments does (a session's events may straddle two).
   */
  readonly spansFiles?: boolean;
  /** Currency of the source when the file has no currency column and --currency is not given. */
  readonly defaultCurrency?: string;
  open(ctx: IngestContext, columns: string[] | null): FileMapper;
  /**
   * The same mapping done in SQL over a file DuckDB reads itself (much faster than record by record); false
   * when the file needs the JS reader (nothing staged then). Only for stores that stage SQL (DuckDB).
   */
  loadSql?(sql: SqlStaging, ctx: IngestContext, file: string): Promise<boolean>;
}
