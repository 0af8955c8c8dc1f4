import type { Command } from './command.js';

export const DEMO_STORE = '.levers-demo';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(
      `simulate a store, load it, mine it and serve it with a demo shop at /shop, printing a working curl ` +
        `example (store: ` +
        `${DEMO_STORE})`,
    )
    .option('--days <n>', 'days to simulate', '60')
    .option('--sessions-per-day <n>', 'sessions per day', '1500')
    .option('--port <n>', 'port to serve on (another free one if it is taken)', '8080')
    .option('--host <addr>', 'address to serve on', '127.0.0.1')
    .option('--no-serve', 'stop after loading and mining (no server)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/demo.js')).runDemo(cmd));
}
