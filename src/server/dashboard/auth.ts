import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_CODES, type ErrorCode, LeversError } from '../../core/errors.js';
import { sendError } from '../http-errors.js';
import type { KeyRing } from '../keys.js';
import { clearedCookie, cookieValue, SESSION_COOKIE, sessionCookie } from './cookie.js';
import { csrfProblem } from './csrf.js';
import { type Assets, signInHtml } from './layout.js';
import { safeNext } from './query.js';
import type { DashboardSession, SessionStore } from './session.js';

export interface AuthDeps {
  ring: () => KeyRing;
  sessions: SessionStore;
  sessionMinutes: () => number;
  /** Counts a sign-in attempt from an address; null while within the budget, else seconds to wait. */
  attempt: (ip: string) => number | null;
  maxAttempts: () => number;
  assets: Assets;
}

const secure = (req: FastifyRequest) => req.protocol === 'https';
export const html = (reply: FastifyReply, status: number, body: string) =>
  reply.code(status).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(body);

/** The signed-in session of a request, or null (no cookie, unknown, expired or forged: all the same). */
export async function sessionOf(
  req: FastifyRequest,
  sessions: SessionStore,
): Promise<DashboardSession | null> {
  return sessions.get(cookieValue(req.headers.cookie, SESSION_COOKIE));
}

/** Refuses a request without a session: a page goes to the sign-in form, JSON gets a 401 in the envelope. */
export function refuseSignedOut(req: FastifyRequest, reply: FastifyReply, json: boolean): FastifyReply {
  const hadCookie = cookieValue(req.headers.cookie, SESSION_COOKIE) != null;
  if (hadCookie) reply.header('set-cookie', clearedCookie(secure(req)));
  if (json)
    return sendError(reply, 'DASHBOARD_SIGN_IN_REQUIRED', {
      detail: hadCookie ? 'the session has ended or is not known' : 'no session cookie',
    });
  return reply.redirect(`/dashboard/sign-in?next=${encodeURIComponent(req.url)}`, 303);
}

/** A state-changing request's CSRF check; true when it was refused (403). */
export function refusedCsrf(req: FastifyRequest, reply: FastifyReply, s: DashboardSession | null): boolean {
  const problem = csrfProblem(req.headers, req.body, s);
  if (!problem) return false;
  sendError(reply, 'CSRF_REFUSED', { detail: problem });
  return true;
}

const message = (code: ErrorCode) => new LeversError(code, {}).message;

/** GET and POST /dashboard/sign-in, POST /dashboard/sign-out. */
export function registerAuth(app: FastifyInstance, d: AuthDeps): void {
  app.get('/dashboard/sign-in', async (req, reply) => {
    const q = req.query as { next?: string; 'signed-out'?: string };
    return html(reply, 200, signInHtml(d.assets, null, safeNext(q.next), !!q['signed-out']));
  });

  app.post('/dashboard/sign-in', async (req, reply) => {
    if (refusedCsrf(req, reply, null)) return reply;
    const body = (req.body ?? {}) as { key?: unknown; next?: unknown };
    const next = safeNext(body.next);
    const wait = d.attempt(req.ip);
    if (wait !== null) {
      reply.header('retry-after', wait);
      const text = new LeversError('RATE_LIMITED', {
        max: d.maxAttempts(),
        scope: 'to sign in from this address',
        retryAfter: wait,
      }).message;
      return html(reply, 429, signInHtml(d.assets, text, next));
    }
    const scope = d.ring().scopeOf(typeof body.key === 'string' ? body.key.trim() : undefined);
    if (scope !== 'secret') {
      const code: ErrorCode = scope === 'publishable' ? 'DASHBOARD_PUBLISHABLE_KEY' : 'DASHBOARD_KEY_REFUSED';
      return html(reply, ERROR_CODES[code].status, signInHtml(d.assets, message(code), next));
    }
    const ttlMs = d.sessionMinutes() * 60_000;
    const s = await d.sessions.create(ttlMs);
    reply.header('set-cookie', sessionCookie(s.id, { maxAgeS: ttlMs / 1000, secure: secure(req) }));
    return reply.redirect(next, 303);
  });

  app.post('/dashboard/sign-out', async (req, reply) => {
    const s = await sessionOf(req, d.sessions);
    if (!s) return refuseSignedOut(req, reply, false);
    if (refusedCsrf(req, reply, s)) return reply;
    await d.sessions.delete(s.id);
    reply.header('set-cookie', clearedCookie(secure(req)));
    return reply.redirect('/dashboard/sign-in?signed-out=1', 303);
  });
}
