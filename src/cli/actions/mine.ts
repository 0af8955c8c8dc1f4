import type { Command } from '../command.js';
import { z } from 'zod';
import { mine } from '../../app/mine.js';
import { mineSummary, renderMine } from '../../render/recs.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const MineOptions = z.object({
  minSupport: z.coerce.number().gt(0).max(1, 'is a fraction of baskets, e.g. 0.01'),
  minConfidence: z.coerce.number().min(0).max(1),
  maxLen: z.coerce.number().int().min(2).max(6),
  topK: z.coerce.number().int().min(1).max(500),
  baskets: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers mine`. */
export async function runMine(cmd: Command): Promise<void> {
  const o = parseOptions(MineOptions, cmd);
  const r = await mine(
    storeOf(o.store),
    { minSupport: o.minSupport, minConfidence: o.minConfidence, maxLen: o.maxLen, topK: o.topK },
    { ...(o.baskets ? { basketsFile: o.baskets } : {}), createdAt: new Date().toISOString() },
  );
  if (o.json)
    return printJson({
      ...mineSummary(r),
      topRules: r.model.rules.slice(0, 10),
      topBundles: r.model.bundles.slice(0, 10),
    });
  process.stdout.write(`${renderMine(r)}\n`);
}
