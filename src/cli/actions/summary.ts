import type { Command } from '../command.js';
import { summary } from '../../app/summary.js';
import { renderStoreSummary } from '../../render/summary.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

/** `levers summary`. */
export async function runSummary(cmd: Command): Promise<void> {
  const opts = cmd.optsWithGlobals() as { store?: string; json?: boolean };
  const r = await summary(storeOf(opts.store));
  if (opts.json) return printJson(r);
  process.stdout.write(`${renderStoreSummary(r)}\n`);
}
