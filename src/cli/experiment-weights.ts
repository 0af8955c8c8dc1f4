import type { Command } from 'commander';
import { z } from 'zod';
import { publishBanditWeights, WeightsOptionsSchema } from '../app/bandit.js';
import { offersInForce } from '../app/offers-in-force.js';
import { renderWeights } from '../render/bandit.js';
import { loadServerConfig } from '../server/config.js';
import { parseOptions } from './options.js';
import { printJson } from './output.js';
import { storeOf } from './store-option.js';

const Options = WeightsOptionsSchema.extend({
  config: z.string().default('levers.config.json'),
  store: z.string().optional(),
  // The global --database (read by storeOf).
  database: z.string().optional(),
  json: z.boolean().optional(),
  debug: z.boolean().optional(),
});

/** `levers experiment weights ID`: a bandit's Thompson-sampling weights from the store, published for levers serve. */
export function registerExperimentWeights(experiment: Command): void {
  experiment
    .command('weights')
    .description(
      "a bandit experiment's weights by Thompson sampling on the store's data, published for levers serve",
    )
    .argument('<id>', 'a bandit experiment of offers.experiments')
    .option('--config <file>', 'server configuration with offers.experiments', 'levers.config.json')
    .option('--to <date>', "last day to learn from (default: the experiment's last day with data)")
    .option('--currency <code>', 'currency (default: the one with most sales)')
    .option('--force', "publish even if the weights in force are younger than the bandit's every")
    .option('--seed <n>', "the Monte Carlo draws' seed (default: from the experiment and version)")
    .option('--draws <n>', 'Monte Carlo draws', '10000')
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nRun it on a schedule (cron): levers serve picks the new weights up within its --watch seconds (or on ' +
        'SIGHUP). A run ' +
        "before the bandit's every has passed leaves the weights in force. With --database, the experiment is " +
        'read from the offer configuration published there, and the weights are published there for every server.',
    )
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const { config, store, json, debug: _debug, database: _database, ...o } = parseOptions(Options, cmd);
      const s = storeOf(store);
      // With a database, the experiments of the offer configuration published there (what the servers run).
      await s.pullSnapshots?.();
      const offers = offersInForce(s, () => loadServerConfig(config).offers).offers;
      const r = await publishBanditWeights(s, id, { ...o, offers, now: new Date() });
      if (json) return printJson(r);
      process.stdout.write(`${renderWeights(r)}\n`);
    });
}
