import type { Worker } from 'node:cluster';
import { isLeversError, LeversError, type ErrorCode, type ErrorDetails } from '../core/errors.js';
import type { ExperimentContext, ShowOptions } from '../app/experiment.js';
import type { ReportOptions } from '../app/report-options.js';
import type { Experiment } from '../core/experiments/config.js';
import type { AppendResult, EventSink, ProfitBasis, StoredEvent } from '../store/port.js';
import type { RateShare } from './rate-limit.js';
import type { LiveSnapshot } from './dashboard/live-stats.js';
import type { DashboardSession, SessionStore } from './dashboard/session.js';

/**
 * Requests from cluster workers to the primary, which alone owns the event log (one writer, one set of
 * idempotency keys) and the store (one DuckDB file that one process at a time may open, so reports run there
 * too).
 */
type Call =
  | { kind: 'append'; events: readonly StoredEvent[] }
  | { kind: 'report'; options: ReportOptions; experiments: readonly Experiment[]; profit: ProfitBasis }
  | { kind: 'experiment'; experiment: string; options: ShowOptions; ctx: ExperimentContext }
  | { kind: 'loadEvents' }
  | { kind: 'clv' }
  | { kind: 'live' }
  | { kind: 'evalRecs'; minSupport: number }
  | { kind: 'mine'; params: unknown }
  | { kind: 'session'; op: 'create' | 'get' | 'delete'; ttlMs?: number; sid?: string | null };
type Request =
  | (Call & { id: number })
  | { kind: 'rate'; window: number; deltas: [string, number][] }
  | { kind: 'live-state'; state: LiveSnapshot };
type Reply = {
  kind: 'reply';
  id: number;
  result?: unknown;
  error?: { message: string; code?: string; details?: ErrorDetails };
};

/** The worker side: one pending promise per request id, settled by the primary's reply. */
export class IpcClient {
  private next = 1;
  private readonly pending = new Map<number, { resolve: (r: unknown) => void; reject: (e: Error) => void }>();

  constructor(private readonly proc: NodeJS.Process) {
    proc.on('message', (m: Reply) => {
      if (m?.kind !== 'reply') return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (!m.error) p.resolve(m.result);
      else
        p.reject(
          m.error.code
            ? new LeversError(m.error.code as ErrorCode, m.error.details)
            : new Error(m.error.message),
        );
    });
  }

  call(c: Call): Promise<unknown> {
    const id = this.next++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.proc.send!({ ...c, id } satisfies Request, undefined, {}, (err) => {
        if (err) {
          this.pending.delete(id);
          reject(err);
        }
      });
    });
  }
}

/** A worker's event sink: it acknowledges a batch only after the primary has written and fsync'ed it. */
export class IpcEventSink implements EventSink {
  degraded: string | null = null;

  constructor(
    private readonly client: IpcClient,
    public size: number,
  ) {}

  async append(events: readonly StoredEvent[]): Promise<AppendResult> {
    try {
      const r = (await this.client.call({ kind: 'append', events })) as {
        appended: AppendResult;
        size: number;
        degraded: string | null;
      };
      this.size = r.size;
      this.degraded = r.degraded;
      return r.appended;
    } catch (e) {
      if (isLeversError(e) && e.code === 'EVENTS_UNAVAILABLE') this.degraded = String(e.details.detail);
      throw e;
    }
  }
}

/** A worker's side of the shared rate-limit counts: deltas up to the primary, totals back from it. */
export function ipcRateShare(proc: NodeJS.Process): RateShare {
  return {
    publish: (window, deltas) => proc.send?.({ kind: 'rate', window, deltas }),
    onTotals: (fn) =>
      proc.on('message', (m: { kind?: string; window: number; totals: [string, number][] }) => {
        if (m?.kind === 'rate-totals') fn(m.window, m.totals);
      }),
  };
}

export interface PrimaryServices {
  append(
    events: readonly StoredEvent[],
  ): Promise<{ appended: AppendResult; size: number; degraded: string | null }>;
  /** Rate-limit counts from a worker, to be summed and shared with all. */
  rate(window: number, deltas: [string, number][]): void;
  report(o: ReportOptions, experiments: readonly Experiment[], profit: ProfitBasis): Promise<unknown>;
  experiment(id: string, o: ShowOptions, ctx: ExperimentContext): Promise<unknown>;
  loadEvents(): Promise<unknown>;
  clv(): Promise<unknown>;
  /** A worker's latest live counters (sent once a second), and the sum over the workers. */
  liveState(state: LiveSnapshot): void;
  live(): Promise<LiveSnapshot>;
  evalRecs(minSupport: number): Promise<unknown>;
  /** Mines the next model and has every worker serve it. */
  mine(params: unknown): Promise<{ version: number }>;
  /** The dashboard's sign-ins, held here so that every worker knows every session. */
  sessions: SessionStore;
}

/** A worker's dashboard sessions: the primary holds them (a session is known to every worker). */
export class IpcSessions implements SessionStore {
  constructor(private readonly client: IpcClient) {}
  create(ttlMs: number): Promise<DashboardSession> {
    return this.client.call({ kind: 'session', op: 'create', ttlMs }) as Promise<DashboardSession>;
  }
  get(id: string | null | undefined): Promise<DashboardSession | null> {
    return this.client.call({
      kind: 'session',
      op: 'get',
      sid: id ?? null,
    }) as Promise<DashboardSession | null>;
  }
  async delete(id: string | null | undefined): Promise<void> {
    await this.client.call({ kind: 'session', op: 'delete', sid: id ?? null });
  }
}

function work(services: PrimaryServices, m: Call): Promise<unknown> {
  switch (m.kind) {
    case 'append':
      return services.append(m.events);
    case 'report':
      return services.report(m.options, m.experiments, m.profit);
    case 'experiment':
      return services.experiment(m.experiment, m.options, m.ctx);
    case 'loadEvents':
      return services.loadEvents();
    case 'clv':
      return services.clv();
    case 'live':
      return services.live();
    case 'evalRecs':
      return services.evalRecs(m.minSupport);
    case 'mine':
      return services.mine(m.params);
    case 'session':
      return m.op === 'create'
        ? services.sessions.create(m.ttlMs ?? 0)
        : m.op === 'get'
          ? services.sessions.get(m.sid)
          : services.sessions.delete(m.sid).then(() => null);
    default:
      return Promise.reject(new Error(`unknown request ${(m as { kind?: string }).kind}`));
  }
}

/** The primary side: answers one worker's requests. */
export function serveWorker(worker: Worker, services: PrimaryServices): void {
  const reply = (id: number, r: { result?: unknown; error?: unknown }) => {
    if (!worker.isConnected()) return;
    const e = r.error as Error | undefined;
    worker.send({
      kind: 'reply',
      id,
      ...(e
        ? {
            error: isLeversError(e)
              ? { message: e.message, code: e.code, details: e.details }
              : { message: e.message },
          }
        : { result: r.result }),
    } satisfies Reply);
  };
  worker.on('message', (m: Request) => {
    if (m?.kind === 'rate') return services.rate(m.window, m.deltas);
    if (m?.kind === 'live-state') return services.liveState(m.state);
    if (typeof m?.id !== 'number') return;
    work(services, m).then(
      (result) => reply(m.id, { result }),
      (error) => reply(m.id, { error }),
    );
  });
}
