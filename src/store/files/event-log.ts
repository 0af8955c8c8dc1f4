import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import type { AppendResult, EventLog, StoredEvent } from '../port.js';

/**
 * Append-only event log (JSON lines). A batch is written and fsync'ed before the request is acknowledged, so
 * an acknowledged event survives a crash; idempotency keys seen before (in this process or in the log found at
 * start-up) are not written twice. A torn last line from a crash is skipped on reading.
 */
export class JsonlEventLog implements EventLog {
  private readonly fd: number;
  private readonly seen = new Set<string>();

  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    if (existsSync(file)) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        if (!line) continue;
        try {
          this.seen.add((JSON.parse(line) as StoredEvent).idempotencyKey);
        } catch {
          // the torn tail of a write cut off by a crash: never acknowledged, so nothing is lost
        }
      }
    }
    this.fd = openSync(file, 'a');
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
      writeSync(this.fd, '\n' + fresh.map((e) => JSON.stringify(e)).join('\n') + '\n');
      fsyncSync(this.fd);
      for (const e of fresh) this.seen.add(e.idempotencyKey);
    }
    return { accepted: fresh.length, duplicates: events.length - fresh.length };
  }

  get size(): number {
    return this.seen.size;
  }

  close(): void {
    closeSync(this.fd);
  }
}
