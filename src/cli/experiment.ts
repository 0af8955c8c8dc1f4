import type { Command } from 'commander';
import { holdoutExperiment } from '../app/experiment.js';
import { LeversError } from '../core/errors.js';
import { renderExperiment } from '../render/experiment.js';
import { printJson } from './output.js';
import { storeOf } from './store-option.js';

export function registerExperiment(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('experiments with intervals, SRM check, the RPS lift split into CVR and AOV, and a verdict');
  experiment
    .command('show')
    .description('analyse an experiment: today "holdout" (personalised offers against the global holdout)')
    .argument('<id>', 'the experiment: holdout')
    .option('--from <date>', 'first day (default: the first day of data)')
    .option('--to <date>', 'last day (default: the last day of data)')
    .option('--currency <code>', 'currency to analyse (default: the one with most sales)')
    .option('--holdout-share <share>', 'the holdout share the server ran with (offers.holdoutShare)', '0.05')
    .option('--sequential', 'always-valid intervals, safe to read every day')
    .option('--target-lift <share>', 'the RPS lift worth detecting, for "keep running"', '0.05')
    .option('--json', 'print as JSON')
    .action(async (id: string, _o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as Record<string, string | boolean | undefined>;
      if (id !== 'holdout') {
        throw new LeversError('INVALID_OPTION', {
          option: 'id',
          detail: `unknown experiment ${id}: only "holdout" can be analysed yet (configured experiments come next)`,
        });
      }
      const r = await holdoutExperiment(storeOf(opts.store as string | undefined), {
        ...(opts.from ? { from: String(opts.from) } : {}),
        ...(opts.to ? { to: String(opts.to) } : {}),
        ...(opts.currency ? { currency: String(opts.currency) } : {}),
        holdoutShare: Number(opts.holdoutShare),
        sequential: opts.sequential === true,
        targetLift: Number(opts.targetLift),
      });
      if (opts.json) return printJson(r);
      process.stdout.write(`${renderExperiment(r)}\n`);
    });
}
