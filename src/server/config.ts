import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LeversError, zodProblem } from '../core/errors.js';
import { OfferConfigSchema, parseOfferConfig, type OfferConfig } from '../core/offers/config.js';

/** Server configuration: one JSON file, parsed once at start-up, strictly. */
export const ServerConfigSchema = z.strictObject({
  publishableKeys: z.array(z.string().min(16, 'keys must be at least 16 characters')).min(1),
  secretKeys: z.array(z.string().min(24, 'secret keys must be at least 24 characters')).min(1),
  allowedOrigins: z.array(z.string().url('must be an origin such as https://shop.example.com')).default([]),
  bodyLimitBytes: z.number().int().min(1024).max(10_485_760).default(65_536),
  /**
   * Requests a minute for the whole server (every worker together; with --database, every server of the
   * store): per publishable key and shopper address, per secret key, and failed authentications per address.
   */
  rateLimitPerMinute: z
    .strictObject({
      publishable: z.number().int().positive().default(600),
      secret: z.number().int().positive().default(120),
      failedAuth: z.number().int().positive().default(30),
    })
    .prefault({}),
  maxEventsPerBatch: z.number().int().min(1).max(5000).default(500),
  /**
   * Behind a proxy or load balancer, the shopper's address is in X-Forwarded-For: trust it from true (any
   * proxy), a number of hops, or the proxies' addresses/CIDRs (comma-separated). Off by default: a direct
   * client could forge it.
   */
  trustProxy: z.union([z.boolean(), z.number().int().min(1).max(10), z.string().min(1)]).default(false),
  /**
   * A request must arrive whole within this time (a trickled body is cut off); idle keep-alive connections
   * close.
   */
  requestTimeoutMs: z.number().int().min(100).max(120_000).default(10_000),
  keepAliveTimeoutMs: z.number().int().min(100).max(120_000).default(5_000),
  /**
   * Event times accepted around the server's clock: a beacon retried a few days late, a little clock skew.
   */
  eventTimeWindow: z
    .strictObject({
      pastDays: z.number().int().min(0).max(36_500).default(30),
      futureMinutes: z.number().int().min(0).max(1440).default(60),
    })
    .prefault({}),
  /**
   * Purchases reported by the browser (publishable key) are kept as client-reported, and one above this value
   * (minor units of the store's currency) is refused: anyone holding the public key could otherwise book a
   * million.
   */
  clientOrderMaxMinor: z.number().int().positive().default(1_000_000),
  /** The operator's dashboard at /dashboard: signed in with a secret key, for a session of this length. */
  dashboard: z
    .strictObject({
      enabled: z.boolean().default(true),
      sessionMinutes: z.number().int().min(5).max(10_080).default(480),
    })
    .prefault({}),
  offers: z.unknown().default({}),
});

export type ServerConfig = Omit<z.infer<typeof ServerConfigSchema>, 'offers'> & { offers: OfferConfig };

export function parseServerConfig(raw: unknown): ServerConfig {
  const r = ServerConfigSchema.safeParse(raw);
  if (!r.success) {
    const { path, problem } = zodProblem(r.error, 'key');
    throw new LeversError('CONFIG_INVALID', { path: path || '(root)', problem });
  }
  let offers: OfferConfig;
  try {
    offers = parseOfferConfig(r.data.offers);
  } catch (e) {
    if (e instanceof LeversError)
      throw new LeversError('CONFIG_INVALID', {
        path: `offers.${e.details.path}`,
        problem: String(e.details.problem),
      });
    throw e;
  }
  return { ...r.data, offers };
}

export function loadServerConfig(file: string): ServerConfig {
  return readServerConfig(file).config;
}

/** The configuration file checked, and as written (its offers section is what levers config publish stores). */
export function readServerConfig(file: string): { config: ServerConfig; raw: Record<string, unknown> } {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LeversError('CONFIG_INVALID', {
      path: file,
      problem: `cannot be read as JSON (${(e as Error).message})`,
    });
  }
  const config = parseServerConfig(raw);
  return { config, raw: raw as Record<string, unknown> };
}

export { OfferConfigSchema };
