import type { Command } from './command.js';

/** `levers config publish FILE`: the offer configuration every server of a PostgreSQL store serves. */
export function registerConfig(program: Command): void {
  const config = program
    .command('config')
    .description('the offer configuration every server of a PostgreSQL store serves, by version');
  config
    .command('publish')
    .description(
      'check a server configuration file and publish its offers as the next version in the database (--database): every levers serve over it switches within seconds',
    )
    .argument(
      '<file>',
      'a server configuration file (levers.config.json); only its offers section is published',
    )
    .option('--json', 'print as JSON')
    .addHelpText(
      'after',
      '\nThe file is checked as levers serve checks it, and refused whole with the first problem. Its keys, ' +
        "origins and limits stay in each machine's own file: they are not published. The same offers as the " +
        'newest version publish nothing.',
    )
    .action(async (file: string, _o: unknown, cmd: Command) =>
      (await import('./actions/config.js')).runPublish(file, cmd),
    );
}
