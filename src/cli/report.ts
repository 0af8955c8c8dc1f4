import type { Command } from './command.js';
import { REPEAT_NORMS } from '../core/metrics/customers.js';
import { SEGMENT_DIMENSIONS } from '../store/port.js';

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('why revenue moved, what each customer is worth, what to do next (terminal, JSON or HTML)')
    .option('--period <p>', 'day, week or month (default week)')
    .option('--from <date>', 'first day of the period reported (default: 28 days before --to; 90 for month)')
    .option('--to <date>', 'last day (default: the last day with data)')
    .option('--compare <what>', 'previous, year or DATE..DATE (default previous)')
    .option('--segment <dims>', `comma-separated (default all): ${SEGMENT_DIMENSIONS.join(',')}`)
    .option('--include-shipping', 'count shipping charged as revenue')
    .option('--include-tax', 'count tax as revenue')
    .option(
      '--free-shipping-threshold <amount>',
      'current threshold (default: inferred from shipping charged)',
    )
    .option('--shipping-fee <amount>', 'fee charged below the threshold (default: the average charged)')
    .option('--shipping-cost <amount>', 'what shipping an order costs you (default: the fee)')
    .option('--margin <fraction>', 'gross margin (default: from product costs)')
    .option(
      '--top-up-rate <fraction>',
      'share of carts right under the free-shipping threshold that top up (default: measured, else 0.45)',
    )
    .option(
      '--top-up-band <fraction>',
      'carts this share below the threshold consider topping up (default 0.5)',
    )
    .option(
      '--abandon-rate <fraction>',
      'share of orders lost when shipping is charged (default: measured, else 0.22)',
    )
    .option('--cac <amount>', 'customer acquisition cost, for LTV:CAC')
    .option('--category <name>', `repeat-rate norm to compare with: ${Object.keys(REPEAT_NORMS).join(', ')}`)
    .option('--no-clv', 'skip the predictive CLV section')
    .option('--currency <code>', 'the currency to report (default: the one most sales are in)')
    .option('--json', 'print the report as JSON (schema in docs/report.md)')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .option(
      '--config <file>',
      'server configuration whose offers.experiments are reported (default: levers.config.json if present)',
    )
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/report.js')).runReport(cmd));
}
