import type { Command } from '../command.js';
import { z } from 'zod';
import { serve } from '../../server/run.js';
import { parseOptions } from '../options.js';
import { storeOf } from '../store-option.js';

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  config: z.string(),
  workers: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(64),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']),
  logRequests: z.boolean().optional(),
  watch: z.coerce.number().min(0, 'must be 0 (off) or more seconds').max(3600),
  store: z.string().optional(),
});

/** `levers serve`. */
export async function runServe(cmd: Command): Promise<void> {
  const o = parseOptions(Options, cmd);
  await serve(storeOf(o.store), o);
}
