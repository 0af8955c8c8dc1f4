import type pg from 'pg';
import { LeversError } from '../../core/errors.js';
import type { AppendResult, EventLog, StoredEvent } from '../port.js';
import { pgLib } from './pg-lib.js';

interface Waiting {
  events: readonly StoredEvent[];
  done: (r: AppendResult) => void;
  fail: (e: unknown) => void;
}

export interface PgEventLogOptions {
  /** How often the database is probed while nothing is appended, so /healthz says whether it is reachable. */
  probeMs?: number;
  /** How long a connection may take before an append is refused (the client retries after a 503). */
  connectTimeoutMs?: number;
}

/**
 * The API's events in PostgreSQL, shared by every server of the store. Appends are grouped: while one INSERT is
 * in flight the requests that arrive wait, and go together in the next (one round trip and one commit for many
 * requests under load, none added when idle). Each INSERT is its own transaction, ON CONFLICT on the idempotency
 * key: an event sent twice, to one server or to two, is stored once, and a request is answered only after its
 * INSERT committed. When the database cannot be reached the append fails with EVENTS_UNAVAILABLE (503 and
 * Retry-After: the client keeps the events and retries), and `degraded` says why until it can again.
 */
export class PgEventLog implements EventLog {
  private readonly pool: pg.Pool;
  private queue: Waiting[] = [];
  private flushing = false;
  private count = 0;
  private fault: string | null = null;
  private readonly probe: NodeJS.Timeout;

  constructor(url: string, o: PgEventLogOptions = {}) {
    this.pool = new (pgLib().Pool)({
      connectionString: url,
      max: 2,
      connectionTimeoutMillis: o.connectTimeoutMs ?? 2000,
      // A database that stops answering mid-statement is refused like one that is down (the client's retry of
      // a batch that did commit is then a duplicate, stored once).
      query_timeout: 10_000,
      application_name: 'levers serve',
    });
    // A connection the server dropped (a restart) is discarded by the pool; the error must not end the process.
    this.pool.on('error', () => {});
    void this.check(true);
    this.probe = setInterval(() => void this.check(false), o.probeMs ?? 2000);
    this.probe.unref();
  }

  /** Reachability (and, the first time, how many events are stored: /healthz and the start-up line say it). */
  private async check(first: boolean): Promise<void> {
    try {
      const r = await this.pool.query<{ n: number }>(
        first ? `SELECT count(*)::INTEGER AS n FROM api_events` : `SELECT 0 AS n`,
      );
      if (first) this.count += r.rows[0]!.n;
      this.fault = null;
    } catch (e) {
      this.fault = reason(e);
    }
  }

  /** A SQLSTATE (five characters) comes from a server that answered; anything else means it could not. */
  private get reachable(): boolean {
    return this.fault == null || this.fault.startsWith(ANSWERED);
  }

  append(events: readonly StoredEvent[]): Promise<AppendResult> {
    if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    return new Promise((done, fail) => {
      this.queue.push({ events, done, fail });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing || this.queue.length === 0) return;
    this.flushing = true;
    const batch = this.queue;
    this.queue = [];
    try {
      const keys: string[] = [];
      const lines: string[] = [];
      for (const w of batch)
        for (const e of w.events) {
          keys.push(e.idempotencyKey);
          lines.push(JSON.stringify(e));
        }
      // One statement, one implicit transaction: when it returns, the rows are committed (or none is).
      const r = await this.pool.query<{ k: string }>(
        `INSERT INTO api_events (idempotency_key, line) SELECT * FROM unnest($1::VARCHAR[], $2::TEXT[])
         ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key AS k`,
        [keys, lines],
      );
      this.fault = null;
      const fresh = new Set(r.rows.map((x) => x.k));
      this.count += fresh.size;
      // A key new to the store is the first request's that sent it; any other copy is a duplicate.
      for (const w of batch) {
        let accepted = 0;
        for (const e of w.events) if (fresh.delete(e.idempotencyKey)) accepted++;
        w.done({ accepted, duplicates: w.events.length - accepted });
      }
    } catch (e) {
      this.fault = reason(e);
      const err = new LeversError('EVENTS_UNAVAILABLE', { detail: this.fault }, { cause: e });
      for (const w of batch) w.fail(err);
    } finally {
      this.flushing = false;
      void this.flush();
    }
  }

  get size(): number {
    return this.count;
  }

  get degraded(): string | null {
    return this.fault;
  }

  /** For /healthz: whether the database answered the last probe or append. */
  get database(): 'reachable' | 'unreachable' {
    return this.reachable ? 'reachable' : 'unreachable';
  }

  close(): void {
    clearInterval(this.probe);
    void this.pool.end().catch(() => {});
  }
}

/** What the health check and the 503 say: that the database is unreachable, not its address or credentials. */
function reason(e: unknown): string {
  const code = (e as { code?: string }).code;
  if (code === '42P01') return `${ANSWERED} but has no api_events table: run levers db migrate`;
  if (code && /^[0-9A-Z]{5}$/.test(code)) return `${ANSWERED} with error ${code}`;
  return `the database is unreachable (${code ?? (e as Error).message ?? 'error'})`;
}

const ANSWERED = 'the database answered';
