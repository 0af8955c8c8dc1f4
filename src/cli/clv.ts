import type { Command } from './command.js';

export function registerClv(program: Command): void {
  program
    .command('clv')
    .description(
      'predictive customer value: BG/NBD purchases and P(alive), Gamma-Gamma spend, discounted CLV',
    )
    .option(
      '--calibration-end <date>',
      'fit on purchases up to this date and test on the rest (default: all data)',
    )
    .option('--horizon <months>', 'months of future purchases to value', '12')
    .option('--discount-rate <rate>', 'monthly discount rate', '0.01')
    .option('--margin <fraction>', 'gross margin (default: from product costs, else CLV is revenue)')
    .option('--limit <n>', 'customers to list (terminal)', '10')
    .option('--json', 'print as JSON (all customers)')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/clv.js')).runClv(cmd));
}
