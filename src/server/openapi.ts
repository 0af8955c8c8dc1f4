/** The OpenAPI 3.1 document of the HTTP API (served at /v1/openapi.json). */
export function openApiDocument(): Record<string, unknown> {
  const key = [{ publishable: [] }, { secret: [] }];
  const err = { description: 'what to fix', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  return {
    openapi: '3.1.0',
    info: { title: 'Levers', version: '1', description: 'Offers and recommendations for the storefront, judged by revenue per session.' },
    components: {
      securitySchemes: { publishable: { type: 'http', scheme: 'bearer' }, secret: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } } } } } },
    },
    paths: {
      '/healthz': { get: { summary: 'liveness, model version and events stored', responses: { 200: { description: 'ok' } } } },
      '/v1/decide': { post: { summary: 'offers for a page and cart (at most N, or none with its reason)', security: key,
        requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['page', 'sessionId'], properties: {
          page: { enum: ['product', 'cart', 'checkout', 'thankyou'] }, sessionId: { type: 'string' },
          cart: { type: 'array', items: { type: 'object', required: ['productId', 'quantity', 'unitPriceMinor'], properties: { productId: { type: 'string' }, quantity: { type: 'integer' }, unitPriceMinor: { type: 'integer' } } } },
          customer: { type: 'object', properties: { id: { type: 'string' }, spendMinor: { type: 'integer' }, firstName: { type: 'string' } } },
          visitorType: { enum: ['new', 'returning', 'customer', 'vip'] }, exiting: { type: 'boolean' } } } } } },
        responses: { 200: { description: 'the decision' }, 400: err, 401: err, 413: err, 429: err } } },
      '/v1/events': { post: { summary: 'a batch of storefront events, each with an idempotency key; 202 means stored durably', security: key,
        responses: { 202: { description: '{ accepted, duplicates }' }, 400: err, 401: err, 413: err, 429: err } } },
      '/v1/recommendations': { get: { summary: 'recommendations for a cart (secret key)', security: [{ secret: [] }],
        parameters: [{ name: 'cart', in: 'query', schema: { type: 'string' } }, { name: 'page', in: 'query', schema: { type: 'string' } }, { name: 'k', in: 'query', schema: { type: 'integer' } }],
        responses: { 200: { description: 'items with reasons and expected values' }, 400: err, 401: err, 403: err } } },
      '/v1/report': { get: { summary: 'the levers report as JSON (secret key)', security: [{ secret: [] }], responses: { 200: { description: 'the report' }, 401: err, 403: err } } },
    },
  };
}
