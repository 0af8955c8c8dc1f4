import type { Command } from 'commander';
import { z } from 'zod';
import { publishBanditWeights, WeightsOptionsSchema } from '../../app/bandit.js';
import { renderWeights } from '../../render/bandit.js';
import { loadServerConfig } from '../../server/config.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const Options = WeightsOptionsSchema.extend({
  config: z.string().default('levers.config.json'),
  store: z.string().optional(),
  json: z.boolean().optional(),
  debug: z.boolean().optional(),
});

/** `levers experiment weights ID`. */
export async function runWeights(id: string, cmd: Command): Promise<void> {
  const { config, store, json, debug: _debug, ...o } = parseOptions(Options, cmd);
  const offers = loadServerConfig(config).offers;
  const r = await publishBanditWeights(storeOf(store), id, { ...o, offers, now: new Date() });
  if (json) return printJson(r);
  process.stdout.write(`${renderWeights(r)}\n`);
}
