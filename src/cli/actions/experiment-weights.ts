import type { Command } from '../command.js';
import { z } from 'zod';
import { publishBanditWeights, WeightsOptionsSchema } from '../../app/bandit.js';
import { offersInForce } from '../../app/offers-in-force.js';
import { renderWeights } from '../../render/bandit.js';
import { loadServerConfig } from '../../server/config.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

const Options = WeightsOptionsSchema.extend({
  config: z.string().default('levers.config.json'),
  store: z.string().optional(),
  // The global --database (read by storeOf).
  database: z.string().optional(),
  json: z.boolean().optional(),
  debug: z.boolean().optional(),
});

/** `levers experiment weights ID`. */
export async function runWeights(id: string, cmd: Command): Promise<void> {
  const { config, store, json, debug: _debug, database: _database, ...o } = parseOptions(Options, cmd);
  const s = storeOf(store);
  // With a database, the experiments of the offer configuration published there (what the servers run).
  await s.pullSnapshots?.();
  const offers = offersInForce(s, () => loadServerConfig(config).offers).offers;
  const r = await publishBanditWeights(s, id, { ...o, offers, now: new Date() });
  if (json) return printJson(r);
  process.stdout.write(`${renderWeights(r)}\n`);
}
