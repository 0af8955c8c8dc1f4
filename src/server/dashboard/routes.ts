import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { isLeversError } from '../../core/errors.js';
import { PERIODS } from '../../store/port.js';
import { esc } from '../../render/html.js';
import { sendError } from '../http-errors.js';
import type { KeyRing } from '../keys.js';
import type { WebFile } from '../web.js';
import { assetUrls, loadAssets, registerAssets } from './assets.js';
import { html, refusedCsrf, refuseSignedOut, registerAuth, sessionOf } from './auth.js';
import { setSecurityHeaders } from './headers.js';
import { dashboardHtml, optionsForm, PAGES, type PageId } from './layout.js';
import type { DashboardData, PageContext, PageOut } from './pages/context.js';
import { customersPage } from './pages/customers.js';
import { experimentsPage } from './pages/experiments.js';
import { livePage } from './pages/live.js';
import { offersPage } from './pages/offers.js';
import { overviewPage } from './pages/overview.js';
import { recommendationsPage } from './pages/recommendations.js';
import { segmentsPage } from './pages/segments.js';
import { dashboardQuery } from './query.js';
import type { SessionStore } from './session.js';

export interface DashboardDeps {
  sessionMinutes: () => number;
  ring: () => KeyRing;
  sessions: SessionStore;
  data: DashboardData;
  /** Mines the store into the next model version and serves it (the "mine now" button). */
  mine: () => Promise<{ version: number }>;
  files: Map<string, WebFile>;
  attempt: (ip: string) => number | null;
  maxAttempts: () => number;
  now: () => number;
}

const RENDER: Record<PageId, (c: PageContext) => Promise<PageOut>> = {
  overview: overviewPage,
  segments: segmentsPage,
  offers: offersPage,
  experiments: experimentsPage,
  customers: customersPage,
  recommendations: recommendationsPage,
  live: livePage,
};
/** Pages that read the report, and so take its options. */
const WITH_OPTIONS = new Set<PageId>(['overview', 'segments', 'offers', 'experiments', 'customers']);

/**
 * The dashboard's step of the server's one onRequest hook (on the root, so that every response under /dashboard
 * has its security headers, its 404s included, and a dashboard switched off answers 404): false when it has
 * answered the request.
 */
export function dashboardGate(enabled: () => boolean): (req: FastifyRequest, reply: FastifyReply) => boolean {
  return (req, reply) => {
    if (!req.url.startsWith('/dashboard')) return true;
    if (!enabled()) {
      sendError(reply, 'NOT_FOUND', { method: req.method, url: req.url.split('?')[0] });
      return false;
    }
    setSecurityHeaders(reply, req.protocol === 'https');
    return true;
  };
}

/**
 * The operator's dashboard at /dashboard: a sign-in with a secret key, then server-rendered pages whose charts a
 * small script draws. In its own Fastify context: the form parser and the security headers apply here only.
 */
export async function registerDashboard(app: FastifyInstance, d: DashboardDeps): Promise<void> {
  await app.register(async (s) => {
    s.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) =>
      done(null, Object.fromEntries(new URLSearchParams(String(body)))),
    );
    const assets = loadAssets(d.files);
    const urls = assetUrls(assets);
    registerAssets(s, assets);
    registerAuth(s, {
      ring: d.ring,
      sessions: d.sessions,
      sessionMinutes: d.sessionMinutes,
      attempt: d.attempt,
      maxAttempts: d.maxAttempts,
      assets: urls,
    });
    s.get('/dashboard', (req, reply) => reply.redirect(`/dashboard/overview${queryOf(req.url)}`, 303));

    for (const { id } of PAGES)
      s.get(`/dashboard/${id}`, async (req, reply) => {
        const session = await sessionOf(req, d.sessions);
        if (!session) return refuseSignedOut(req, reply, false);
        const q = dashboardQuery(req.query);
        const form = WITH_OPTIONS.has(id) ? optionsForm(id, q.raw, q.ok ? q.params : {}, PERIODS) : '';
        const shell = { page: id, query: q.query, csrf: session.csrf, assets: urls };
        if (!q.ok)
          return html(
            reply,
            400,
            dashboardHtml({ ...shell, subtitle: '', charts: [], body: form + problem(q.problem) }),
          );
        try {
          const out = await RENDER[id]({
            options: q.options,
            params: q.params,
            csrf: session.csrf,
            query: q.query,
            data: d.data,
            now: d.now(),
          });
          const live = id === 'live' ? { live: '/dashboard/api/live' } : {};
          return html(reply, 200, dashboardHtml({ ...shell, ...out, ...live, body: form + out.body }));
        } catch (e) {
          if (!isLeversError(e) || e.status >= 500) req.log.error({ err: e }, 'dashboard page failed');
          const status = isLeversError(e) ? e.status : 500;
          const text =
            isLeversError(e) && e.status < 500
              ? e.message
              : 'the page could not be computed; the server log says why';
          return html(
            reply,
            status,
            dashboardHtml({ ...shell, subtitle: '', charts: [], body: form + problem(text) }),
          );
        }
      });

    s.get('/dashboard/api/live', async (req, reply) => {
      if (!(await sessionOf(req, d.sessions))) return refuseSignedOut(req, reply, true);
      return reply.header('cache-control', 'no-store').send(await d.data.live());
    });

    s.post('/dashboard/recommendations/mine', async (req, reply) => {
      const session = await sessionOf(req, d.sessions);
      if (!session) return refuseSignedOut(req, reply, false);
      if (refusedCsrf(req, reply, session)) return reply;
      const r = await d.mine();
      return reply.redirect(`/dashboard/recommendations?mined=${r.version}`, 303);
    });
  });
}

const queryOf = (url: string) => {
  const i = url.indexOf('?');
  return i < 0 ? '' : url.slice(i);
};
const problem = (text: string) => `<p class="problem" role="alert">${esc(text)}</p>`;
