import { z } from 'zod';
import { DecideBody, EventsBody } from './schemas.js';

const str = { type: 'string' } as const;
const int = { type: 'integer' } as const;
const item = { type: 'object', properties: { productId: str, title: { type: ['string', 'null'] }, priceMinor: { type: ['integer', 'null'] } } };
/** What POST /v1/decide answers. */
const DECISION = {
  type: 'object',
  required: ['offers', 'reason', 'refused', 'notes', 'info', 'model', 'assignment'],
  properties: {
    offers: { type: 'array', maxItems: 5, items: { type: 'object', required: ['id', 'type', 'text', 'items', 'actions', 'expectedProfitMinor', 'reason'], properties: {
      id: str, type: { enum: ['free-shipping-progress', 'loyalty-proximity', 'volume-tier', 'bundle', 'segment-message', 'cross-sell', 'post-purchase', 'cart-recovery', 'reorder', 'habit'] },
      text: str, items: { type: 'array', items: item }, actions: { type: 'object', properties: { accept: str, decline: str } },
      expectedProfitMinor: { ...int, description: 'expected incremental profit per session of showing it, in minor units' },
      percentOff: { type: 'number', description: 'the discount to apply when accepted (bundles, volume tiers)' }, reason: str } } },
    reason: str,
    refused: { type: 'array', items: { type: 'object', properties: { id: str, type: str, expectedProfitMinor: int, reason: str } } },
    notes: { type: 'array', items: str },
    info: { type: 'object', description: 'O6: shown to every group', properties: { shipping: { type: ['string', 'null'] }, delivery: { type: ['string', 'null'] },
      returns: { type: ['string', 'null'] }, stock: { type: 'array', items: { type: 'object', properties: { productId: str, text: str } } } } },
    model: { ...int, description: 'version of the recommendation snapshot' },
    assignment: { type: 'object', properties: { unit: str, inHoldout: { type: 'boolean' }, bucket: { type: 'number' } } },
  },
};

/** The OpenAPI 3.1 document of the HTTP API (served at /v1/openapi.json); request bodies come from the same zod schemas that validate them. */
export function openApiDocument(): Record<string, unknown> {
  const key = [{ publishable: [] }, { secret: [] }];
  const err = { description: 'what to fix', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const json = (schema: unknown) => ({ content: { 'application/json': { schema } } });
  return {
    openapi: '3.1.0',
    info: { title: 'Levers', version: '1', description: 'Offers and recommendations for the storefront, judged by revenue per session.' },
    components: {
      securitySchemes: { publishable: { type: 'http', scheme: 'bearer' }, secret: { type: 'http', scheme: 'bearer' } },
      schemas: {
        Error: { type: 'object', properties: { error: { type: 'object', properties: { code: str, message: str, field: str } } } },
        DecideRequest: z.toJSONSchema(DecideBody, { io: 'input', target: 'draft-2020-12' }),
        Decision: DECISION,
        EventsRequest: z.toJSONSchema(EventsBody, { io: 'input', target: 'draft-2020-12' }),
      },
    },
    paths: {
      '/healthz': { get: { summary: 'liveness, model version, events stored, decision-cache hits', responses: { 200: { description: 'ok' } } } },
      '/v1/decide': { post: { summary: 'offers for a page and cart (at most N, or none with its reason)', security: key,
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/DecideRequest' }) },
        responses: { 200: { description: 'the decision', ...json({ $ref: '#/components/schemas/Decision' }) }, 400: err, 401: err, 413: err, 415: err, 429: err } } },
      '/v1/events': { post: { summary: 'a batch of storefront events, each with an idempotency key; 202 means stored durably', security: key,
        parameters: [{ name: 'key', in: 'query', schema: str, description: 'the publishable key, for navigator.sendBeacon, which cannot send headers' }],
        requestBody: { required: true, ...json({ $ref: '#/components/schemas/EventsRequest' }) },
        responses: { 202: { description: 'stored', ...json({ type: 'object', properties: { accepted: int, duplicates: int } }) }, 400: err, 401: err, 413: err, 415: err, 429: err } } },
      '/v1/recommendations': { get: { summary: 'recommendations for a cart (secret key)', security: [{ secret: [] }],
        parameters: [{ name: 'cart', in: 'query', schema: str, description: 'comma-separated product ids' }, { name: 'page', in: 'query', schema: { enum: ['product', 'cart', 'checkout', 'thankyou'] } }, { name: 'k', in: 'query', schema: int }],
        responses: { 200: { description: 'items with reasons and expected values' }, 400: err, 401: err, 403: err, 429: err } } },
      '/v1/report': { get: { summary: 'the levers report as JSON (secret key)', security: [{ secret: [] }], responses: { 200: { description: 'the report' }, 401: err, 403: err, 409: err, 429: err } } },
    },
  };
}
