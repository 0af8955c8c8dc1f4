import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { Serving } from '../../app/serving.js';
import { encodeBaskets } from '../../core/recs/baskets.js';
import { buildModel } from '../../core/recs/model.js';
import { JsonlEventLog } from '../../store/files/event-log.js';
import { buildApp } from '../app.js';
import { parseServerConfig } from '../config.js';
import { LiveResponse } from '../contract-dashboard.js';
import { openApiDocument } from '../openapi.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const model = buildModel(
  encodeBaskets(Array.from({ length: 20 }, () => ['maker', 'filters'])),
  new Map(),
  { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
  { version: 3, createdAt: '2026-03-01T00:00:00Z', currency: 'USD' },
);

/** A server without a store (the Live page needs none) on a clock the test moves. */
async function server(over: Record<string, unknown> = {}) {
  const config = parseServerConfig({ publishableKeys: [PUB], secretKeys: [SECRET], ...over });
  let t = Date.parse('2026-03-01T10:00:00Z');
  let mined = 3;
  const a = await buildApp({
    config: () => config,
    serving: new Serving({ model, offers: config.offers, histories: new Map() }),
    events: new JsonlEventLog(join(mkdtempSync(join(tmpdir(), 'levers-dash-')), 'events.jsonl')),
    clock: () => new Date(t),
    mine: async () => ({ version: ++mined }),
  });
  const signIn = async (key: string, headers: Record<string, string> = {}) =>
    a.inject({
      method: 'POST',
      url: '/dashboard/sign-in',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams({ key, next: '/dashboard/live' }).toString(),
    });
  return { a, signIn, advance: (ms: number) => (t += ms), mined: () => mined };
}
const cookieOf = (setCookie: unknown) => /levers_dashboard=([^;]*)/.exec(String(setCookie))![1]!;
const tokenOf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;

test('a secret key signs in: a session cookie, then the pages open; the key itself never does', async () => {
  const { a, signIn } = await server();
  const r = await signIn(SECRET);
  assert.equal(r.statusCode, 303);
  assert.equal(r.headers.location, '/dashboard/live');
  assert.match(
    String(r.headers['set-cookie']),
    /; Path=\/dashboard; Max-Age=28800; HttpOnly; SameSite=Strict$/,
  );
  const id = cookieOf(r.headers['set-cookie']);
  assert.ok(!id.includes(SECRET.slice(3)), 'the cookie is not the key');
  const page = await a.inject({ url: '/dashboard/live', headers: { cookie: `levers_dashboard=${id}` } });
  assert.equal(page.statusCode, 200);
  assert.match(page.body, /<h1>Live<\/h1>/);
  const live = await a.inject({ url: '/dashboard/api/live', headers: { cookie: `levers_dashboard=${id}` } });
  assert.equal(live.statusCode, 200);
  assert.equal(LiveResponse.parse(live.json()).minutes.length, 30, 'the answer is what the contract says');
  assert.ok(
    (openApiDocument().paths as Record<string, unknown>)['/dashboard/api/live'],
    'and OpenAPI lists it',
  );
  const asBearer = await a.inject({ url: '/dashboard/live', headers: { authorization: `Bearer ${SECRET}` } });
  assert.equal(asBearer.statusCode, 303, 'only the session cookie opens a page');
});

test('a publishable key, an unknown key and a forged or expired cookie are refused', async () => {
  const { a, signIn, advance } = await server();
  const p = await signIn(PUB);
  assert.equal(p.statusCode, 403);
  assert.equal(p.headers['set-cookie'], undefined);
  assert.match(p.body, /role="alert">a publishable key is public/);
  const u = await signIn('sk_nope_0123456789abcdef01234567');
  assert.equal(u.statusCode, 401);
  assert.match(u.body, /does not open the dashboard/);
  const forged = { cookie: `levers_dashboard=${'A'.repeat(43)}` };
  const page = await a.inject({ url: '/dashboard/live?x=1', headers: forged });
  assert.equal(page.statusCode, 303);
  assert.equal(page.headers.location, '/dashboard/sign-in?next=%2Fdashboard%2Flive%3Fx%3D1');
  const json = await a.inject({ url: '/dashboard/api/live', headers: forged });
  assert.equal(json.statusCode, 401);
  assert.equal(json.json().error.code, 'DASHBOARD_SIGN_IN_REQUIRED');
  const id = cookieOf((await signIn(SECRET)).headers['set-cookie']);
  advance(8 * 3_600_000);
  const late = await a.inject({ url: '/dashboard/api/live', headers: { cookie: `levers_dashboard=${id}` } });
  assert.equal(late.statusCode, 401, 'expired after dashboard.sessionMinutes');
});

test('a POST needs the CSRF token of its session, from this origin; sign-out ends the session', async () => {
  const { a, signIn, mined } = await server();
  const cookie = `levers_dashboard=${cookieOf((await signIn(SECRET)).headers['set-cookie'])}`;
  const token = tokenOf((await a.inject({ url: '/dashboard/live', headers: { cookie } })).body);
  const post = (url: string, body: Record<string, string>, headers: Record<string, string> = {}) =>
    a.inject({
      method: 'POST',
      url,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded', ...headers },
      payload: new URLSearchParams(body).toString(),
    });
  const without = await post('/dashboard/recommendations/mine', {});
  assert.equal(without.statusCode, 403);
  assert.equal(without.json().error.code, 'CSRF_REFUSED');
  assert.equal((await post('/dashboard/recommendations/mine', { _csrf: 'x'.repeat(43) })).statusCode, 403);
  const other = await post(
    '/dashboard/recommendations/mine',
    { _csrf: token },
    { origin: 'https://evil.example' },
  );
  assert.equal(other.statusCode, 403);
  assert.equal(mined(), 3, 'nothing was mined by a refused request');
  const ok = await post('/dashboard/recommendations/mine', { _csrf: token });
  assert.equal(ok.statusCode, 303);
  assert.equal(ok.headers.location, '/dashboard/recommendations?mined=4');
  assert.equal(
    (await post('/dashboard/sign-out', {})).statusCode,
    403,
    'sign-out is a POST with the token too',
  );
  const out = await post('/dashboard/sign-out', { _csrf: token });
  assert.equal(out.statusCode, 303);
  assert.match(String(out.headers['set-cookie']), /levers_dashboard=; Path=\/dashboard; Max-Age=0/);
  assert.equal((await a.inject({ url: '/dashboard/live', headers: { cookie } })).statusCode, 303);
});

test('security headers on every dashboard response; Secure cookie over TLS; sign-in attempts limited', async () => {
  const { a, signIn } = await server({ trustProxy: true, rateLimitPerMinute: { failedAuth: 3 } });
  for (const url of [
    '/dashboard/sign-in',
    '/dashboard/live',
    '/dashboard/assets/dashboard.css',
    '/dashboard/nope',
  ]) {
    const r = await a.inject({ url });
    assert.match(
      String(r.headers['content-security-policy']),
      /script-src 'self';.*frame-ancestors 'none'/,
      url,
    );
    assert.equal(r.headers['x-frame-options'], 'DENY', url);
    assert.equal(r.headers['x-content-type-options'], 'nosniff', url);
    assert.equal(r.headers['referrer-policy'], 'same-origin', url);
  }
  const tls = await signIn(SECRET, { 'x-forwarded-proto': 'https' });
  assert.match(String(tls.headers['set-cookie']), /; Secure$/);
  assert.equal(tls.headers['strict-transport-security'], 'max-age=31536000');
  // Three attempts a minute from an address (the one above counted): the fourth is refused, right key or not.
  assert.equal((await signIn('wrong-key-0123456789abcdef')).statusCode, 401);
  assert.equal((await signIn('wrong-key-0123456789abcdef')).statusCode, 401);
  const limited = await signIn(SECRET);
  assert.equal(limited.statusCode, 429);
  assert.ok(Number(limited.headers['retry-after']) > 0);
});

test('dashboard.enabled false: no dashboard at all', async () => {
  const { a, signIn } = await server({ dashboard: { enabled: false } });
  assert.equal((await a.inject({ url: '/dashboard/sign-in' })).statusCode, 404);
  assert.equal((await signIn(SECRET)).statusCode, 404);
});
