import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance } from 'fastify';
import { sendError } from '../http-errors.js';
import type { WebFile } from '../web.js';
import type { Assets } from './layout.js';
import { DASHBOARD_CSS } from './style.js';

const require = createRequire(import.meta.url);
const YEAR_S = 365 * 24 * 3600;

interface Asset {
  body: Buffer;
  gzip: Buffer;
  hash: string;
  type: string;
}

const asset = (body: Buffer, type: string): Asset => ({
  body,
  gzip: gzipSync(body, { level: 9 }),
  hash: createHash('sha256').update(body).digest('hex').slice(0, 12),
  type,
});

/**
 * The dashboard's static files, read and gzipped once at start-up and served from this server (no CDN: the
 * dashboard works offline): ECharts' own minified build from node_modules (Apache-2.0, the library the HTML
 * report inlines), the page script npm run build bundled, and the stylesheet.
 */
export function loadAssets(files: Map<string, WebFile>): Map<string, Asset> {
  const out = new Map<string, Asset>();
  out.set(
    'echarts.min.js',
    asset(readFileSync(require.resolve('echarts/dist/echarts.min.js')), 'text/javascript'),
  );
  const script = files.get('dashboard.js');
  if (script) out.set('dashboard.js', asset(script.body, 'text/javascript'));
  out.set('dashboard.css', asset(Buffer.from(DASHBOARD_CSS), 'text/css'));
  return out;
}

/** The assets' URLs, each pinned to its content hash (cached for a year; a new build is a new URL). */
export function assetUrls(a: Map<string, Asset>): Assets {
  const url = (name: string) => `/dashboard/assets/${name}?v=${a.get(name)?.hash ?? 'missing'}`;
  return { css: url('dashboard.css'), script: url('dashboard.js'), echarts: url('echarts.min.js') };
}

/** GET /dashboard/assets/:name, gzipped when the browser takes it. Public: no data is in them. */
export function registerAssets(app: FastifyInstance, a: Map<string, Asset>): void {
  app.get('/dashboard/assets/:name', (req, reply) => {
    const f = a.get((req.params as { name: string }).name);
    if (!f) return sendError(reply, 'NOT_FOUND', { method: req.method, url: req.url.split('?')[0] });
    const pinned = (req.query as { v?: string }).v === f.hash;
    reply
      .type(`${f.type}; charset=utf-8`)
      .header('cache-control', pinned ? `public, max-age=${YEAR_S}, immutable` : 'no-cache')
      .header('etag', `"${f.hash}"`)
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === `"${f.hash}"`) return reply.code(304).send();
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
      return reply.header('content-encoding', 'gzip').send(f.gzip);
    return reply.send(f.body);
  });
}
