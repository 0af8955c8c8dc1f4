import Fastify, {
  LogController,
  type FastifyBaseLogger,
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from 'fastify';
import { isLeversError, LeversError, type ErrorCode } from '../core/errors.js';
import { amountOutOfRange, type ApiEvent, type LoggedApiEvent } from '../core/model/api-event.js';
import { assignUnit, experimentsOf } from '../core/offers/decide.js';
import { DAY_MS, toIsoDate } from '../core/time.js';
import { type ExperimentContext, profitBasisOf, type ShowOptions } from '../app/experiment.js';
import { listExperiments } from '../app/experiment-list.js';
import type { ReportOptions } from '../app/report-options.js';
import type { Experiment } from '../core/experiments/config.js';
import type { Serving } from '../app/serving.js';
import type { EventSink, ProfitBasis } from '../store/port.js';
import type { ServerConfig } from './config.js';
import { KeyRing, presentedKey, type Scope } from './keys.js';
import { RateLimiter, type RateShare } from './rate-limit.js';
import { sendError, sendInvalid, sendLeversError } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { EventsBody, RecommendationsQuery, ReportQuery } from './contract.js';
import { parseDecideBody } from './decide-body.js';
import { ExperimentQuery } from './contract-experiments.js';
import type { ClvRun } from '../app/clv.js';
import type { EvalRun } from '../app/eval-recs.js';
import type { ExperimentReport } from '../app/experiment.js';
import type { Report } from '../app/report.js';
import { LiveStats, type LiveSnapshot } from './dashboard/live-stats.js';
import { dashboardGate, registerDashboard } from './dashboard/routes.js';
import { MemorySessions, type SessionStore } from './dashboard/session.js';
import { registerConversation } from './conversation-route.js';
import { registerShop } from './shop.js';
import { loadWebFiles, registerWidget } from './web.js';

export interface AppDeps {
  /**
   * The configuration in force; read per request, so a reload takes effect without a restart (limits and
   * timeouts excepted).
   */
  config: () => ServerConfig;
  /** Decisions and recommendations from the in-memory snapshot. */
  serving: Serving;
  events: EventSink & { readonly degraded?: string | null; readonly database?: 'reachable' | 'unreachable' };
  /** The report of what the store holds, with the configured offer experiments, read-only (secret key only). */
  report?: (o: ReportOptions, experiments: readonly Experiment[], profit: ProfitBasis) => Promise<unknown>;
  /** An experiment's analysis from the store, as levers experiment show gives it (secret key only). */
  experiment?: (id: string, o: ShowOptions, ctx: ExperimentContext) => Promise<unknown>;
  /** Loads the server's event log into the store (secret key only; a POST, since it writes). */
  loadEvents?: () => Promise<unknown>;
  /** Rate-limit counts shared with the other workers of a cluster. */
  rateShare?: RateShare;
  clock?: () => Date;
  /** A pino logger for lifecycle, warnings and errors (none in tests). */
  logger?: FastifyBaseLogger;
  /** A log line per request: useful when debugging, a third of the throughput in production. */
  logRequests?: boolean;
  /** Serve the demo shop at /shop (a demo store only: it shows the store's catalogue to anyone). */
  demoShop?: boolean;
  /** Predictive customer value over the store's customers (the dashboard's Customers page). */
  clv?: () => Promise<unknown>;
  /** The model's offline evaluation against popularity, with the served model's support (Recommendations). */
  evalRecs?: (minSupport: number) => Promise<unknown>;
  /** Mines the next model version with these parameters and serves it (the dashboard's "mine now"). */
  mine?: (params: unknown) => Promise<{ version: number }>;
  /** Dashboard sign-ins (default: this process's memory; a cluster's workers share the primary's). */
  sessions?: SessionStore;
  /** Under a cluster: this worker's live counters go to the primary, and the Live page reads the sum there. */
  liveShare?: { publish(s: LiveSnapshot): void; read(): Promise<LiveSnapshot> };
}

declare module 'fastify' {
  interface FastifyRequest {
    scope: Scope | null;
    /** Set by the CORS hook on a preflight it answered. */
    corsPreflightEnabled: boolean;
  }
  interface FastifyContextConfig {
    /** false: no CORS headers or origin check on this route (the public scripts). */
    cors?: boolean;
  }
}

/**
 * Whether the request's route opted out of CORS (config.cors false). Reading the route's options builds an
 * object per read, so only a path that can reach such a route (the public scripts under /v1/widget and
 * /v1/chat, or a percent-encoded path the router decodes) reads them.
 */
function corsExempt(req: FastifyRequest): boolean {
  const url = req.url;
  return (
    (url.startsWith('/v1/widget') || url.startsWith('/v1/chat') || url.includes('%')) &&
    req.routeOptions.config?.cors === false
  );
}

const FASTIFY_ERRORS: Record<string, { code: ErrorCode; detail?: (e: Error) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    code: 'INVALID_JSON',
    detail: () => 'the body is empty; send a JSON object',
  },
  FST_ERR_CTP_INVALID_JSON_BODY: {
    code: 'INVALID_JSON',
    detail: (e) => `the body is not valid JSON (${e.message})`,
  },
};

/** Seconds a client should wait before sending again when the server cannot store events. */
const RETRY_AFTER_S = 5;

export async function buildApp(d: AppDeps): Promise<FastifyInstance> {
  const c = d.config;
  const start = c();
  const clock = d.clock;
  const now = clock ? () => clock().getTime() : Date.now;
  const rings = new WeakMap<ServerConfig, KeyRing>();
  const ring = () => {
    const conf = c();
    let r = rings.get(conf);
    if (!r) rings.set(conf, (r = new KeyRing(conf.publishableKeys, conf.secretKeys)));
    return r;
  };
  const live = new LiveStats(now);
  const app = Fastify({
    // Fastify takes a hop count too (proxy-addr), though its types omit it.
    bodyLimit: start.bodyLimitBytes,
    trustProxy: start.trustProxy as boolean | string,
    // A body trickled byte by byte must not hold a connection: the whole request arrives in time or is cut
    // off. Node checks these on an interval (30 s by default), so the interval follows the timeout.
    requestTimeout: start.requestTimeoutMs,
    connectionTimeout: start.requestTimeoutMs,
    keepAliveTimeout: start.keepAliveTimeoutMs,
    http: {
      requestTimeout: start.requestTimeoutMs,
      headersTimeout: start.requestTimeoutMs,
      connectionsCheckingInterval: Math.max(100, Math.min(5_000, Math.floor(start.requestTimeoutMs / 4))),
    },
    ...(d.logger ? { loggerInstance: d.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: !d.logRequests }),
    // Without request logging, a child logger per request (with its request id) is work nobody reads.
    ...(d.logRequests ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }),
  });
  app.decorateRequest('scope', null);
  // Set before the CORS preflight route is added, so that route's errors are in the envelope too.
  app.setErrorHandler((err: Error & { code?: string }, req, reply) => {
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    if (known) return sendError(reply, known.code, { max: c().bodyLimitBytes, detail: known.detail?.(err) });
    if (err instanceof SyntaxError)
      return sendError(reply, 'INVALID_JSON', { detail: `the body is not valid JSON (${err.message})` });
    if (!isLeversError(err)) req.log.error({ err }, 'unexpected error');
    else if (err.status >= 500) req.log.error({ code: err.code, msg: err.message }, 'request failed');
    if (isLeversError(err) && err.status === 503) reply.header('retry-after', RETRY_AFTER_S);
    return sendLeversError(reply, err);
  });
  // The connection timeout closes a socket that sends nothing (a silent client holding a connection); once a
  // request has arrived whole it no longer applies, or a report or a load that computes longer than it (a large
  // store, a busy machine) would have its socket cut with no answer. The request's own receipt stays bounded by
  // requestTimeout, and the idle time after the answer by keepAliveTimeout.
  //
  // A browser sends Origin on every POST, its own origin included: a page this server renders (the demo shop)
  // calling /v1/decide is same-origin, not cross-site, whatever allowedOrigins says (the demo's port is chosen at
  // start): its Origin is dropped before the CORS check.
  //
  // CORS is written here rather than by @fastify/cors, whose hook copied its options, built the route's
  // options twice and parsed the Vary header on every request; the same headers and answers, in the same order:
  // Vary: Origin on every response; a browser on another site is refused outright (reads and writes: CORS alone
  // would only hide the answer); an allowed origin is echoed; a preflight (any OPTIONS: one that is not proper
  // gets the same empty 204, not a plain-text 400) is answered here with the methods and headers allowed. The
  // public scripts (config.cors false) get none of it.
  //
  // Last, the dashboard's security headers on everything under /dashboard (its 404 when it is switched off).
  //
  // One hook for all: each hook is a step of Fastify's hook runner on every request.
  const dashboard = dashboardGate(() => c().dashboard.enabled);
  app.addHook('onRequest', (req, reply, done) => {
    // (A request injected in process has a stand-in socket without timers.)
    // (A socket whose timer is already off is left alone: keep-alive requests come many to a socket.)
    const socket = req.raw.socket as { setTimeout?: (ms: number) => unknown; timeout?: number } | undefined;
    if (socket?.timeout !== 0) socket?.setTimeout?.(0);
    let origin = req.headers.origin;
    if (origin && origin === `${req.protocol}://${req.headers.host}`) {
      delete req.headers.origin;
      origin = undefined;
    }
    if (!corsExempt(req)) {
      reply.header('Vary', 'Origin');
      if (origin) {
        if (!c().allowedOrigins.includes(origin))
          return done(new LeversError('ORIGIN_NOT_ALLOWED', { origin }));
        reply.header('Access-Control-Allow-Origin', origin);
      }
      if (req.raw.method === 'OPTIONS') {
        req.corsPreflightEnabled = true;
        reply.header('Access-Control-Allow-Methods', 'GET, POST');
        reply.header('Access-Control-Allow-Headers', 'content-type, authorization, x-levers-key');
        reply.code(204).header('Content-Length', '0').send();
        return;
      }
    }
    if (dashboard(req, reply)) done();
  });
  app.decorateRequest('corsPreflightEnabled', false);
  // Preflights are answered by the hook; this route only lets Fastify accept OPTIONS on any path.
  app.options('*', (req, reply) => {
    if (!req.corsPreflightEnabled) {
      reply.callNotFound();
      return;
    }
    reply.send();
  });
  // navigator.sendBeacon posts text/plain (a JSON content type would need a CORS preflight a beacon cannot
  // make): such a body is read as JSON like any other.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.setNotFoundHandler((req, reply) =>
    sendError(reply, 'NOT_FOUND', { method: req.method, url: req.url.split('?')[0] }),
  );
  const limiter = new RateLimiter(now, d.rateShare);
  if (d.rateShare) {
    const timer = setInterval(() => limiter.sync(), 250);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  const limited = (reply: FastifyReply, key: string, max: number, scope: string): boolean => {
    const wait = limiter.hit(key, max);
    if (wait === null) return false;
    reply.header('retry-after', wait);
    sendError(reply, 'RATE_LIMITED', { max, scope, retryAfter: wait });
    return true;
  };
  // Whether the request's key may call a route that needs this scope; when not, the refusal is sent.
  const authorised =
    (need: Scope, beacon = false) =>
    (req: FastifyRequest, reply: FastifyReply): boolean => {
      const conf = c();
      let key = presentedKey(req.headers.authorization, req.headers['x-levers-key']);
      // navigator.sendBeacon cannot set headers, so /v1/events also takes a publishable key as ?key=; never a
      // secret one, which would end up in access logs.
      const queryKey = beacon ? (req.query as Record<string, unknown>).key : undefined;
      if (!key && typeof queryKey === 'string') {
        if (ring().scopeOf(queryKey) === 'secret') {
          sendError(reply, 'SECRET_KEY_IN_URL');
          return false;
        }
        key = queryKey;
      }
      const scope = ring().scopeOf(key);
      if (!scope) {
        // Guessing keys costs a request each, from a small budget per address.
        if (
          limited(
            reply,
            `fail|${req.ip}`,
            conf.rateLimitPerMinute.failedAuth,
            'that failed authentication from this address',
          )
        )
          return false;
        sendError(reply, key ? 'UNKNOWN_KEY' : 'MISSING_KEY');
        return false;
      }
      if (need === 'secret' && scope !== 'secret') {
        sendError(reply, 'SECRET_KEY_REQUIRED');
        return false;
      }
      // A publishable key is shared by every shopper's browser, so it is limited per key and address; a
      // secret key per key.
      const secret = scope === 'secret';
      const max = secret ? conf.rateLimitPerMinute.secret : conf.rateLimitPerMinute.publishable;
      if (
        limited(
          reply,
          secret ? `s|${key}` : `p|${key}|${req.ip}`,
          max,
          secret ? 'with this key' : 'with this key from this address',
        )
      )
        return false;
      req.scope = scope;
      return true;
    };
  // As a preHandler: a plain callback hook (an async one costs a promise and a microtask hop per request).
  const guard = (need: Scope, beacon = false) => {
    const ok = authorised(need, beacon);
    return (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
      if (ok(req, reply)) done();
    };
  };

  app.get('/healthz', async () => {
    const degraded = d.events.degraded ?? null;
    return {
      ok: true,
      status: degraded ? 'degraded' : 'ok',
      model: d.serving.snapshot.model.version,
      events: d.events.size,
      eventsWritable: !degraded,
      ...(d.events.database ? { database: d.events.database } : {}),
      ...(degraded ? { problem: `events cannot be stored: ${degraded}` } : {}),
      decisionCache: d.serving.cacheStats,
      offers: d.serving.snapshot.offersFrom ?? { source: 'file' },
      weights: Object.fromEntries((d.serving.snapshot.weights ?? []).map((w) => [w.experiment, w.version])),
    };
  });
  app.get('/v1/openapi.json', async () => openApiDocument());
  const web = loadWebFiles();
  registerWidget(app, web);
  if (d.demoShop) registerShop(app, { serving: d.serving, config: c, files: web });

  // A plain handler: an async one costs a promise and a microtask hop on the storefront's hottest path. It
  // returns nothing (Fastify would send a returned reply a second time).
  //
  // The key is checked at the top of the handler rather than in a preHandler hook (the same point of the request:
  // after the body is parsed), which saves the storefront's hottest route a step of Fastify's hook runner.
  const decideAuthorised = authorised('publishable');
  app.post('/v1/decide', (req, reply) => {
    if (!decideAuthorised(req, reply)) return;
    const body = parseDecideBody(req.body);
    if (!body.success) {
      sendInvalid(reply, body.error);
      return;
    }
    const answer = d.serving.answer(body.data);
    live.decided(answer.refused);
    reply.type('application/json; charset=utf-8').send(answer.json);
  });

  registerConversation(app, { serving: d.serving, events: d.events, guard: guard('publishable'), now });

  app.post('/v1/events', { preHandler: guard('publishable', true) }, async (req, reply) => {
    const body = EventsBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    const conf = c();
    if (body.data.events.length > conf.maxEventsPerBatch)
      return sendError(reply, 'BATCH_TOO_LARGE', { max: conf.maxEventsPerBatch }, 'events');
    const t = now();
    const source = req.scope === 'secret' ? 'server' : 'client';
    for (const [i, e] of body.data.events.entries()) {
      const problem = eventProblem(e, conf, t, source);
      if (problem)
        return sendError(
          reply,
          'INVALID_REQUEST',
          { field: `events.${i}.${problem.path}`, detail: problem.problem },
          `events.${i}.${problem.path}`,
        );
    }
    const receivedAt = new Date(t).toISOString();
    // The server stamps each event with its unit's assignment (the same hash /v1/decide used), so the report
    // can compare holdout and treated sessions without trusting the storefront to echo it, and with who
    // reported it.
    const offers = d.serving.snapshot.offers;
    const today = Math.floor(t / DAY_MS);
    const logged = body.data.events.map((e): LoggedApiEvent => {
      const inHoldout = assignUnit(offers, e.customerId ?? e.sessionId).inHoldout;
      // The experiments and variants are stamped the same way: the hash /v1/decide used, on the day it arrived.
      const experiments = inHoldout
        ? []
        : experimentsOf(offers, {
            sessionId: e.sessionId,
            ...(e.customerId ? { customer: { id: e.customerId } } : {}),
            today,
          }).exposures;
      return {
        ...e,
        currency: e.currency ?? offers.currency,
        receivedAt,
        assignment: inHoldout ? 'holdout' : 'treatment',
        ...(experiments.length ? { experiments } : {}),
        source,
      };
    });
    const r = await d.events.append(logged);
    live.add('events', r.accepted);
    return reply.code(202).send(r);
  });

  app.get('/v1/recommendations', { preHandler: guard('secret') }, async (req, reply) => {
    const q = RecommendationsQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    return d.serving.recommend({
      cart: q.data.cart
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
      page: q.data.page,
      k: q.data.k,
    });
  });

  app.get('/v1/report', { preHandler: guard('secret') }, async (req, reply) => {
    const q = ReportQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    if (!d.report) return sendError(reply, 'NO_STORE');
    return d.report(q.data, c().offers.experiments, profitBasisOf(c().offers));
  });

  // The configuration in force declares the experiments: the list needs no store, the analysis reads it.
  const declared = (): ExperimentContext => {
    const offers = c().offers;
    return {
      experiments: offers.experiments,
      holdoutShare: offers.holdoutShare,
      profit: profitBasisOf(offers),
    };
  };
  app.get('/v1/experiments', { preHandler: guard('secret') }, async () =>
    listExperiments(
      declared(),
      toIsoDate(now()),
      d.serving.snapshot.offers.experiments,
      d.serving.snapshot.weights,
    ),
  );

  app.get('/v1/experiments/:id', { preHandler: guard('secret') }, async (req, reply) => {
    const q = ExperimentQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    if (!d.experiment) return sendError(reply, 'NO_STORE');
    return d.experiment((req.params as { id: string }).id, q.data, declared());
  });

  app.post('/v1/events/load', { preHandler: guard('secret') }, async (_req, reply) => {
    if (!d.loadEvents) return sendError(reply, 'NO_STORE');
    return d.loadEvents();
  });

  // Refused and failed requests per minute for the Live page (one comparison per request).
  app.addHook('onResponse', (_req, reply, done) => {
    if (reply.statusCode >= 500) live.add('serverErrors');
    else if (reply.statusCode >= 400) live.add('clientErrors');
    done();
  });
  if (d.liveShare) {
    const share = d.liveShare;
    const timer = setInterval(() => share.publish(live.snapshot(d.serving.cacheStats)), 1000);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  }
  const need = <T>(f: T | undefined): T => {
    if (!f) throw new LeversError('NO_STORE');
    return f;
  };
  await registerDashboard(app, {
    sessionMinutes: () => c().dashboard.sessionMinutes,
    ring,
    sessions: d.sessions ?? new MemorySessions(now),
    files: web,
    // Every sign-in attempt counts against the failed-authentication budget of its address.
    attempt: (ip) => limiter.hit(`dashboard|${ip}`, c().rateLimitPerMinute.failedAuth),
    maxAttempts: () => c().rateLimitPerMinute.failedAuth,
    now,
    mine: () => need(d.mine)(d.serving.snapshot.model.params),
    data: {
      report: async (o) =>
        (await need(d.report)(o, c().offers.experiments, profitBasisOf(c().offers))) as Report,
      experiments: () =>
        listExperiments(
          declared(),
          toIsoDate(now()),
          d.serving.snapshot.offers.experiments,
          d.serving.snapshot.weights,
        ),
      experiment: async (id, o) => (await need(d.experiment)(id, o, declared())) as ExperimentReport,
      clv: async () => (await need(d.clv)()) as ClvRun,
      evalRecs: async () => (await need(d.evalRecs)(d.serving.snapshot.model.params.minSupport)) as EvalRun,
      model: () => d.serving.snapshot.model,
      live: async () => (d.liveShare ? d.liveShare.read() : live.snapshot(d.serving.cacheStats)),
    },
  });
  return app;
}

/** What the store could not hold or should not believe in an event, as a field path and a sentence. */
function eventProblem(
  e: ApiEvent,
  conf: ServerConfig,
  now: number,
  source: 'client' | 'server',
): { path: string; problem: string } | null {
  const at = Date.parse(e.occurredAt);
  const w = conf.eventTimeWindow;
  if (at < now - w.pastDays * 86_400_000)
    return { path: 'occurredAt', problem: `is more than ${w.pastDays} days before the server's clock` };
  if (at > now + w.futureMinutes * 60_000)
    return {
      path: 'occurredAt',
      problem: `is more than ${w.futureMinutes} minutes after the server's clock`,
    };
  // One store, one currency: an event in another would be acknowledged here and refused by the loader later.
  if (e.currency !== undefined && e.currency !== conf.offers.currency)
    return {
      path: 'currency',
      problem:
        `is ${e.currency}, and this store's currency is ${conf.offers.currency} (offers.currency): ` +
        `a store holds one currency; send amounts in ${conf.offers.currency}`,
    };
  const range = amountOutOfRange(e, conf.offers.currency);
  if (range) return range;
  if (source === 'client' && e.type === 'purchase') {
    const value = e.lines
      ? e.lines.reduce((s, l) => s + l.quantity * l.unitPriceMinor, 0)
      : (e.valueMinor ?? 0);
    if (value > conf.clientOrderMaxMinor) {
      return {
        path: e.lines ? 'lines' : 'valueMinor',
        problem:
          `a purchase reported by the browser may be worth at most ${conf.clientOrderMaxMinor} ` +
          `minor units (clientOrderMaxMinor); send larger orders with a secret key`,
      };
    }
  }
  return null;
}
