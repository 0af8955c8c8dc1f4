import cors from '@fastify/cors';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { isLeversError } from '../core/errors.js';
import type { LoggedApiEvent } from '../core/model/api-event.js';
import { assignmentOf, assignUnit, treatedOffers } from '../core/offers/decide.js';
import type { PastOrder } from '../core/recs/habits.js';
import { DAY_MS } from '../core/time.js';
import type { RecsModel } from '../core/recs/model.js';
import { recommend } from '../core/recs/recommend.js';
import type { ServerConfig } from './config.js';
import type { EventSink } from './event-log.js';
import { answer, DecisionCache, decisionJson } from './decision-cache.js';
import { RateLimiter } from './rate-limit.js';
import { sendError, sendInvalid, sendLeversError } from './http-errors.js';
import { openApiDocument } from './openapi.js';
import { DecideBody, EventsBody, RecommendationsQuery, ReportQuery } from './schemas.js';

export interface AppDeps {
  /** The configuration in force; read per request, so a reload takes effect without a restart (the body limit excepted). */
  config: () => ServerConfig;
  /** The recommendation snapshot, held in memory; swapped atomically on reload. */
  model: () => RecsModel;
  /** Repeat customers' recent orders (habits and reorders), held in memory beside the model. */
  histories?: () => ReadonlyMap<string, readonly PastOrder[]>;
  events: EventSink;
  /** The report as JSON, computed by the store adapter (secret key only). */
  report?: () => Promise<unknown>;
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

export async function buildApp(d: AppDeps): Promise<FastifyInstance> {
  const c = d.config;
  const bodyLimit = c().bodyLimitBytes;
  const scopeOf = (key: string | undefined): Scope | null =>
    key && c().secretKeys.includes(key) ? 'secret' : key && c().publishableKeys.includes(key) ? 'publishable' : null;
  // Structured logs (pino) for lifecycle, warnings and errors; a line per request would cost a third of the throughput.
  // Rebuilt whenever a reload swaps the snapshot or the configuration.
  let cache: DecisionCache | undefined;
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
  app.setErrorHandler((err: Error & { code?: string; statusCode?: number }, req, reply) => {
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return sendError(reply, 413, 'BODY_TOO_LARGE', `the body is over ${bodyLimit} bytes; send smaller batches`);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return sendError(reply, 415, 'UNSUPPORTED_MEDIA_TYPE', 'send the body as application/json');
    if (err.code === 'FST_ERR_CTP_EMPTY_JSON_BODY') return sendError(reply, 400, 'INVALID_JSON', 'the body is empty; send a JSON object');
    if (err instanceof SyntaxError || err.code === 'FST_ERR_CTP_INVALID_JSON_BODY') return sendError(reply, 400, 'INVALID_JSON', `the body is not valid JSON (${err.message})`);
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
      if (scopeOf(queryKey) === 'secret') return void sendError(reply, 400, 'SECRET_KEY_IN_URL', 'never put a secret key in a URL: send it as "Authorization: Bearer <key>", and rotate it now');
      key = queryKey;
    }
    const scope = scopeOf(key);
    if (!key) return void sendError(reply, 401, 'MISSING_KEY', 'send your API key as "Authorization: Bearer <key>"');
    if (!scope) return void sendError(reply, 401, 'UNKNOWN_KEY', 'this API key is not configured on the server');
    if (need === 'secret' && scope !== 'secret') return void sendError(reply, 403, 'SECRET_KEY_REQUIRED', 'this endpoint needs a secret key; publishable keys may only call /v1/decide and /v1/events');
    // A publishable key is shared by every shopper's browser, so it is limited per key and address; a secret key per key.
    const max = scope === 'secret' ? c().rateLimitPerMinute.secret : c().rateLimitPerMinute.publishable;
    const wait = limiter.hit(scope === 'secret' ? key : `${key}|${req.ip}`, max);
    if (wait !== null) {
      reply.header('retry-after', wait);
      return void sendError(reply, 429, 'RATE_LIMITED', `more than ${max} requests a minute with this key${scope === 'secret' ? '' : ' from this address'}; retry in ${wait} s`);
    }
    done();
  };
  const limiter = new RateLimiter(() => (d.clock?.() ?? new Date()).getTime());

  app.get('/healthz', async () => ({ ok: true, model: d.model().version, events: d.events.size, decisionCache: { hits: cache?.hits ?? 0, misses: cache?.misses ?? 0 } }));
  app.get('/v1/openapi.json', async () => openApiDocument());

  app.post('/v1/decide', { preHandler: guard('publishable') }, async (req, reply) => {
    const body = DecideBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    const m = d.model();
    const offers = c().offers;
    if (cache?.model !== m || cache.config !== offers) cache = new DecisionCache(m, offers);
    const assignment = assignmentOf(offers, body.data);
    const history = body.data.customer && d.histories?.().get(body.data.customer.id);
    // A customer with a history gets answers of their own (habits, reorders due today): those are not cached.
    const o = assignment.inHoldout ? cache.held(body.data)
      : history ? answer(treatedOffers(m, offers, { ...body.data, history, today: Math.floor((d.clock?.() ?? new Date()).getTime() / DAY_MS) }), m.version)
      : cache.treated(body.data);
    return reply.type('application/json; charset=utf-8').send(decisionJson(o, assignment));
  });

  app.post('/v1/events', { preHandler: guard('publishable', true) }, async (req, reply) => {
    const body = EventsBody.safeParse(req.body);
    if (!body.success) return sendInvalid(reply, body.error);
    const conf = c();
    if (body.data.events.length > conf.maxEventsPerBatch) return sendError(reply, 400, 'BATCH_TOO_LARGE', `send at most ${conf.maxEventsPerBatch} events per request`, 'events');
    const receivedAt = (d.clock?.() ?? new Date()).toISOString();
    // The server stamps each event with its unit's assignment (the same hash /v1/decide used), so the report can
    // compare holdout and treated sessions without trusting the storefront to echo it.
    const logged = body.data.events.map((e): LoggedApiEvent => ({ ...e, currency: e.currency ?? conf.offers.currency, receivedAt,
      assignment: assignUnit(conf.offers, e.customerId ?? e.sessionId).inHoldout ? 'holdout' : 'treatment' }));
    const r = await d.events.append(logged);
    return reply.code(202).send(r);
  });

  app.get('/v1/recommendations', { preHandler: guard('secret') }, async (req, reply) => {
    const q = RecommendationsQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    const m = d.model();
    return { model: m.version, ...recommend(m, { cart: q.data.cart.split(',').map((x) => x.trim()).filter(Boolean), page: q.data.page, k: q.data.k }) };
  });

  app.get('/v1/report', { preHandler: guard('secret') }, async (req, reply) => {
    const q = ReportQuery.safeParse(req.query);
    if (!q.success) return sendInvalid(reply, q.error, 'query');
    if (!d.report) return sendError(reply, 409, 'NO_DATA', 'the server was started without a store to report on');
    return d.report();
  });
  return app;
}
