import type { Command } from './command.js';

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
    .action(async (id: string, _o: unknown, cmd: Command) =>
      (await import('./actions/experiment-weights.js')).runWeights(id, cmd),
    );
}
