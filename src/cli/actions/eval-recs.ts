import type { Command } from '../command.js';
import { z } from 'zod';
import { evalRecs } from '../../app/eval-recs.js';
import { renderEval } from '../../render/recs.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const EvalOptions = z.object({
  k: z.coerce.number().int().min(1).max(100),
  split: z.string().optional(),
  baskets: z.string().optional(),
  minSupport: z.coerce.number().gt(0).max(1),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers eval-recs`. */
export async function runEvalRecs(cmd: Command): Promise<void> {
  const o = parseOptions(EvalOptions, cmd);
  const r = await evalRecs(storeOf(o.store), {
    k: o.k,
    minSupport: o.minSupport,
    ...(o.split ? { split: o.split } : {}),
    ...(o.baskets ? { basketsFile: o.baskets } : {}),
  });
  if (o.json) return printJson(r);
  process.stdout.write(`${renderEval(r)}\n`);
}
