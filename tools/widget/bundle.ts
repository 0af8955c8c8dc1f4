import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type BuildOptions } from 'esbuild';

/** The storefront widget's budget, gzipped: what a shopper's phone downloads before any offer shows. */
export const WIDGET_BUDGET_GZIP_BYTES = 15 * 1024;
/** The chat bubble's own budget (O8): loaded only on a page that opens the chat. */
export const CHAT_BUDGET_GZIP_BYTES = 4 * 1024;

/** The browser files levers serve hands out, by the name it serves them under. */
export const WEB_FILES = {
  'widget.js': { entry: 'src/widget/classic.ts', format: 'iife' },
  'widget.mjs': { entry: 'src/widget/module.ts', format: 'esm' },
  'chat.js': { entry: 'src/widget/chat/entry.ts', format: 'iife' },
  'shop.js': { entry: 'src/shop/browser/shop.ts', format: 'iife' },
  'dashboard.js': { entry: 'src/server/dashboard/browser/dashboard.ts', format: 'iife' },
} as const;
export type WebFile = keyof typeof WEB_FILES;

export interface Built {
  bytes: number;
  gzipBytes: number;
  /** The first 12 hex digits of the content's SHA-256: the version in the URL that may be cached for a year. */
  hash: string;
}

/**
 * Bundles each browser file from its TypeScript entry, minified, for browsers of the last few years (ES2020:
 * optional chaining, no transpiled async), into `<root>/dist/web`, with a manifest of sizes and hashes.
 */
export async function bundleWeb(root: string): Promise<Record<WebFile, Built>> {
  const out = join(root, 'dist', 'web');
  mkdirSync(out, { recursive: true });
  const manifest = {} as Record<WebFile, Built>;
  for (const [name, f] of Object.entries(WEB_FILES) as [WebFile, (typeof WEB_FILES)[WebFile]][]) {
    const options: BuildOptions = {
      entryPoints: [join(root, f.entry)],
      bundle: true,
      minify: true,
      format: f.format,
      target: 'es2020',
      platform: 'browser',
      legalComments: 'none',
      write: false,
      logLevel: 'error',
    };
    const r = await build(options);
    const code = r.outputFiles![0]!.contents;
    writeFileSync(join(out, name), code);
    manifest[name] = {
      bytes: code.length,
      gzipBytes: gzipSync(code, { level: 9 }).length,
      hash: createHash('sha256').update(code).digest('hex').slice(0, 12),
    };
  }
  writeFileSync(join(out, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  return manifest;
}

export function readManifest(root: string): Record<WebFile, Built> {
  return JSON.parse(readFileSync(join(root, 'dist', 'web', 'manifest.json'), 'utf8'));
}
