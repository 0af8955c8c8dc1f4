import type { Command } from './command.js';

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description(
      'the HTTP API for the storefront (decide, events, recommendations, report) and the dashboard at /dashboard',
    )
    .option('--port <n>', 'port (0: any free port)', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'server configuration (keys, origins, limits, offers)', 'levers.config.json')
    .option('--workers <n>', 'processes serving requests (Node cluster); the event log stays in one', '1')
    .option('--log-level <level>', 'structured log level (JSON lines on stderr)', 'info')
    .option('--log-requests', 'log every request (costs throughput; off by default)')
    .option(
      '--watch <seconds>',
      'look this often for a new model, bandit weights or configuration and reload them (0: only on SIGHUP)',
      '5',
    )
    .addHelpText(
      'after',
      '\nSignals: SIGHUP reloads the model snapshot, bandit weights and the configuration without dropping a ' +
        'request (as --watch does when their files change); ' +
        'SIGTERM drains and stops.',
    )
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/serve.js')).runServe(cmd));
}
