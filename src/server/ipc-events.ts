import type { Worker } from 'node:cluster';
import { isLeversError, LeversError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import type { AppendResult, EventLog, EventSink, StoredEvent } from './event-log.js';

/** Messages between cluster workers and the primary, which alone owns the event log (one writer, one set of keys). */
type ToPrimary = { kind: 'append'; id: number; events: readonly StoredEvent[] } | { kind: 'report'; id: number };
type ToWorker = { kind: 'appended'; id: number; result?: AppendResult; error?: string; size: number }
  | { kind: 'reported'; id: number; report?: unknown; error?: { message: string; code?: string; details?: Record<string, unknown> } };

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

/**
 * Reports run in the primary: the store is one DuckDB file that one process at a time may open, and the primary
 * also owns the event log the report loads first.
 */
export class IpcReports {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly proc: NodeJS.Process) {
    proc.on('message', (m: ToWorker) => {
      if (m?.kind !== 'reported') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.error) p.reject(m.error.code ? new LeversError(m.error.code as ErrorCode, m.error.details as ErrorDetails) : new Error(m.error.message));
      else p.resolve(m.report);
    });
  }

  report(): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send!({ kind: 'report', id } satisfies ToPrimary);
    });
  }
}

export function serveReports(worker: Worker, report: () => Promise<unknown>): void {
  worker.on('message', (m: ToPrimary) => {
    if (m?.kind !== 'report') return;
    report().then(
      (r) => worker.isConnected() && worker.send({ kind: 'reported', id: m.id, report: r } satisfies ToWorker),
      (e: Error) => worker.isConnected() && worker.send({ kind: 'reported', id: m.id,
        error: isLeversError(e) ? { message: e.message, code: e.code, details: e.details } : { message: e.message } } satisfies ToWorker),
    );
  });
}
