import { type DuckDBAppender, DuckDBDataChunk } from '@duckdb/node-api';
import bindings from '@duckdb/node-bindings';
import { currencyExponent } from '../../core/money.js';
import type { ColumnSpec } from '../../core/model/tables.js';

/**
 * How a column's values are laid out in a DuckDB vector: VARCHAR as 16-byte string_t, INTEGER as int32,
 * DECIMAL(18,3) and TIMESTAMP and BIGINT as int64 (the decimal scaled by 1000, the timestamp in microseconds).
 */
type Layout = 'varchar' | 'int' | 'decimal' | 'timestamp' | 'bigint';

const SQL_TYPE: Record<Layout, string> = {
  varchar: 'VARCHAR',
  int: 'INTEGER',
  decimal: 'DECIMAL(18,3)',
  timestamp: 'TIMESTAMP',
  bigint: 'BIGINT',
};
const WIDTH: Record<Layout, number> = { varchar: 16, int: 4, decimal: 8, timestamp: 8, bigint: 8 };

function layoutOf(col: ColumnSpec): Layout {
  if (col.kind === 'int') return 'int';
  if (col.kind === 'money') return 'decimal';
  if (col.kind === 'time') return 'timestamp';
  return 'varchar';
}

/** Rows per chunk: DuckDB's vector size. */
const CAPACITY = bindings.vector_size();
const TWO_32 = 4294967296;
/** |micros| and |scaled decimal| below this are exact in a double, so they are written from numbers. */
const SAFE = Number.MAX_SAFE_INTEGER;
/** Timestamps up to this many ms from the epoch (year 2255) have their microseconds exact in a double. */
const SAFE_MS = Math.floor(SAFE / 1000);
const SCALE = [1000, 100, 10, 1];

interface Column {
  name: string;
  layout: Layout;
  view: DataView;
  bytes: Uint8Array;
  /** One bit per row, set when valid (DuckDB's validity mask, little-endian words). */
  validity: Uint32Array;
  /** Strings that are not stored inline (over 12 bytes, or not plain ASCII): row, then text. */
  long: (number | string)[];
}

/**
 * Buffers rows of one table column by column and appends them to DuckDB a chunk (2,048 rows) at a time, instead
 * of one appender call per value. Values are written where DuckDB reads them: numbers, decimals and timestamps
 * as their integers, short ASCII strings inline in their string_t (longer ones are handed to DuckDB one by one).
 * The values land exactly as the per-value appender writes them (a decimal is the integer minor amount scaled to
 * three places). A row whose value has no exact fast form (an amount with more than three decimals or too large
 * for a double, a timestamp with a fraction of a millisecond or after 2255, an int beyond 32 bits) returns false,
 * and the caller appends it through the appender after `flush()`.
 */
export class ChunkWriter {
  private readonly columns: Column[];
  private readonly chunk: DuckDBDataChunk;
  private rows = 0;

  private constructor(
    private readonly appender: DuckDBAppender,
    specs: readonly ColumnSpec[],
  ) {
    const layouts: [string, Layout][] = [
      ...specs.map((c): [string, Layout] => [c.name, layoutOf(c)]),
      ['_pos', 'bigint'],
    ];
    this.columns = layouts.map(([name, layout]) => {
      const buf = new ArrayBuffer(CAPACITY * WIDTH[layout]);
      const validity = new Uint32Array(CAPACITY / 32);
      validity.fill(0xffffffff);
      return { name, layout, view: new DataView(buf), bytes: new Uint8Array(buf), validity, long: [] };
    });
    this.chunk = DuckDBDataChunk.create(layouts.map((_, i) => appender.columnType(i)));
  }

  /** A writer for the appender's table, or null when its columns are not the ones expected (then append by value). */
  static for(appender: DuckDBAppender, specs: readonly ColumnSpec[]): ChunkWriter | null {
    const want = [...specs.map((c) => SQL_TYPE[layoutOf(c)]), 'BIGINT'];
    if (appender.columnCount !== want.length) return null;
    for (let i = 0; i < want.length; i++) if (appender.columnType(i).toString() !== want[i]) return null;
    return new ChunkWriter(appender, specs);
  }

  /** Buffers one row (its position last); false when a value needs the appender (nothing is buffered then). */
  write(rec: Record<string, unknown>, pos: number): boolean {
    const i = this.rows;
    const cols = this.columns;
    const currency = typeof rec.currency === 'string' ? rec.currency : 'USD';
    const last = cols.length - 1;
    for (let c = 0; c < last; c++) {
      const col = cols[c]!;
      const v = rec[col.name];
      if (v === null || v === undefined) {
        col.validity[i >>> 5]! &= ~(1 << (i & 31));
        continue;
      }
      let ok = true;
      switch (col.layout) {
        case 'varchar':
          setString(col, i, typeof v === 'string' ? v : String(v));
          break;
        case 'int':
          if (typeof v === 'number' && (v | 0) === v) col.view.setInt32(i * 4, v, true);
          else ok = false;
          break;
        case 'decimal': {
          const exp = currencyExponent(currency);
          const scaled = (v as number) * (SCALE[exp] ?? Number.NaN);
          if (Number.isInteger(v) && Number.isSafeInteger(scaled)) setInt64(col.view, i, scaled);
          else ok = false;
          break;
        }
        case 'timestamp':
          if (Number.isSafeInteger(v) && Math.abs(v as number) <= SAFE_MS)
            setInt64(col.view, i, (v as number) * 1000);
          else ok = false;
          break;
        default:
          ok = false;
      }
      if (!ok) {
        this.undo(i, c);
        return false;
      }
    }
    setInt64(cols[last]!.view, i, pos);
    if (++this.rows === CAPACITY) this.flush();
    return true;
  }

  /** Appends the buffered rows to the appender (as one data chunk). */
  flush(): void {
    const n = this.rows;
    if (n === 0) return;
    const raw = this.chunk.chunk;
    bindings.data_chunk_set_size(raw, n);
    const validityBytes = Math.ceil(n / 64) * 8;
    for (let c = 0; c < this.columns.length; c++) {
      const col = this.columns[c]!;
      const vector = bindings.data_chunk_get_vector(raw, c);
      bindings.copy_data_to_vector(vector, 0, col.view.buffer as ArrayBuffer, 0, n * WIDTH[col.layout]);
      bindings.vector_ensure_validity_writable(vector);
      bindings.copy_data_to_vector_validity(vector, 0, col.validity.buffer as ArrayBuffer, 0, validityBytes);
      const long = col.long;
      for (let j = 0; j < long.length; j += 2)
        bindings.vector_assign_string_element(vector, long[j] as number, long[j + 1] as string);
      long.length = 0;
      col.validity.fill(0xffffffff);
    }
    this.appender.appendDataChunk(this.chunk);
    bindings.data_chunk_reset(raw);
    this.rows = 0;
  }

  /** Forgets what a refused row wrote into columns before `upTo`. */
  private undo(i: number, upTo: number): void {
    for (let c = 0; c < upTo; c++) {
      const col = this.columns[c]!;
      col.validity[i >>> 5]! |= 1 << (i & 31);
      const long = col.long;
      if (long.length > 0 && long[long.length - 2] === i) long.length -= 2;
    }
  }
}

/** A string_t: length, then up to 12 bytes inline (zero-padded); longer or non-ASCII text goes to DuckDB. */
function setString(col: Column, i: number, s: string): void {
  const len = s.length;
  if (len <= 12) {
    const off = i * 16;
    const bytes = col.bytes;
    let j = 0;
    for (; j < len; j++) {
      const ch = s.charCodeAt(j);
      // NUL is left to DuckDB too, which reads text up to it, as the appender does.
      if (ch === 0 || ch > 127) break;
      bytes[off + 4 + j] = ch;
    }
    if (j === len) {
      col.view.setUint32(off, len, true);
      for (; j < 12; j++) bytes[off + 4 + j] = 0;
      return;
    }
  }
  col.long.push(i, s);
}

/** Writes a safe integer as a little-endian int64. */
function setInt64(view: DataView, i: number, x: number): void {
  const hi = Math.floor(x / TWO_32);
  view.setUint32(i * 8, x - hi * TWO_32, true);
  view.setInt32(i * 8 + 4, hi, true);
}
