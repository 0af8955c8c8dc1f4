import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isLeversError, type ErrorCode } from '../core/errors.js';
import type { LoggedApiEvent } from '../core/model/api-event.js';
import { assignUnit } from '../core/offers/decide.js';
import type { ReportOptions } from '../app/report-options.js';
import type { Serving } from '../app/serving.js';
import type { EventSink } from '../store/port.js';
import type { ServerConfig } from './config.js';
import { RateLimiter } from './rate-limit.js';
import { sendError, sendInvalid, sendLeversError } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { DecideBody, EventsBody, RecommendationsQuery, ReportQuery } from './schemas.js';

export interface AppDeps {
  /** The configuration in force; read per request, so a reload takes effect without a restart (the body limit excepted). */
  config: () => ServerConfig;
  /** Decisions and recommendations from the in-memory snapshot. */
  serving: Serving;
  events: EventSink;
  /** The report of what the store holds, read-only (secret key only). */
  report?: (o: ReportOptions) => Promise<unknown>;
  /** Loads the server's event log into the store (secret key only; a POST, since it writes). */
  loadEvents?: () => Promise<unknown>;
  clock?: () => Date;
  /** A pino logger for lifecycle, warnings and errors (none in tests). */
  logger?: FastifyBaseLogger;
  /** A log line per request: useful when debugging, a third of the throughput in production. */
  logRequests?: boolean;
}

type Scope = 'publishable' | 'secret';

function keyOf(req: FastifyRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const h = req.headers['x-levers-key'];
  return typeof h === 'string' ? h : undefined;
}

const FASTIFY_ERRORS: Record<string, { code: ErrorCode; detail?: (e: Error) => string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { code: 'BODY_TOO_LARGE' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_EMPTY_JSON_BODY: { code: 'INVALID_JSON', detail: () => 'the body is empty; send a JSON object' },
  FST_ERR_CTP_INVALID_JSON_BODY: { code: 'INVALID_JSON', detail: (e) => `the body is not valid JSON (${e.message})` },
};

export async function buildApp(d: AppDeps): Promise<FastifyInstance> {
  const c = d.config;
  const bodyLimit = c().bodyLimitBytes;
  const scopeOf = (key: string | undefined): Scope | null =>
    key && c().secretKeys.includes(key) ? 'secret' : key && c().publishableKeys.includes(key) ? 'publishable' : null;
  const app = Fastify({ bodyLimit, ...(d.logger ? { loggerInstance: d.logger } : { logger: false }),
    logController: new LogController({ disableRequestLogging: !d.logRequests }),
    // Without request logging, a child logger per request (with its request id) is work nobody reads.
    ...(d.logRequests ? {} : { childLoggerFactory: (logger: FastifyBaseLogger) => logger }) });
  await app.register(cors, {
    origin: (origin, cb) => cb(null, !origin || c().allowedOrigins.includes(origin)),
    methods: ['GET', 'POST'],
    allowedHeaders: ['content-type', 'authorization', 'x-levers-key'],
  });
  // navigator.sendBeacon posts text/plain (a JSON content type would need a CORS preflight a beacon cannot make):
  // such a body is read as JSON like any other.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser('text/plain', { parseAs: 'string' }, app.getDefaultJsonParser('error', 'error'));
  app.setErrorHandler((err: Error & { code?: string }, req, reply) => {
    const known = err.code ? FASTIFY_ERRORS[err.code] : undefined;
    if (known) return sendError(reply, known.code, { max: bodyLimit, detail: known.detail?.(err) });
    if (err instanceof SyntaxError) return sendError(reply, 'INVALID_JSON', { detail: `the body is not valid JSON (${err.message})` });
    if (!isLeversError(err)) req.log.error({ err }, 'unexpected error');
    return sendLeversError(reply, err);
  });
  // A plain callback hook: an async one costs a promise and a microtask hop on every storefront request.
  const guard = (need: Scope, beacon = false) => (req: FastifyRequest, reply: FastifyReply, done: () => void) => {
    let key = keyOf(req);
    // navigator.sendBeacon cannot set headers, so /v1/events also takes a publishable key as ?key=; never a secret
    // one, which would end up in access logs.
    const queryKey = beacon ? (req.query as Record<string, unknown>).key : undefined;
    if (!key && typeof queryKey === 'string') {
      if (scopeOf(queryKey) === 'secret') return void sendError(reply, 'SECRET_KEY_IN_URL');
      key = queryKey;
    }
    const scope = scopeOf(key);
    if (!key) return void sendError(reply, 'MISSING_KEY');
    if (!scope) return void sendError(reply, 'UNKNOWN_KEY');
    if (need === 'secret' && scope !== 'secret') return void sendError(reply, 'SECRET_KEY_REQUIRED');
    // A publishable key is shared by every shopper's browser, so it is limited per key and address; a secret key per key.
    const max = scope === 'secret' ? c().rateLimitPerMinute.secret : c().rateLimitPerMinute.publishable;
    const wait = limiter.hit(scope === 'secret' ? key : `${key}|${req.ip}`, max);
    if (wait !== null) {
      reply.header('retry-after', wait);
      return void sendError(reply, 'RATE_LIMITED', { max, scope: scope === 'secret' ? 'with this key' : 'with this key from this address', retryAfter: wait });
    }
    done();
  };
  const limiter = new RateLimiter(() => (d.clock?.() ?? new Date()).getTime());

  app.get('/healthz', async () => ({ ok: true, model: d.serving.snapshot.model.version, events: d.events.size, decisionCache: d.serving.cacheStats }));
  app.get('/v1/openapi.json', async () => openApiDocument());

  app.post('/v1/decide', { preHandler: guard('publishable') }, async (req, reply) => {
    const body = DecideBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    return reply.type('application/json; charset=utf-8').send(d.serving.decide(body.data));
  });

  app.post('/v1/events', { preHandler: guard('publishable', true) }, async (req, reply) => {
    const body = EventsBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    const conf = c();
    if (body.data.events.length > conf.maxEventsPerBatch) return sendError(reply, 'BATCH_TOO_LARGE', { max: conf.maxEventsPerBatch }, 'events');
    const receivedAt = (d.clock?.() ?? new Date()).toISOString();
    // The server stamps each event with its unit's assignment (the same hash /v1/decide used), so the report can
    // compare holdout and treated sessions without trusting the storefront to echo it.
    const offers = d.serving.snapshot.offers;
    const logged = body.data.events.map((e): LoggedApiEvent => ({ ...e, currency: e.currency ?? offers.currency, receivedAt,
      assignment: assignUnit(offers, e.customerId ?? e.sessionId).inHoldout ? 'holdout' : 'treatment' }));
    const r = await d.events.append(logged);
    return reply.code(202).send(r);
  });

  app.get('/v1/recommendations', { preHandler: guard('secret') }, async (req, reply) => {
    const q = RecommendationsQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    return d.serving.recommend({ cart: q.data.cart.split(',').map((x) => x.trim()).filter(Boolean), page: q.data.page, k: q.data.k });
  });

  app.get('/v1/report', { preHandler: guard('secret') }, async (req, reply) => {
    const q = ReportQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    if (!d.report) return sendError(reply, 'NO_STORE');
    return d.report(q.data);
  });

  app.post('/v1/events/load', { preHandler: guard('secret') }, async (_req, reply) => {
    if (!d.loadEvents) return sendError(reply, 'NO_STORE');
    return d.loadEvents();
  });
  return app;
}
