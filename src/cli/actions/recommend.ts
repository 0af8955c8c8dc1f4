import type { Command } from '../command.js';
import { z } from 'zod';
import { recommendFor } from '../../app/recommend.js';
import { PAGES } from '../../core/recs/recommend.js';
import { renderRecommendations } from '../../render/recs.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const amount = z.string().regex(/^\d+(\.\d+)?$/, 'must be an amount such as 12.50');

const RecOptions = z.object({
  cart: z.string().default(''),
  page: z.enum(PAGES),
  k: z.coerce.number().int().min(1).max(100),
  gap: amount.optional(),
  orderValue: amount.optional(),
  customer: z.string().optional(),
  asOf: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers recommend`. */
export async function runRecommend(cmd: Command): Promise<void> {
  const o = parseOptions(RecOptions, cmd);
  const r = await recommendFor(storeOf(o.store), {
    ...o,
    cart: o.cart
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  });
  if (o.json) return printJson(r);
  process.stdout.write(`${renderRecommendations(r)}\n`);
}
