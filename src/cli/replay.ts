import type { Command } from './command.js';

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'drive a running levers serve like a storefront: a simulated day of shoppers asks for decisions and ' +
        'sends what they did',
    )
    .option('--url <url>', 'server address', 'http://127.0.0.1:8080')
    .option('--key <key>', 'publishable key (default: $LEVERS_KEY)', process.env.LEVERS_KEY)
    .option('--date <day>', 'the (first) day simulated (UTC)', new Date().toISOString().slice(0, 10))
    .option('--sessions <n>', 'sessions a day', '1000')
    .option('--days <n>', 'days in a row from --date (returning customers come back on the later days)', '1')
    .option(
      '--truth',
      "instead of driving the server: replay the same shoppers in process under each variant of an offer experiment (the store's model) and print the true lifts",
    )
    .option('--config <file>', 'with --truth: the server configuration (default: levers.config.json)')
    .option('--experiment <id>', 'with --truth: the experiment (default: the only one configured)')
    .option('--seed <n>', 'random seed (the same seed replays the same shoppers)', '7')
    .option('--concurrency <n>', 'shoppers in flight at once', '16')
    .option('--json', 'print the tally as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/replay.js')).runReplay(cmd));
}
