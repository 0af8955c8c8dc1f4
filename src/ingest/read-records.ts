import { closeSync, createReadStream, existsSync, openSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse';
import { LeversError } from '../core/errors.js';
import type { RawRecord } from '../core/model/validate.js';
import { readParquetRows } from '../store/duckdb/parquet.js';
import { TextStreamDecoder, type Encoding } from './decode.js';

export type FileType = 'csv' | 'jsonl' | 'parquet';

export interface ReadOptions {
  /** Whitespace-separated text (CDNOW-style) instead of CSV; columns name a headerless file's fields. */
  whitespace?: { columns: string[] };
  encoding?: Encoding;
  onProgress?: (bytesRead: number, totalBytes: number) => void;
}

export interface RecordHandlers {
  /**
   * Called once with the header; may throw (a missing required column stops the file). null for JSON lines,
   * where each object names its own fields.
   */
  header(columns: string[] | null): void;
  /** line: where the record starts (1-based, header is line 1 in CSV). extra: fields beyond the header. */
  record(line: number, rec: RawRecord, fieldCount: number): void;
}

/** A fault that ended the file early; the caller rejects the partial record and keeps the rest. */
export interface ReadFault {
  line: number;
  reason: string;
}

export function fileTypeOf(file: string): FileType {
  const name = basename(file).toLowerCase().replace(/\.gz$/, '');
  if (/\.(csv|tsv|txt)$/.test(name)) return 'csv';
  if (/\.(jsonl|ndjson|json)$/.test(name)) return 'jsonl';
  if (/\.parquet$/.test(name)) return 'parquet';
  throw new LeversError('UNKNOWN_FILE_TYPE', { file });
}

export async function readRecords(
  file: string,
  h: RecordHandlers,
  opts: ReadOptions = {},
): Promise<ReadFault | null> {
  if (!existsSync(file) || !statSync(file).isFile()) throw new LeversError('FILE_NOT_FOUND', { file });
  const type = fileTypeOf(file);
  if (type === 'parquet') return readParquet(file, h);
  const total = statSync(file).size;
  let read = 0;
  const raw = createReadStream(file, { highWaterMark: 1 << 20 });
  raw.on('data', (c) => {
    read += c.length;
    opts.onProgress?.(read, total);
  });
  const gz = isGzip(file);
  const decoder = new TextStreamDecoder(file, opts.encoding);
  const text = async function* (source: AsyncIterable<Buffer>) {
    for await (const chunk of source) yield decoder.decode(chunk);
    yield decoder.decode(new Uint8Array(0), true);
  };
  const sink = opts.whitespace
    ? linesSink(wsLine(h, opts.whitespace.columns))
    : type === 'csv'
      ? csvSink(h)
      : jsonlSink(h);
  try {
    if (gz) await pipeline(raw, createGunzip(), text, sink.stream);
    else await pipeline(raw, text, sink.stream);
  } catch (e) {
    if (e instanceof LeversError) throw e;
    const err = e as NodeJS.ErrnoException & { code?: string };
    if (err.code === 'CSV_MAX_RECORD_SIZE') {
      throw new LeversError('FILE_UNREADABLE', {
        file,
        detail: `a record near line ${sink.nextLine()} is longer than 16 MiB: this is not a CSV export`,
      });
    }
    if (err.code === 'CSV_QUOTE_NOT_CLOSED') {
      return { line: sink.nextLine(), reason: 'file ends inside a quoted field (truncated file?)' };
    }
    // A compressed file cut short is a broken download: the whole run stops, nothing of it is loaded.
    if (err.code === 'Z_BUF_ERROR' || /unexpected end/i.test(err.message)) {
      throw new LeversError('FILE_UNREADABLE', {
        file,
        detail: 'the compressed file ends early (a truncated download?); download it again',
      });
    }
    if (err.code === 'Z_DATA_ERROR')
      throw new LeversError('FILE_UNREADABLE', { file, detail: 'not a valid gzip file' });
    throw new LeversError('FILE_UNREADABLE', { file, detail: err.message }, { cause: e });
  }
  return sink.headerSeen() ? null : Promise.reject(new LeversError('INGEST_EMPTY_FILE', { file }));
}

/** By magic bytes, not by name: exports are often gzipped without the .gz suffix or renamed. */
export function isGzip(file: string): boolean {
  const fd = openSync(file, 'r');
  try {
    const b = Buffer.alloc(2);
    return readSync(fd, b, 0, 2, 0) === 2 && b[0] === 0x1f && b[1] === 0x8b;
  } finally {
    closeSync(fd);
  }
}

interface Sink {
  stream: Writable;
  nextLine(): number;
  headerSeen(): boolean;
  flush(): void;
}

function csvSink(h: RecordHandlers): Sink {
  let header: string[] | null = null;
  let lastEnd = 0;
  const parser = parse({
    max_record_size: MAX_LINE_BYTES,
    relax_column_count: true,
    skip_empty_lines: true,
    on_record: (fields: string[], ctx: { lines: number }) => {
      let inner = 0;
      for (const f of fields) for (let i = f.indexOf('\n'); i !== -1; i = f.indexOf('\n', i + 1)) inner++;
      const line = ctx.lines - inner;
      lastEnd = ctx.lines;
      if (!header) {
        header = fields.map((f) => f.trim());
        h.header(header);
        return null;
      }
      const rec: RawRecord = {};
      for (let i = 0; i < header.length; i++) rec[header[i]!] = fields[i] ?? '';
      h.record(line, rec, fields.length === header.length ? 0 : fields.length - header.length);
      return null;
    },
  });
  return { stream: parser, nextLine: () => lastEnd + 1, headerSeen: () => header !== null, flush: () => {} };
}

/** JSON lines: each line an object naming its own fields. */
/** Records are flat; a value nested this deep is an attack on whatever walks it next (a recursive parser's stack). */
const MAX_DEPTH = 64;

/** Brackets opened outside strings, counted in one pass without parsing: true past `max`. */
export function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92)
        i++; // a backslash escapes the next character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 || c === 91) {
      if (++depth > max) return true;
    } else if (c === 125 || c === 93) depth--;
  }
  return false;
}

function jsonlSink(h: RecordHandlers): Sink {
  let started = false;
  return linesSink((text, line) => {
    if (!started) {
      started = true;
      h.header(null);
    }
    if (text === null)
      return h.record(
        line,
        { __invalid__: `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB` },
        0,
      );
    if (text.trim() === '') return;
    if (nestedDeeperThan(text, MAX_DEPTH))
      return h.record(line, { __invalid__: `nested deeper than ${MAX_DEPTH} levels` }, 0);
    let v: unknown;
    try {
      v = JSON.parse(text);
    } catch {
      h.record(line, { __invalid__: 'not valid JSON' }, 0);
      return;
    }
    if (v === null || typeof v !== 'object' || Array.isArray(v))
      h.record(line, { __invalid__: 'not a JSON object' }, 0);
    else h.record(line, v as RawRecord, 0);
  });
}

/**
 * Whitespace-separated fields, as CDNOW's files are written; a first line that does not start with a number
 * is the header, otherwise the given column names apply.
 */
function wsLine(h: RecordHandlers, defaultColumns: string[]) {
  let columns: string[] | null = null;
  return (text: string | null, line: number) => {
    if (text === null)
      return h.record(
        line,
        { __invalid__: `the line is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB` },
        0,
      );
    const fields = text.trim().split(/\s+/);
    if (!columns) {
      const headed = fields[0] !== undefined && !/^\d/.test(fields[0]);
      columns = headed ? fields : defaultColumns;
      h.header(columns);
      if (headed) return;
    }
    if (text.trim() === '') return;
    const rec: RawRecord = {};
    for (const [i, c] of columns.entries()) rec[c] = fields[i] ?? '';
    h.record(line, rec, fields.length - columns.length);
  };
}

/** A line longer than this is not a record of any export: it is skipped to its end and rejected, never buffered. */
export const MAX_LINE_BYTES = 16 * 1024 * 1024;

/**
 * Lines of text, split in linear time: each chunk is searched once from where the last search stopped, and a
 * line is joined from its pieces only when it ends. A line over MAX_LINE_BYTES is dropped as it streams
 * (handler gets null).
 */
function linesSink(handler: (text: string | null, line: number) => void): Sink {
  let parts: string[] = [];
  let size = 0;
  let tooLong = false;
  let line = 0;
  let seen = false;
  const onLine = (text: string | null) => {
    line++;
    seen = true;
    handler(text, line);
  };
  const take = (piece: string) => {
    if (tooLong) return;
    size += piece.length;
    if (size > MAX_LINE_BYTES) {
      tooLong = true;
      parts = [];
    } else parts.push(piece);
  };
  const end = () => {
    onLine(tooLong ? null : parts.length === 1 ? parts[0]! : parts.join(''));
    parts = [];
    size = 0;
    tooLong = false;
  };
  const stream = new Writable({
    decodeStrings: false,
    write(chunk: string, _enc, cb) {
      try {
        let from = 0;
        for (let i = chunk.indexOf('\n'); i !== -1; i = chunk.indexOf('\n', from)) {
          take(chunk.slice(from, i));
          end();
          from = i + 1;
        }
        if (from < chunk.length) take(chunk.slice(from));
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
    final(cb) {
      try {
        if (size > 0 || tooLong) end();
        cb();
      } catch (e) {
        cb(e as Error);
      }
    },
  });
  return { stream, nextLine: () => line + 1, headerSeen: () => seen, flush: () => {} };
}

async function readParquet(file: string, h: RecordHandlers): Promise<ReadFault | null> {
  let columns: string[] = [];
  let row = 0;
  await readParquetRows(
    file,
    (c) => h.header((columns = c)),
    (values) => {
      const rec: RawRecord = {};
      for (const [i, c] of columns.entries()) rec[c] = values[i] ?? null;
      h.record(++row, rec, 0);
    },
  );
  return null;
}
