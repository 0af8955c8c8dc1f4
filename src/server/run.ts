import cluster from 'node:cluster';
import { pino, type Logger } from 'pino';
import { type ExperimentContext, type ShowOptions, showExperiment } from '../app/experiment.js';
import { clv, CLV_DEFAULTS } from '../app/clv.js';
import { evalRecs } from '../app/eval-recs.js';
import { ingest } from '../app/ingest.js';
import { mine } from '../app/mine.js';
import type { MineParams } from '../core/recs/model.js';
import { type LiveSnapshot, sumSnapshots } from './dashboard/live-stats.js';
import { MemorySessions } from './dashboard/session.js';
import { report } from '../app/report.js';
import type { ReportOptions } from '../app/report-options.js';
import { Serving, type ServingSnapshot, servingSnapshot } from '../app/serving.js';
import type { Experiment } from '../core/experiments/config.js';
import { withBanditWeights } from '../core/offers/config.js';
import { weightsInForce } from '../app/experiment-list.js';
import { offersInForce } from '../app/offers-in-force.js';
import { fileMark } from '../store/files/json-file.js';
import type { ProfitBasis, Pulled, Store } from '../store/port.js';
import { buildApp } from './app.js';
import { loadServerConfig, type ServerConfig } from './config.js';
import { IpcClient, IpcEventSink, ipcRateShare, IpcSessions, serveWorker } from './ipc-events.js';
import { countersRateShare } from './shared-rate.js';
import { RateTotals } from './rate-limit.js';

export interface ServeOptions {
  port: number;
  host: string;
  config: string;
  workers: number;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  logRequests?: boolean;
  /** Seconds between looks for a new model, bandit weights or configuration (0: only on SIGHUP). */
  watch?: number;
}

/** Keys never reach the log, not even a secret one a client put in a URL by mistake. */
const redactUrl = (url: string) => url.replace(/([?&]key=)[^&]*/gi, '$1[redacted]');

const logger = (o: ServeOptions, role: string): Logger =>
  pino(
    {
      level: o.logLevel,
      base: { pid: process.pid, role },
      serializers: {
        req: (r: { method?: string; url?: string; ip?: string }) => ({
          method: r.method,
          url: redactUrl(r.url ?? ''),
          remoteAddress: r.ip,
        }),
      },
    },
    pino.destination(2),
  );

interface Loaded {
  config: ServerConfig;
  snapshot: ServingSnapshot;
  bandits: ReturnType<typeof withBanditWeights>;
  /** The configuration file's offers differ from those served (a version published in the database). */
  fileOffersIgnored: boolean;
}

/**
 * Model, offers, histories, bandit weights and the server configuration, loaded together so a reload swaps all
 * or nothing: each is checked against its schema, and one trial decision must go through before anything is
 * swapped in. With a shared store the offers are the version published there, if any (see offersInForce). A
 * bandit experiment's units are assigned by its published weights (levers experiment weights), else by the
 * configured ones.
 */
function load(store: Store, configFile: string): Loaded {
  const file = loadServerConfig(configFile);
  const { offers, from } = offersInForce(store, () => file.offers);
  const config = { ...file, offers };
  const published = store.snapshots.loadBanditWeights();
  const bandits = withBanditWeights(config.offers, published);
  const snapshot = {
    ...servingSnapshot(store, bandits.config),
    weights: weightsInForce(bandits.applied, published),
    offersFrom: from,
  };
  const first = snapshot.model.items[0];
  const trial = new Serving(snapshot);
  trial.decide({
    page: 'cart',
    sessionId: 'levers-reload-check',
    cart: first ? [{ productId: first.id, quantity: 1, unitPriceMinor: first.priceMinor ?? 100 }] : [],
  });
  const fileOffersIgnored =
    from.source === 'database' && JSON.stringify(file.offers) !== JSON.stringify(offers);
  return { config, snapshot, bandits, fileOffersIgnored };
}

/**
 * Calls `changed` whenever what a reload reads (the configuration file, the model, histories or bandit weights)
 * has been replaced since the last look: a cron job that mines or publishes weights needs no signal. A reload
 * that fails keeps the old set (and is logged); the next change is tried again.
 */
function watchStore(store: Store, o: ServeOptions, log: Logger, changed: () => void): { seen(): void } {
  const mark = () => `${fileMark(o.config)}|${store.snapshots.changeMark()}`;
  let last = mark();
  // What a shared store's follower pulled (and reloaded) is not a change to reload again for.
  const watching = { seen: () => void (last = mark()) };
  if (!o.watch) return watching;
  setInterval(() => {
    const now = mark();
    if (now === last) return;
    last = now;
    log.info('the model, bandit weights or configuration changed; reloading');
    changed();
  }, o.watch * 1000).unref();
  return watching;
}

/** What a pull brought, for a log line: "model v3, offers v2, weights sim-threshold v4". */
function describePulled(p: Pulled): string {
  return [
    ...(p.model != null ? [`model v${p.model}`] : []),
    ...(p.offers != null ? [`offers v${p.offers}`] : []),
    ...p.weights.map((w) => `weights ${w.experiment} v${w.version}`),
  ].join(', ');
}

/**
 * Which offer configuration and bandit weights are in force, any published weights that could not apply, and a
 * configuration file whose offers are not the ones served.
 */
function logServed(log: Logger, configFile: string, l: Loaded): void {
  const from = l.snapshot.offersFrom;
  if (from?.source === 'database') {
    log.info(
      { offers: from.version, publishedAt: from.publishedAt },
      'offer configuration from the database',
    );
    if (l.fileOffersIgnored)
      log.warn(
        { file: configFile, offers: from.version },
        `the offers of ${configFile} are not served: version ${from.version} published in the database is ` +
          `(levers config publish ${configFile} publishes the file's)`,
      );
  }
  if (l.bandits.applied.length) log.info({ bandits: l.bandits.applied }, 'bandit weights in force');
  for (const i of l.bandits.ignored) log.warn(i, 'bandit weights not applied');
}

/**
 * Fails before forking: a bad configuration or a missing model is one clear error, not N crashing workers.
 */
export function checkServable(store: Store, configFile: string): void {
  load(store, configFile);
}

class Live {
  config: ServerConfig;
  readonly serving: Serving;
  constructor(
    private readonly store: Store,
    private readonly o: ServeOptions,
    private readonly log: Logger,
  ) {
    const l = load(store, o.config);
    this.config = l.config;
    this.serving = new Serving(l.snapshot);
    logServed(log, o.config, l);
  }

  /** Loads everything again; if anything is broken the old set stays in force and the problem is logged. */
  reload(): void {
    try {
      const l = load(this.store, this.o.config);
      if (l.config.bodyLimitBytes !== this.config.bodyLimitBytes)
        this.log.warn('bodyLimitBytes changes take effect on restart');
      this.config = l.config;
      this.serving.swap(l.snapshot);
      this.log.info(
        {
          model: l.snapshot.model.version,
          offers: l.snapshot.offersFrom?.source === 'database' ? l.snapshot.offersFrom.version : 'file',
          repeatCustomers: l.snapshot.histories.size,
        },
        'model and configuration reloaded',
      );
      logServed(this.log, this.o.config, l);
    } catch (e) {
      this.log.error(
        { err: (e as Error).message },
        'reload failed; the previous model and configuration stay in force',
      );
    }
  }
}

/** Store work (reports, loading the event log) one at a time: the store is a single-writer database file. */
function storeWork(store: Store, log: Logger) {
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(run: () => Promise<T>): Promise<T> => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
  return {
    report: (o: ReportOptions, experiments: readonly Experiment[], profit: ProfitBasis) =>
      serial(() => report(store, o, experiments, profit)),
    experiment: (id: string, o: ShowOptions, ctx: ExperimentContext) =>
      serial(() => showExperiment(store, id, o, ctx)),
    clv: () => serial(() => clv(store, { ...CLV_DEFAULTS })),
    evalRecs: (minSupport: number) => serial(() => evalRecs(store, { k: 10, minSupport })),
    /** Mines the next model version with the served model's parameters (the caller then reloads). */
    mine: (params: unknown) =>
      serial(async () => {
        const r = await mine(store, params as MineParams, { createdAt: new Date().toISOString() });
        log.info({ model: r.model.version, rules: r.model.rules.length }, 'model mined from the dashboard');
        return { version: r.model.version };
      }),
    // One rejects file, rewritten, rather than one per load.
    loadEvents: () =>
      serial(async () => {
        const r = await ingest(store, 'api-events', [], { runId: 'serve' });
        log.info(
          { read: r.rows.read, loaded: r.rows.loaded, rejected: r.rows.rejected, rejectsFile: r.rejectsFile },
          'event log loaded into the store',
        );
        return r;
      }),
  };
}

/** One process serving the store; resolves with the address once it listens (levers demo uses it too). */
export async function serveSingle(store: Store, o: ServeOptions, announce = true): Promise<string> {
  const log = logger(o, 'server');
  const events = store.openEventLog();
  const live = new Live(store, o, log);
  const work = storeWork(store, log);
  const counters = store.openSharedCounters?.() ?? null;
  // A new model published to a shared store is pulled and served without a restart.
  let watch: { seen(): void } | null = null;
  const follow = store.followSnapshots?.((pulled) => {
    log.info({ pulled }, `published in the database: ${describePulled(pulled)}`);
    live.reload();
    watch?.seen();
  });
  const app = await buildApp({
    config: () => live.config,
    serving: live.serving,
    events,
    // With a shared store, the rate limits are counted with the other servers'.
    ...(counters ? { rateShare: countersRateShare(counters) } : {}),
    logger: log,
    logRequests: !!o.logRequests,
    demoShop: store.isDemoStore(),
    ...work,
    mine: async (params) => {
      const r = await work.mine(params);
      live.reload();
      return r;
    },
  });
  const address = await app.listen({ port: o.port, host: o.host });
  process.on('SIGHUP', () => live.reload());
  watch = watchStore(store, o, log, () => live.reload());
  const stop = async () => {
    log.info('draining');
    await app.close();
    events.close();
    counters?.close();
    follow?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  const version = live.serving.snapshot.model.version;
  log.info({ address, model: version, events: events.size }, 'listening');
  if (announce)
    process.stderr.write(`levers serve: ${address} (model v${version}, ${events.size} events stored)\n`);
  return address;
}

/** `levers serve`: one process, or a cluster whose primary owns the event log and the store. */
export async function serve(store: Store, o: ServeOptions): Promise<void> {
  if (cluster.isWorker) return worker(store, o);
  // A shared store's newest model, offers and weights first (a new machine has none of its own yet);
  // unreachable, the folder's.
  await store.pullSnapshots?.().catch(() => null);
  checkServable(store, o.config);
  if (o.workers === 1) return void (await serveSingle(store, o));
  return primary(store, o);
}

async function primary(store: Store, o: ServeOptions): Promise<void> {
  const log = logger(o, 'primary');
  const events = store.openEventLog();
  const work = storeWork(store, log);
  const rates = new RateTotals();
  const sessions = new MemorySessions();
  // Each worker's latest live counters (sent once a second), summed when the dashboard asks.
  const liveStates = new Map<number, LiveSnapshot>();
  let stopping = false;
  let listening = 0;
  // The workers' young generation up to 32 MB a semi-space (V8's default is 16): a request allocates ~28 kB, so a
  // scavenge came every ~530 requests; at 32 MB every ~1,000, each costing about the same (what survives is the
  // requests in flight), which halved the scavenging per request under the serve bench's carts not seen (--trace-gc:
  // 5.6 -> 3.2 µs a request). An operator's own setting wins.
  const given = [...process.execArgv, ...(process.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (!given.some((a) => /^--max-semi-space-size(=|$)/.test(a)))
    cluster.setupPrimary({ execArgv: [...process.execArgv, '--max-semi-space-size=32'] });
  const fork = () => {
    const w = cluster.fork({ LEVERS_EVENTS_SIZE: String(events.size) });
    serveWorker(w, {
      append: async (batch) => ({
        appended: await events.append(batch),
        size: events.size,
        degraded: events.degraded,
      }),
      rate: (window, deltas) => {
        const totals = rates.add(window, deltas);
        for (const other of Object.values(cluster.workers ?? {}))
          if (other?.isConnected()) other.send({ kind: 'rate-totals', window, totals });
      },
      ...work,
      sessions,
      liveState: (state) => liveStates.set(w.id, state),
      live: async () => sumSnapshots([...liveStates.values()], Date.now()),
      mine: async (params) => {
        const r = await work.mine(params);
        for (const other of Object.values(cluster.workers ?? {})) other?.send({ kind: 'reload' });
        return r;
      },
    });
    w.on('listening', (a) => {
      const address = `http://${a.address && a.address !== '::' ? a.address : o.host}:${a.port}`;
      if (++listening === o.workers) {
        log.info({ address, workers: o.workers, events: events.size }, 'listening');
        process.stderr.write(
          `levers serve: ${address} (${o.workers} workers, ${events.size} events stored)\n`,
        );
      }
    });
    w.on('exit', (code, signal) => {
      liveStates.delete(w.id);
      if (stopping) return;
      // A worker that dies is replaced; the others keep serving meanwhile.
      log.error({ worker: w.id, code, signal }, 'worker exited; starting another');
      fork();
    });
  };
  for (let i = 0; i < o.workers; i++) fork();
  const reloadWorkers = () => {
    for (const w of Object.values(cluster.workers ?? {})) w?.send({ kind: 'reload' });
  };
  process.on('SIGHUP', () => {
    log.info('reloading the workers');
    reloadWorkers();
  });
  // The workers serve from the folder the primary pulls what is published into.
  let watch: { seen(): void } | null = null;
  const follow = store.followSnapshots?.((pulled) => {
    log.info({ pulled }, `published in the database: ${describePulled(pulled)}; reloading the workers`);
    reloadWorkers();
    watch?.seen();
  });
  watch = watchStore(store, o, log, reloadWorkers);
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('draining the workers');
    const all = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(
      all.map(
        (w) =>
          new Promise<void>((r) => {
            w.once('exit', () => r());
            w.send({ kind: 'stop' });
          }),
      ),
    );
    events.close();
    follow?.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function worker(store: Store, o: ServeOptions): Promise<void> {
  const log = logger(o, `worker-${cluster.worker!.id}`);
  const primary = new IpcClient(process);
  // A shared store's log takes every process's appends itself (and each worker's /healthz probes it).
  const events = store.sharedByServers
    ? store.openEventLog()
    : new IpcEventSink(primary, Number(process.env.LEVERS_EVENTS_SIZE ?? 0));
  const counters = store.openSharedCounters?.() ?? null;
  const live = new Live(store, o, log);
  const app = await buildApp({
    config: () => live.config,
    serving: live.serving,
    events,
    logger: log,
    logRequests: !!o.logRequests,
    report: (options, experiments, profit) => primary.call({ kind: 'report', options, experiments, profit }),
    loadEvents: () => primary.call({ kind: 'loadEvents' }),
    experiment: (id, options, ctx) => primary.call({ kind: 'experiment', experiment: id, options, ctx }),
    clv: () => primary.call({ kind: 'clv' }),
    evalRecs: (minSupport) => primary.call({ kind: 'evalRecs', minSupport }),
    mine: (params) => primary.call({ kind: 'mine', params }) as Promise<{ version: number }>,
    sessions: new IpcSessions(primary),
    liveShare: {
      publish: (state) => process.send?.({ kind: 'live-state', state }),
      read: () => primary.call({ kind: 'live' }) as Promise<LiveSnapshot>,
    },
    // Workers of a shared store count with every server through the store; else through the primary.
    rateShare: counters ? countersRateShare(counters) : ipcRateShare(process),
    demoShop: store.isDemoStore(),
  });
  await app.listen({ port: o.port, host: o.host });
  // Signals go to the primary; it tells the workers. Ctrl-C reaches the whole group, so workers leave SIGINT
  // to it.
  process.on('SIGINT', () => {});
  process.on('message', async (m: { kind?: string }) => {
    if (m?.kind === 'reload') live.reload();
    if (m?.kind === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
}
