import { z } from 'zod';
import { DECISION_CODES, NOTE_CODES, REFUSAL_CODES } from '../core/offers/types.js';
import { offerReasonCodes, offerTypes } from '../core/offers/registry.js';
import {
  ConversationBody,
  ConversationResponse,
  DecideBody,
  DecideResponse,
  ErrorResponse,
  EventsBody,
  EventsResponse,
  HealthResponse,
  LoadEventsResponse,
  RecommendationsQuery,
  RecommendationsResponse,
  ReportQuery,
  ReportResponse,
} from './contract.js';
import { ExperimentListResponse, ExperimentQuery, ExperimentResponse } from './contract-experiments.js';
import { VERDICT_CODES } from '../core/experiments/analysis.js';
import { LiveResponse } from './contract-dashboard.js';
import { CONVERSATION_CODES } from '../core/conversation/schema.js';

const schema = (s: z.ZodType, io: 'input' | 'output') =>
  z.toJSONSchema(s, { io, target: 'draft-2020-12', unrepresentable: 'any' });
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (name: string) => ({ content: { 'application/json': { schema: ref(name) } } });

/** Query parameters of a GET, one per key of its schema. */
function parameters(s: z.ZodObject): { name: string; in: 'query'; schema: unknown }[] {
  const js = schema(s, 'input') as { properties?: Record<string, unknown> };
  return Object.entries(js.properties ?? {}).map(([name, p]) => ({ name, in: 'query' as const, schema: p }));
}

/**
 * The OpenAPI 3.1 document of the HTTP API (served at /v1/openapi.json), generated from the contract's zod
 * schemas: a request or response cannot change without its documentation changing with it. The closed lists
 * of codes a client may branch on are listed under x-levers-codes.
 */
export function openApiDocument(): Record<string, unknown> {
  const key = [{ publishable: [] }, { secret: [] }];
  const err = { description: 'what to fix (the error envelope)', ...json('Error') };
  const errors = (...statuses: number[]) => Object.fromEntries(statuses.map((s) => [s, err]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Levers',
      version: '1',
      description: 'Offers and recommendations for the storefront, judged by revenue per session.',
    },
    'x-levers-codes': {
      offerTypes: offerTypes(),
      offerReasons: offerReasonCodes(),
      decisions: DECISION_CODES,
      refusals: REFUSAL_CODES,
      notes: NOTE_CODES,
      verdicts: VERDICT_CODES,
      conversation: CONVERSATION_CODES,
    },
    components: {
      securitySchemes: {
        publishable: { type: 'http', scheme: 'bearer' },
        secret: { type: 'http', scheme: 'bearer' },
        dashboardSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'levers_dashboard',
          description: 'the session cookie a secret key is exchanged for at /dashboard/sign-in (HTML form)',
        },
      },
      schemas: {
        Error: schema(ErrorResponse, 'output'),
        DecideRequest: schema(DecideBody, 'input'),
        Decision: schema(DecideResponse, 'output'),
        ConversationRequest: schema(ConversationBody, 'input'),
        Conversation: schema(ConversationResponse, 'output'),
        EventsRequest: schema(EventsBody, 'input'),
        EventsAccepted: schema(EventsResponse, 'output'),
        Health: schema(HealthResponse, 'output'),
        Recommendations: schema(RecommendationsResponse, 'output'),
        Report: schema(ReportResponse, 'output'),
        EventsLoaded: schema(LoadEventsResponse, 'output'),
        Experiments: schema(ExperimentListResponse, 'output'),
        Experiment: schema(ExperimentResponse, 'output'),
        Live: schema(LiveResponse, 'output'),
      },
    },
    paths: {
      '/healthz': {
        get: {
          summary:
            'liveness, model version, events stored and whether they can be stored, decision-cache hits, ' +
            'the offer configuration and bandit weights versions served',
          responses: { 200: { description: 'ok or degraded', ...json('Health') } },
        },
      },
      '/v1/decide': {
        post: {
          summary: 'offers for a page and cart (at most N, or none with its reason)',
          security: key,
          requestBody: { required: true, ...json('DecideRequest') },
          responses: {
            200: { description: 'the decision', ...json('Decision') },
            ...errors(400, 401, 403, 413, 415, 429),
          },
        },
      },
      '/v1/conversation': {
        post: {
          summary:
            "the chat's next turn: messages, at most two suggestions, quick replies; its events are logged (channel chat)",
          security: key,
          requestBody: { required: true, ...json('ConversationRequest') },
          responses: {
            200: { description: 'the turn', ...json('Conversation') },
            ...errors(400, 401, 403, 413, 415, 429, 503),
          },
        },
      },
      '/v1/events': {
        post: {
          summary: 'a batch of storefront events, each with an idempotency key; 202 means stored durably',
          security: key,
          parameters: [
            {
              name: 'key',
              in: 'query',
              schema: { type: 'string' },
              description: 'the publishable key, for navigator.sendBeacon, which cannot send headers',
            },
          ],
          requestBody: { required: true, ...json('EventsRequest') },
          responses: {
            202: { description: 'stored', ...json('EventsAccepted') },
            ...errors(400, 401, 403, 413, 415, 429, 503),
          },
        },
      },
      '/v1/events/load': {
        post: {
          summary: 'load the event log into the store for the report (secret key)',
          security: [{ secret: [] }],
          responses: {
            200: { description: 'the ingest run', ...json('EventsLoaded') },
            ...errors(401, 403, 409, 429, 503),
          },
        },
      },
      '/v1/recommendations': {
        get: {
          summary: 'recommendations for a cart (secret key)',
          security: [{ secret: [] }],
          parameters: parameters(RecommendationsQuery),
          responses: {
            200: { description: 'items with reasons and expected values', ...json('Recommendations') },
            ...errors(400, 401, 403, 429),
          },
        },
      },
      '/v1/experiments': {
        get: {
          summary:
            'the offer experiments of the configuration, each with its variants, days and status today (secret key)',
          security: [{ secret: [] }],
          responses: {
            200: { description: 'the experiments and the global holdout', ...json('Experiments') },
            ...errors(401, 403, 429),
          },
        },
      },
      '/v1/experiments/{id}': {
        get: {
          summary:
            'an experiment analysed as levers experiment show: SRM, lifts with intervals, the RPS split, a ' +
            'verdict (secret key); "holdout" is the global holdout',
          security: [{ secret: [] }],
          parameters: [
            {
              name: 'id',
              in: 'path',
              required: true,
              schema: { type: 'string' },
              description: 'an id from GET /v1/experiments, or holdout',
            },
            ...parameters(ExperimentQuery),
          ],
          responses: {
            200: { description: 'the analysis', ...json('Experiment') },
            ...errors(400, 401, 403, 404, 409, 429, 503),
          },
        },
      },
      '/dashboard/api/live': {
        get: {
          summary:
            "the running server's counters per minute (the dashboard's Live page; a signed-in session, not a key)",
          security: [{ dashboardSession: [] }],
          responses: {
            200: { description: 'the counters of the process that answered', ...json('Live') },
            ...errors(401),
          },
        },
      },
      '/v1/report': {
        get: {
          summary: 'the levers report as JSON (secret key); the same options as levers report',
          security: [{ secret: [] }],
          parameters: parameters(ReportQuery),
          responses: {
            200: { description: 'the report', ...json('Report') },
            ...errors(400, 401, 403, 409, 429, 503),
          },
        },
      },
    },
  };
}
