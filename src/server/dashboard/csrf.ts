import type { IncomingHttpHeaders } from 'node:http';
import { type DashboardSession, sameToken } from './session.js';

/** The form field and the header a dashboard page sends its CSRF token in. */
export const CSRF_FIELD = '_csrf';
export const CSRF_HEADER = 'x-csrf-token';

/**
 * Why a state-changing request must be refused, or null. Two checks: the request comes from a page of this
 * server (no cross-site Origin, no cross-site Sec-Fetch-Site; the app drops a same-origin Origin header before
 * routing), and, once signed in, it carries the session's synchronizer token (compared in constant time). The
 * sign-in form has no session yet, so it has the first check only (with SameSite=Strict that stops login CSRF).
 */
export function csrfProblem(
  headers: IncomingHttpHeaders,
  body: unknown,
  session: DashboardSession | null,
): string | null {
  const site = headers['sec-fetch-site'];
  if (site === 'cross-site' || site === 'same-site') return `the request came from another site (${site})`;
  if (headers.origin) return `the request came from another origin (${headers.origin})`;
  if (!session) return null;
  const fromBody =
    body && typeof body === 'object' ? (body as Record<string, unknown>)[CSRF_FIELD] : undefined;
  const presented = headers[CSRF_HEADER] ?? fromBody;
  if (presented === undefined) return 'the request has no CSRF token';
  return sameToken(session.csrf, presented) ? null : 'the CSRF token does not match this session';
}
