import { createReadStream } from 'node:fs';
import { isUtf8 } from 'node:buffer';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { isGzip } from './read-records.js';

/**
 * What one byte pass over a CSV file tells the SQL path: the header, where each record starts (the JS reader's
 * line numbers) and which records have the wrong number of fields. null when the file is anything but plain
 * RFC 4180 UTF-8 that DuckDB's reader and ours read alike (a quoted line break, a carriage return, a stray
 * quote, a NUL byte, a UTF-16 byte-order mark, bytes that are not UTF-8, an unterminated quote): then the file
 * goes through the JS reader, which reports those cases as it always has.
 */
export interface CsvScan {
  header: string[];
  /** Records after the header (empty lines are not records, as csv-parse skips them). */
  records: number;
  /** The line each record starts on, 1-based; null when record k is on line k + 2 (no empty lines). */
  lineOf: Int32Array | null;
  /** Records (0-based index) whose field count differs from the header's, with their count. */
  wrongCount: Map<number, number>;
}

const QUOTE = 0x22;
const COMMA = 0x2c;
const LF = 0x0a;
const CR = 0x0d;

// States of the field machine.
const FIELD_START = 0;
const UNQUOTED = 1;
const QUOTED = 2;
/** A quote inside a quoted field: the end of the field or the first half of "". */
const QUOTE_IN_QUOTED = 3;

export async function scanCsv(file: string): Promise<CsvScan | null> {
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  // 1 MB out per chunk rather than zlib's 16 kB: the same bytes for about half of gunzip's time.
  const source: AsyncIterable<Buffer> = isGzip(file) ? raw.pipe(createGunzip({ chunkSize: 1 << 20 })) : raw;
  let state = FIELD_START;
  let fields = 0;
  let recordBytes = 0; // bytes of the current line (0 at the end: an empty line)
  let line = 1;
  let recordLine = 1;
  let header: string[] | null = null;
  const headerBytes: Buffer[] = [];
  let headerDone = false;
  let width = 0;
  let records = 0;
  let lineOf = new Int32Array(1 << 16);
  let shifted = false;
  const wrongCount = new Map<number, number>();
  let carry: Buffer | null = null;
  let first = true;
  const endRecord = (): boolean => {
    // Returns false when the file must go through the JS reader.
    if (recordBytes === 0) {
      if (header === null) return false; // an empty first line: the header is further down
      line++;
      recordLine = line;
      return true;
    }
    fields++;
    if (fields === 1) return false; // a lone field: whitespace-only lines and the like, read differently
    if (header === null) {
      const text = Buffer.concat(headerBytes).toString('utf8');
      header = (parse(text, { relax_column_count: true }) as string[][])[0]?.map((f) => f.trim()) ?? [];
      width = header.length;
    } else {
      if (records === lineOf.length) {
        const grown = new Int32Array(lineOf.length * 2);
        grown.set(lineOf);
        lineOf = grown;
      }
      lineOf[records] = recordLine;
      if (recordLine !== records + 2) shifted = true;
      if (fields !== width) wrongCount.set(records, fields);
      records++;
    }
    fields = 0;
    recordBytes = 0;
    line++;
    recordLine = line;
    state = FIELD_START;
    return true;
  };
  for await (const chunk0 of source) {
    let chunk = chunk0 as Buffer;
    if (first) {
      first = false;
      if (chunk[0] === 0xff || chunk[0] === 0xfe) return null; // UTF-16
      if (chunk[0] === 0xef && chunk[1] === 0xbb && chunk[2] === 0xbf) chunk = chunk.subarray(3);
    }
    // UTF-8 checked per chunk, a character cut at the chunk's end carried to the next.
    const whole: Buffer = carry ? Buffer.concat([carry, chunk]) : chunk;
    const cut = incompleteTail(whole);
    carry = cut < whole.length ? Buffer.from(whole.subarray(cut)) : null;
    if (!isUtf8(whole.subarray(0, cut))) return null;
    if (chunk.indexOf(0) !== -1 || chunk.indexOf(CR) !== -1) return null;
    if (!headerDone) {
      const nl = chunk.indexOf(LF);
      headerBytes.push(Buffer.from(chunk.subarray(0, nl === -1 ? chunk.length : nl)));
      headerDone = nl !== -1;
    }
    for (let i = 0; i < chunk.length; i++) {
      const b = chunk[i]!;
      if (b === LF) {
        if (state === QUOTED) return null; // a line break inside quotes: line numbers differ, JS reads it
        if (!endRecord()) return null;
        continue;
      }
      recordBytes++;
      switch (state) {
        case FIELD_START:
          if (b === QUOTE) state = QUOTED;
          else if (b === COMMA) fields++;
          else state = UNQUOTED;
          break;
        case UNQUOTED:
          if (b === COMMA) {
            fields++;
            state = FIELD_START;
          } else if (b === QUOTE) return null;
          break;
        case QUOTED:
          if (b === QUOTE) state = QUOTE_IN_QUOTED;
          break;
        case QUOTE_IN_QUOTED:
          if (b === QUOTE) state = QUOTED;
          else if (b === COMMA) {
            fields++;
            state = FIELD_START;
          } else return null; // text after a closing quote
          break;
      }
    }
  }
  if (carry) return null;
  if (state === QUOTED) return null;
  if (recordBytes > 0 && !endRecord()) return null;
  if (header === null) return null;
  return { header, records, lineOf: shifted ? lineOf.subarray(0, records) : null, wrongCount };
}

/** Where the last, unfinished UTF-8 character of a buffer starts (its length when it ends on a whole one). */
function incompleteTail(b: Buffer): number {
  for (let back = 1; back <= 3 && back <= b.length; back++) {
    const c = b[b.length - back]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > back ? b.length - back : b.length;
  }
  return b.length;
}

/** The header of a CSV file (its first line, trimmed fields), read without reading the rest; null if none. */
export async function peekHeader(file: string): Promise<string[] | null> {
  const raw = createReadStream(file, { highWaterMark: 1 << 16 });
  const source: AsyncIterable<Buffer> = isGzip(file) ? raw.pipe(createGunzip()) : raw;
  const parts: Buffer[] = [];
  let size = 0;
  try {
    for await (const chunk of source) {
      const nl = (chunk as Buffer).indexOf(LF);
      parts.push(nl === -1 ? (chunk as Buffer) : (chunk as Buffer).subarray(0, nl));
      size += parts[parts.length - 1]!.length;
      if (nl !== -1 || size > 1 << 20) break;
    }
  } catch {
    return null;
  } finally {
    raw.destroy();
  }
  let text = Buffer.concat(parts).toString('utf8');
  if (text.startsWith('\ufeff')) text = text.slice(1);
  if (!text || text.includes('\r')) return null;
  try {
    return (parse(text, { relax_column_count: true }) as string[][])[0]?.map((f) => f.trim()) ?? null;
  } catch {
    return null;
  }
}
