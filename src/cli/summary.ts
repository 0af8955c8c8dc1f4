import type { Command } from './command.js';

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('sessions, orders, CVR, net AOV, RPS and revenue of what is in the store')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/summary.js')).runSummary(cmd));
}
