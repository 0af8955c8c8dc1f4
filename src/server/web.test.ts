import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { gunzipSync } from 'node:zlib';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serving } from '../app/serving.js';
import { encodeBaskets } from '../core/recs/baskets.js';
import { buildModel } from '../core/recs/model.js';
import { JsonlEventLog } from '../store/files/event-log.js';
import { buildApp } from './app.js';
import { parseServerConfig } from './config.js';
import { loadWebFiles } from './web.js';

const PUB = 'pk_test_0123456789abcdef';
const item = (id: string, priceMinor: number) => ({
  id,
  title: `The ${id}`,
  category: null,
  family: null,
  priceMinor,
  costMinor: null,
});

async function app(demoShop: boolean) {
  const config = parseServerConfig({
    publishableKeys: [PUB],
    secretKeys: ['sk_test_0123456789abcdef01234567'],
    allowedOrigins: ['https://shop.example.com'],
  });
  const model = buildModel(
    encodeBaskets(Array.from({ length: 20 }, () => ['maker', 'filters'])),
    new Map([
      ['maker', item('maker', 4000)],
      ['filters', item('filters', 900)],
    ]),
    { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
    { version: 1, createdAt: '', currency: 'USD' },
  );
  return buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories: new Map() }),
    events: new JsonlEventLog(join(mkdtempSync(join(tmpdir(), 'levers-web-')), 'events.jsonl')),
    demoShop,
  });
}

test('a page the server renders may call it from its own origin; another origin still needs allowedOrigins', async () => {
  const a = await app(false);
  const decide = (origin: string) =>
    a.inject({
      method: 'POST',
      url: '/v1/decide',
      headers: { host: 'levers.local:8080', origin, authorization: `Bearer ${PUB}` },
      payload: { page: 'cart', sessionId: 's1', cart: [] },
    });
  assert.equal((await decide('http://levers.local:8080')).statusCode, 200);
  assert.equal((await decide('https://shop.example.com')).statusCode, 200);
  assert.equal((await decide('http://levers.local:9999')).statusCode, 403);
});

test('the widget: immutable for a year at its hash, five minutes and an ETag bare, for any origin', async () => {
  const a = await app(false);
  const { hash } = loadWebFiles().get('widget.js')!;
  const pinned = await a.inject({
    url: `/v1/widget.js?v=${hash}`,
    headers: { origin: 'https://anyone.example' },
  });
  assert.equal(pinned.statusCode, 200);
  assert.equal(pinned.headers['cache-control'], 'public, max-age=31536000, immutable');
  assert.equal(pinned.headers['access-control-allow-origin'], '*');
  const bare = await a.inject({ url: '/v1/widget.mjs' });
  assert.equal(bare.headers['cache-control'], 'public, max-age=300');
  const again = await a.inject({
    url: '/v1/widget.mjs',
    headers: { 'if-none-match': String(bare.headers.etag) },
  });
  assert.equal(again.statusCode, 304);
  // Gzipped when the browser accepts it (every browser does): the bytes on the wire are the budget's.
  const zipped = await a.inject({
    url: '/v1/widget.js',
    headers: { 'accept-encoding': 'gzip, deflate, br' },
  });
  assert.equal(zipped.headers['content-encoding'], 'gzip');
  assert.equal(zipped.headers.vary, 'accept-encoding');
  assert.ok(zipped.rawPayload.length <= 15 * 1024, `${zipped.rawPayload.length} bytes`);
  const plain = await a.inject({ url: '/v1/widget.js' });
  assert.equal(plain.headers['content-encoding'], undefined);
  assert.deepEqual(gunzipSync(zipped.rawPayload), plain.rawPayload);
});

test('the demo shop only on a demo store; its pages load the pinned widget with the publishable key', async () => {
  assert.equal((await (await app(false)).inject({ url: '/shop' })).statusCode, 404);
  const shop = await app(true);
  const { hash } = loadWebFiles().get('widget.js')!;
  const page = await shop.inject({ url: '/shop/product/maker' });
  assert.equal(page.statusCode, 200);
  assert.ok(page.body.includes(`src="/v1/widget.js?v=${hash}" data-key="${PUB}"`));
  assert.ok(page.body.includes('data-levers="product" data-product-id="maker"'));
  const cart = await shop.inject({
    url: '/shop/cart',
    headers: { cookie: `levers_demo_cart=${encodeURIComponent('{"maker":2}')}` },
  });
  assert.match(cart.body, /The maker<\/td>.*\$80\.00/s);
  assert.equal((await shop.inject({ url: '/shop/product/nope' })).statusCode, 404);
});
