import type { Command } from '../command.js';
import { z } from 'zod';
import { clv } from '../../app/clv.js';
import { renderClv } from '../../render/clv.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const Options = z.object({
  calibrationEnd: z.string().optional(),
  horizon: z.coerce.number().int().min(1, 'must be at least 1 month').max(120),
  discountRate: z.coerce.number().min(0).max(1, 'is monthly, between 0 and 1'),
  margin: z.coerce.number().gt(0).max(1, 'is a fraction, e.g. 0.35').optional(),
  limit: z.coerce.number().int().min(0),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers clv`. */
export async function runClv(cmd: Command): Promise<void> {
  const o = parseOptions(Options, cmd);
  const r = await clv(storeOf(o.store), o);
  if (o.json) return printJson(r);
  process.stdout.write(`${renderClv(r, o.limit)}\n`);
}
