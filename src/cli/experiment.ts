import type { Command } from './command.js';
import { registerExperimentWeights } from './experiment-weights.js';

export function registerExperiment(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('experiments with intervals, SRM check, the RPS lift split into CVR and AOV, and a verdict');
  experiment
    .command('list')
    .description('the offer experiments of the configuration, and the global holdout')
    .option('--config <file>', 'server configuration with offers.experiments (default: levers.config.json)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/experiment.js')).runList(cmd));
  experiment
    .command('show')
    .description('analyse an experiment: "holdout" or an id from offers.experiments')
    .argument('<id>', 'the experiment')
    .option('--config <file>', 'server configuration with offers.experiments (default: levers.config.json)')
    .option('--from <date>', "first day (default: the experiment's first day with data)")
    .option('--to <date>', "last day (default: the experiment's last day with data)")
    .option('--currency <code>', 'currency to analyse (default: the one with most sales)')
    .option(
      '--holdout-share <share>',
      'for holdout: the share the server ran with (default: offers.holdoutShare of the configuration, else 0.05)',
    )
    .option('--sequential', 'always-valid intervals, safe to read every day')
    .option('--target-lift <share>', 'the RPS lift worth detecting, for "keep running"', '0.05')
    .option('--json', 'print as JSON')
    .option('--html', 'a self-contained HTML page of the analysis (on stdout, or to --out)')
    .option('--out <file>', 'with --html: write the page to this file')
    .action(async (id: string, _o: unknown, cmd: Command) =>
      (await import('./actions/experiment.js')).runShow(id, cmd),
    );
  registerExperimentWeights(experiment);
}
