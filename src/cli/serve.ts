import cluster from 'node:cluster';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { pino, type Logger } from 'pino';
import { z } from 'zod';
import type { PastOrder } from '../core/recs/habits.js';
import type { RecsModel } from '../core/recs/model.js';
import { buildReport } from '../report/build.js';
import { buildApp } from '../server/app.js';
import { loadServerConfig, type ServerConfig } from '../server/config.js';
import { EventLog, type EventSink } from '../server/event-log.js';
import { IpcClient, IpcEventSink, serveWorker } from '../server/ipc-events.js';
import { runIngest } from '../ingest/run.js';
import { SEGMENT_DIMENSIONS } from '../store/queries/report-facts.js';
import { loadHistories, loadModel } from './recs.js';
import { parseOptions } from './options.js';
import { storeDir, withStore } from './store-option.js';

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  config: z.string(),
  workers: z.coerce.number().int('--workers must be a whole number').min(1, '--workers must be at least 1').max(64),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logRequests: z.boolean().optional(),
  store: z.string().optional(),
});
export type ServeOptions = z.infer<typeof Options>;
type Options = ServeOptions;

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('the HTTP API for the storefront and dashboard (decide, events, recommendations, report)')
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'server configuration (keys, origins, limits, offers)', 'levers.config.json')
    .option('--workers <n>', 'processes serving requests (Node cluster); the event log stays in one', '1')
    .option('--log-level <level>', 'structured log level (JSON lines on stderr)', 'info')
    .option('--log-requests', 'log every request (costs throughput; off by default)')
    .addHelpText('after', '\nSignals: SIGHUP reloads the model snapshot and the configuration without dropping a request; SIGTERM drains and stops.')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const dir = storeDir(o.store);
      if (cluster.isWorker) return worker(o, dir);
      // Fail before forking: a bad configuration or a missing model is one clear error, not N crashing workers.
      loadServerConfig(o.config);
      loadModel(dir);
      if (o.workers === 1) return void (await single(o, dir));
      return primary(o, dir);
    });
}

const logger = (o: Options, role: string): Logger => pino({ level: o.logLevel, base: { pid: process.pid, role } }, pino.destination(2));

const historiesOf = (dir: string) => new Map(Object.entries(loadHistories(dir)?.customers ?? {}));

/** Model and configuration as held in memory: replaced whole, so a request sees either the old pair or the new. */
class Live {
  model: RecsModel;
  config: ServerConfig;
  histories: ReadonlyMap<string, readonly PastOrder[]>;
  constructor(private readonly o: Options, private readonly dir: string, private readonly log: Logger) {
    this.model = loadModel(dir);
    this.config = loadServerConfig(o.config);
    this.histories = historiesOf(dir);
  }

  /** Loads both again; if either is broken the old ones stay in force and the problem is logged. */
  reload(): void {
    try {
      const model = loadModel(this.dir);
      const config = loadServerConfig(this.o.config);
      const histories = historiesOf(this.dir);
      if (config.bodyLimitBytes !== this.config.bodyLimitBytes) this.log.warn('bodyLimitBytes changes take effect on restart');
      this.model = model;
      this.config = config;
      this.histories = histories;
      this.log.info({ model: model.version, repeatCustomers: histories.size }, 'model and configuration reloaded');
    } catch (e) {
      this.log.error({ err: (e as Error).message }, 'reload failed; the previous model and configuration stay in force');
    }
  }
}

/**
 * The report of the store with the server's own events loaded first (loading is idempotent, so only what arrived
 * since the last report is new); one at a time, since the store is a single-writer database file.
 */
function reporter(dir: string, log: Logger): () => Promise<unknown> {
  let queue: Promise<unknown> = Promise.resolve();
  const file = join(dir, 'events', 'events.jsonl');
  const run = () => withStore(dir, async (s) => {
    if (existsSync(file) && statSync(file).size > 0) {
      const r = await runIngest(s, 'api-events', [file], { runId: 'serve' }); // one rejects file, rewritten, not one per report
      log.info({ read: r.rows.read, loaded: r.rows.loaded, rejected: r.rows.rejected, rejectsFile: r.rejectsFile }, 'event log loaded for the report');
    }
    return buildReport(s, { period: 'week', segments: [...SEGMENT_DIMENSIONS], includeShipping: false, includeTax: false, clv: false });
  });
  return () => {
    const next = queue.then(run, run);
    queue = next.catch(() => undefined);
    return next;
  };
}

async function listen(o: Options, dir: string, events: EventSink, log: Logger, report: () => Promise<unknown>) {
  const live = new Live(o, dir, log);
  const app = await buildApp({ config: () => live.config, model: () => live.model, histories: () => live.histories, events, logger: log, logRequests: !!o.logRequests, report });
  const address = await app.listen({ port: o.port, host: o.host });
  return { app, live, address };
}

/** One process serving the store; resolves with the address once it listens (levers demo uses it too). */
export async function single(o: Options, dir: string, announce = true): Promise<string> {
  const log = logger(o, 'server');
  mkdirSync(join(dir, 'events'), { recursive: true });
  const events = new EventLog(join(dir, 'events', 'events.jsonl'));
  const { app, live, address } = await listen(o, dir, events, log, reporter(dir, log));
  process.on('SIGHUP', () => live.reload());
  const stop = async () => {
    log.info('draining');
    await app.close();
    events.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
  log.info({ address, model: live.model.version, events: events.size }, 'listening');
  if (announce) process.stderr.write(`levers serve: ${address} (model v${live.model.version}, ${events.size} events stored)\n`);
  return address;
}

async function primary(o: Options, dir: string): Promise<void> {
  const log = logger(o, 'primary');
  mkdirSync(join(dir, 'events'), { recursive: true });
  const events = new EventLog(join(dir, 'events', 'events.jsonl'));
  let stopping = false;
  let listening = 0;
  let address = '';
  const report = reporter(dir, log);
  const fork = () => {
    const w = cluster.fork({ LEVERS_EVENTS_SIZE: String(events.size) });
    serveWorker(w, { append: (batch) => ({ appended: events.append(batch), size: events.size }), report });
    w.on('listening', (a) => {
      address = `http://${a.address && a.address !== '::' ? a.address : o.host}:${a.port}`;
      if (++listening === o.workers) {
        log.info({ address, workers: o.workers, events: events.size }, 'listening');
        process.stderr.write(`levers serve: ${address} (${o.workers} workers, ${events.size} events stored)\n`);
      }
    });
    w.on('exit', (code, signal) => {
      if (stopping) return;
      // A worker that dies is replaced; the others keep serving meanwhile.
      log.error({ worker: w.id, code, signal }, 'worker exited; starting another');
      fork();
    });
  };
  for (let i = 0; i < o.workers; i++) fork();
  process.on('SIGHUP', () => {
    log.info('reloading the workers');
    for (const w of Object.values(cluster.workers ?? {})) w?.send({ kind: 'reload' });
  });
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    log.info('draining the workers');
    const all = Object.values(cluster.workers ?? {}).filter((w) => w !== undefined);
    await Promise.all(all.map((w) => new Promise<void>((r) => { w.once('exit', () => r()); w.send({ kind: 'stop' }); })));
    events.close();
    log.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', stop);
  process.once('SIGINT', stop);
}

async function worker(o: Options, dir: string): Promise<void> {
  const log = logger(o, `worker-${cluster.worker!.id}`);
  const primary = new IpcClient(process);
  const events = new IpcEventSink(primary, Number(process.env.LEVERS_EVENTS_SIZE ?? 0));
  const { app, live } = await listen(o, dir, events, log, () => primary.call({ kind: 'report' }));
  // Signals go to the primary; it tells the workers. Ctrl-C reaches the whole group, so workers leave SIGINT to it.
  process.on('SIGINT', () => {});
  process.on('message', async (m: { kind?: string }) => {
    if (m?.kind === 'reload') live.reload();
    if (m?.kind === 'stop') {
      await app.close();
      process.exit(0);
    }
  });
}
