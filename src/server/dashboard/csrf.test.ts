import assert from 'node:assert/strict';
import { test } from 'node:test';
import { clearedCookie, cookieValue, sessionCookie } from './cookie.js';
import { csrfProblem } from './csrf.js';
import type { DashboardSession } from './session.js';

const session: DashboardSession = { id: 'i'.repeat(43), csrf: 't'.repeat(43), createdAt: 0, expiresAt: 1 };

test('a signed-in POST needs the session token, in the form or the header', () => {
  assert.equal(csrfProblem({}, { _csrf: session.csrf }, session), null);
  assert.equal(csrfProblem({ 'x-csrf-token': session.csrf }, {}, session), null);
  assert.match(csrfProblem({}, {}, session)!, /no CSRF token/);
  assert.match(csrfProblem({}, undefined, session)!, /no CSRF token/);
  assert.match(csrfProblem({}, { _csrf: 'x'.repeat(43) }, session)!, /does not match/);
  assert.match(csrfProblem({}, { _csrf: session.id }, session)!, /does not match/, 'the id is not the token');
});

test('a request from another site is refused even with the token; the sign-in form is checked by origin', () => {
  const ok = { _csrf: session.csrf };
  assert.match(csrfProblem({ origin: 'https://evil.example' }, ok, session)!, /another origin/);
  assert.match(csrfProblem({ origin: 'null' }, ok, session)!, /another origin/);
  assert.match(csrfProblem({ 'sec-fetch-site': 'cross-site' }, ok, session)!, /another site/);
  assert.match(csrfProblem({ 'sec-fetch-site': 'same-site' }, ok, session)!, /another site/);
  assert.equal(csrfProblem({ 'sec-fetch-site': 'same-origin' }, ok, session), null);
  assert.equal(csrfProblem({}, { key: 'k' }, null), null, 'sign-in: no session yet, same origin');
  assert.match(csrfProblem({ origin: 'https://evil.example' }, { key: 'k' }, null)!, /another origin/);
});

test('the session cookie is HttpOnly, SameSite=Strict, scoped to /dashboard, Secure over TLS only', () => {
  const plain = sessionCookie('abc', { maxAgeS: 3600, secure: false });
  assert.equal(plain, 'levers_dashboard=abc; Path=/dashboard; Max-Age=3600; HttpOnly; SameSite=Strict');
  assert.match(sessionCookie('abc', { maxAgeS: 3600, secure: true }), /; Secure$/);
  assert.match(clearedCookie(false), /^levers_dashboard=; Path=\/dashboard; Max-Age=0;/);
  assert.equal(cookieValue('a=1; levers_dashboard=xyz; b=2', 'levers_dashboard'), 'xyz');
  assert.equal(cookieValue('levers_dashboardx=1', 'levers_dashboard'), null);
  assert.equal(cookieValue(undefined, 'levers_dashboard'), null);
});
