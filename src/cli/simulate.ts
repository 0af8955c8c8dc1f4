import type { Command } from './command.js';
import { SCENARIOS } from '../sim/scenarios.js';

export function registerSimulate(program: Command): void {
  program
    .command('simulate')
    .description(
      'simulate a realistic store (deterministic for a seed) into the store, or to files with --out',
    )
    .option('--seed <n>', 'random seed', '1')
    .option('--days <n>', 'days to simulate', '60')
    .option('--sessions-per-day <n>', 'average sessions per day', '2000')
    .option('--scenario <name>', `one of: ${SCENARIOS.map((s) => s.name).join(', ')}`, 'baseline')
    .option('--change-day <n>', "day the scenario's change happens (default: half-way)")
    .option('--start <date>', 'first day (UTC)', '2026-01-05')
    .option('--out <dir>', 'write canonical CSV files and truth.json here instead of the store')
    .option('--replace', 'empty the store first (simulated data is never mixed with real data)')
    .option(
      '--truth-thresholds <from:to:step>',
      'replay the run under each free-shipping threshold and record the best in truth.json',
    )
    .option(
      '--top-up-factor <x>',
      "shoppers top up to free shipping x times as often as the model's own rate (a store whose response differs)",
    )
    .option(
      '--appetite-spread <sigma>',
      'shoppers differ for life: each draws a log-normal appetite (this σ, mean 1) for adding to cart, and keen ' +
        'customers come back more often (default 0: all alike); what makes CUPED worth having',
    )
    .option(
      '--experiment-thresholds <a,b,…>',
      'run a free-shipping threshold experiment "sim-threshold" (equal weights, the first the control); its true ' +
        'effect goes to truth.json',
    )
    .option('--json', 'print the result as JSON')
    .addHelpText(
      'after',
      `\nScenarios:\n${SCENARIOS.map((s) => `  ${s.name.padEnd(16)} ${s.description}`).join('\n')}`,
    )
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/simulate.js')).runSimulate(cmd));
}
