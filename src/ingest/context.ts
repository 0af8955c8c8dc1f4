import type { Reject, RowOf, RowSink } from '../core/model/rows.js';
import type { TableName } from '../core/model/tables.js';
import type { RawRecord } from '../core/model/validate.js';

/**
 * What a format loader talks to. Every input row must end in exactly one of loaded(), reject() or
 * skip(); the runner checks that read = loaded + rejected + skipped for every run.
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

  constructor(
    private readonly sink: RowSink,
    readonly defaultCurrency: string,
  ) {}

  write<T extends TableName>(table: T, row: RowOf[T]): void {
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
  /** Currency of the source when the file has no currency column and --currency is not given. */
  readonly defaultCurrency?: string;
  open(ctx: IngestContext, columns: string[] | null): FileMapper;
}
