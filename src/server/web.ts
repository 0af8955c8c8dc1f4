import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendError } from './http-errors.js';

/** The browser bundles npm run build writes (tools/widget/bundle.ts), beside the compiled server. */
const WEB_DIR = new URL('../../web/', import.meta.url);
const YEAR_S = 365 * 24 * 3600;

export interface WebFile {
  body: Buffer;
  /** The same bytes gzipped once at start-up: the size budget is the gzipped size a storefront downloads. */
  gzip: Buffer;
  /** The content hash: `?v=<hash>` in a URL marks a copy that may be cached for a year. */
  hash: string;
}

/** The built files, read once at start-up; none when the build has not run (their routes then answer 404). */
export function loadWebFiles(): Map<string, WebFile> {
  const files = new Map<string, WebFile>();
  let manifest: Record<string, { hash: string }>;
  try {
    manifest = JSON.parse(readFileSync(new URL('manifest.json', WEB_DIR), 'utf8'));
  } catch {
    return files;
  }
  for (const [name, m] of Object.entries(manifest)) {
    const body = readFileSync(new URL(name, WEB_DIR));
    files.set(name, { body, gzip: gzipSync(body, { level: 9 }), hash: m.hash });
  }
  return files;
}

/**
 * Serves a built script. With `?v=` its content hash, the answer is immutable for a year (a new build has a
 * new hash, so a new URL); without it, five minutes and an ETag, for pages that paste the bare URL. Any origin
 * may load it (a module script from the store's domain needs CORS), and no cookie or key is involved.
 */
export function serveScript(files: Map<string, WebFile>, name: string) {
  return (req: FastifyRequest, reply: FastifyReply) => {
    const f = files.get(name);
    if (!f) return sendError(reply, 'NOT_FOUND', { method: req.method, url: req.url.split('?')[0] });
    const etag = `"${f.hash}"`;
    const pinned = (req.query as { v?: string }).v === f.hash;
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', pinned ? `public, max-age=${YEAR_S}, immutable` : 'public, max-age=300')
      .header('etag', etag)
      .header('access-control-allow-origin', '*')
      .header('x-content-type-options', 'nosniff')
      .header('vary', 'accept-encoding');
    if (req.headers['if-none-match'] === etag) return reply.code(304).send();
    // Compressed here, so the budget holds without a compressing proxy in front.
    if (/\bgzip\b/.test(String(req.headers['accept-encoding'] ?? '')))
      return reply.header('content-encoding', 'gzip').send(f.gzip);
    return reply.send(f.body);
  };
}

/** GET /v1/widget.js (classic script) and /v1/widget.mjs (ES module). */
export function registerWidget(app: FastifyInstance, files: Map<string, WebFile>): void {
  // The CORS check (app.ts) refuses origins outside allowedOrigins; a public script is for every storefront.
  for (const name of ['widget.js', 'widget.mjs', 'chat.js'])
    app.get(`/v1/${name}`, { config: { cors: false } }, serveScript(files, name));
}

/** The URL of a built file with its hash, for pages this server renders. */
export function pinnedUrl(files: Map<string, WebFile>, name: string, path: string): string {
  const f = files.get(name);
  return f ? `${path}?v=${f.hash}` : path;
}
