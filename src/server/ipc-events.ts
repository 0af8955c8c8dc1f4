import type { Worker } from 'node:cluster';
import type { AppendResult, EventLog, EventSink, StoredEvent } from './event-log.js';

/** Messages between cluster workers and the primary, which alone owns the event log (one writer, one set of keys). */
type ToPrimary = { kind: 'append'; id: number; events: readonly StoredEvent[] };
type ToWorker = { kind: 'appended'; id: number; result?: AppendResult; error?: string; size: number };

/**
 * The worker side: append() sends the batch to the primary and resolves once it is written and fsync'ed there,
 * so a worker acknowledges an event only after the primary has made it durable.
 */
export class IpcEventSink implements EventSink {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: AppendResult) => void; reject: (e: Error) => void }>();
  size: number;

  constructor(private readonly proc: NodeJS.Process, initialSize: number) {
    this.size = initialSize;
    proc.on('message', (m: ToWorker) => {
      if (m?.kind !== 'appended') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      this.size = m.size;
      if (m.result) p.resolve(m.result);
      else p.reject(new Error(m.error ?? 'the event log did not answer'));
    });
  }

  append(events: readonly StoredEvent[]): Promise<AppendResult> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send!({ kind: 'append', id, events } satisfies ToPrimary, undefined, {}, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(err);
        }
      });
    });
  }
}

/** The primary side: appends a worker's batch to the one log and answers that worker. */
export function serveEventLog(worker: Worker, log: EventLog): void {
  worker.on('message', (m: ToPrimary) => {
    if (m?.kind !== 'append') return;
    let reply: ToWorker;
    try {
      reply = { kind: 'appended', id: m.id, result: log.append(m.events), size: log.size };
    } catch (e) {
      reply = { kind: 'appended', id: m.id, error: (e as Error).message, size: log.size };
    }
    if (worker.isConnected()) worker.send(reply);
  });
}
