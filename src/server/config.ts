import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { LeversError, zodProblem } from '../core/errors.js';
import { OfferConfigSchema, parseOfferConfig, type OfferConfig } from '../core/offers/config.js';

/** Server configuration: one JSON file, parsed once at start-up, strictly. */
const ServerConfigSchema = z.strictObject({
  publishableKeys: z.array(z.string().min(16, 'keys must be at least 16 characters')).min(1),
  secretKeys: z.array(z.string().min(24, 'secret keys must be at least 24 characters')).min(1),
  allowedOrigins: z.array(z.string().url('must be an origin such as https://shop.example.com')).default([]),
  bodyLimitBytes: z.number().int().min(1024).max(10_485_760).default(65_536),
  rateLimitPerMinute: z.strictObject({ publishable: z.number().int().positive().default(600), secret: z.number().int().positive().default(120) }).default({ publishable: 600, secret: 120 }),
  maxEventsPerBatch: z.number().int().min(1).max(5000).default(500),
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
    if (e instanceof LeversError) throw new LeversError('CONFIG_INVALID', { path: `offers.${e.details.path}`, problem: String(e.details.problem) });
    throw e;
  }
  return { ...r.data, offers };
}

export function loadServerConfig(file: string): ServerConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new LeversError('CONFIG_INVALID', { path: file, problem: `cannot be read as JSON (${(e as Error).message})` });
  }
  return parseServerConfig(raw);
}

export { OfferConfigSchema };
