import type { Command } from 'commander';
import { summary } from '../app/summary.js';
import { renderStoreSummary } from '../render/summary.js';
import { printJson } from './output.js';
import { storeOf } from './store-option.js';

export function registerSummary(program: Command): void {
  program
    .command('summary')
    .description('sessions, orders, CVR, net AOV, RPS and revenue of what is in the store')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const opts = cmd.optsWithGlobals() as { store?: string; json?: boolean };
      const r = await summary(storeOf(opts.store));
      if (opts.json) return printJson(r);
      process.stdout.write(`${renderStoreSummary(r)}\n`);
    });
}
