import * as nodeFs from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { LeversError } from '../../core/errors.js';
import type { AppendResult, EventLog, StoredEvent } from '../port.js';
import { countLines, forEachLine } from './lines.js';

/** The file calls the log makes, replaceable in tests to simulate a full disk on any machine. */
export type LogFs = Pick<
  typeof nodeFs,
  'openSync' | 'writeSync' | 'fsyncSync' | 'ftruncateSync' | 'closeSync' | 'fstatSync'
>;

export interface EventLogOptions {
  /** A segment is sealed and a new one started once it passes this size. */
  segmentBytes?: number;
  /**
   * Idempotency keys remembered (the newest); a retry older than that is caught when the log is loaded
   * instead.
   */
  dedupeKeys?: number;
  fs?: LogFs;
}

const SEGMENT = /^events(?:-(\d{6}))?\.jsonl$/;

/** The log's segment files, oldest first: events.jsonl, then events-000001.jsonl, events-000002.jsonl, … */
export function segmentFiles(dir: string): string[] {
  if (!nodeFs.existsSync(dir)) return [];
  return nodeFs
    .readdirSync(dir)
    .filter((f) => SEGMENT.test(f))
    .map((f) => ({ f, n: Number(SEGMENT.exec(f)![1] ?? 0) }))
    .sort((a, b) => a.n - b.n)
    .map((x) => join(dir, x.f));
}

const PREFIX = '{"idempotencyKey":"';

/**
 * The idempotency key of a stored line, or null for a torn one (a write cut off by a crash: never
 * acknowledged, so nothing is lost). The log writes the key first, so most lines are read without a JSON
 * parse.
 */
function keyOf(line: string): string | null {
  if (!line) return null;
  if (line.startsWith(PREFIX) && line.endsWith('}')) {
    const end = line.indexOf('"', PREFIX.length);
    const key = line.slice(PREFIX.length, end);
    if (end > 0 && !key.includes('\\')) return key;
  }
  try {
    return (JSON.parse(line) as StoredEvent).idempotencyKey;
  } catch {
    return null;
  }
}

const segmentName = (n: number) => (n === 0 ? 'events.jsonl' : `events-${String(n).padStart(6, '0')}.jsonl`);

/**
 * Append-only event log in JSON-lines segments. A batch is written whole and fsync'ed before the request is
 * acknowledged, or not at all: a short write or an error (a full disk) truncates the segment back to where
 * the batch began, leaves its keys unseen (so the client's retry is stored, not called a duplicate) and
 * raises EVENTS_UNAVAILABLE, which the server answers with 503 and Retry-After. Start-up streams the segments
 * (memory and time do not grow with the log: only the newest `dedupeKeys` keys are held), and a torn last
 * line from a crash is skipped on reading.
 */
export class JsonlEventLog implements EventLog {
  private fd: number;
  private segment: number;
  private bytes: number;
  /** Newest keys last (a Map keeps insertion order, so the oldest is dropped first). */
  private readonly seen = new Map<string, true>();
  private count = 0;
  private fault: string | null = null;
  private readonly fs: LogFs;
  private readonly segmentBytes: number;
  private readonly dedupeKeys: number;

  /** `file` is the first segment (<store>/events/events.jsonl); later segments sit beside it. */
  constructor(
    readonly file: string,
    o: EventLogOptions = {},
  ) {
    this.fs = o.fs ?? nodeFs;
    this.segmentBytes = o.segmentBytes ?? 64 * 1024 * 1024;
    this.dedupeKeys = o.dedupeKeys ?? 1_000_000;
    const dir = dirname(file);
    nodeFs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const files = segmentFiles(dir);
    this.readExisting(files);
    const last = files.length ? Number(SEGMENT.exec(basename(files[files.length - 1]!))![1] ?? 0) : 0;
    this.segment = last;
    this.fd = this.fs.openSync(join(dir, segmentName(last)), 'a', 0o600);
    this.bytes = this.fs.fstatSync(this.fd).size;
  }

  /**
   * Counts every stored event; remembers the keys of the newest ones, reading segments newest first until
   * enough.
   */
  private readExisting(files: string[]): void {
    const newestFirst: string[][] = [];
    let held = 0;
    for (let i = files.length - 1; i >= 0; i--) {
      if (held >= this.dedupeKeys) {
        this.count += countLines(files[i]!);
        continue;
      }
      const keys: string[] = [];
      forEachLine(files[i]!, (line) => {
        const k = keyOf(line);
        if (k !== null) keys.push(k);
      });
      this.count += keys.length;
      held += keys.length;
      newestFirst.push(keys);
    }
    for (let i = newestFirst.length - 1; i >= 0; i--) for (const k of newestFirst[i]!) this.seen.set(k, true);
    this.forgetOldest();
  }

  private forgetOldest(): void {
    const it = this.seen.keys();
    while (this.seen.size > this.dedupeKeys) this.seen.delete(it.next().value!);
  }

  append(events: readonly StoredEvent[]): AppendResult {
    const fresh: StoredEvent[] = [];
    const batch = new Set<string>();
    for (const e of events) {
      if (this.seen.has(e.idempotencyKey) || batch.has(e.idempotencyKey)) continue;
      batch.add(e.idempotencyKey);
      fresh.push(e);
    }
    if (fresh.length) {
      // A torn line left by a crash must not swallow the first line of this batch.
      const buf = Buffer.from(`\n${fresh.map((e) => JSON.stringify(e)).join('\n')}\n`);
      this.writeWhole(buf);
      this.count += fresh.length;
      for (const e of fresh) this.seen.set(e.idempotencyKey, true);
      this.forgetOldest();
      if (this.bytes >= this.segmentBytes) this.rotate();
    }
    return { accepted: fresh.length, duplicates: events.length - fresh.length };
  }

  /** Every byte of the batch on disk and fsync'ed, or the segment as it was before and an error. */
  private writeWhole(buf: Buffer): void {
    const start = this.bytes;
    try {
      let done = 0;
      while (done < buf.length) {
        const n = this.fs.writeSync(this.fd, buf, done, buf.length - done);
        if (n <= 0) throw new Error('the disk accepted no bytes');
        done += n;
      }
      this.fs.fsyncSync(this.fd);
      this.bytes = start + buf.length;
      this.fault = null;
    } catch (e) {
      const reason =
        (e as NodeJS.ErrnoException).code === 'ENOSPC' ? 'the disk is full' : (e as Error).message;
      try {
        this.fs.ftruncateSync(this.fd, start);
        this.fs.fsyncSync(this.fd);
      } catch {
        // Truncating can fail too; the torn bytes then end in a partial line, skipped on reading (never
        // acknowledged).
      }
      this.fault = reason;
      throw new LeversError('EVENTS_UNAVAILABLE', { detail: reason }, { cause: e });
    }
  }

  private rotate(): void {
    this.fs.closeSync(this.fd);
    this.segment++;
    this.fd = this.fs.openSync(join(dirname(this.file), segmentName(this.segment)), 'a', 0o600);
    this.bytes = 0;
  }

  get size(): number {
    return this.count;
  }

  /** Why the last append failed, until one succeeds again (the health check says it). */
  get degraded(): string | null {
    return this.fault;
  }

  close(): void {
    this.fs.closeSync(this.fd);
  }
}
