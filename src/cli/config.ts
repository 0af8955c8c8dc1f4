import type { Command } from 'commander';
import { LeversError } from '../core/errors.js';
import { readServerConfig } from '../server/config.js';
import { printJson } from './output.js';
import { databaseUrl, storeOf } from './store-option.js';

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
    .action(async (file: string, _o: unknown, cmd: Command) => {
      const url = databaseUrl();
      if (!url)
        throw new LeversError('USAGE', {
          detail: 'give the database with --database postgres://… or LEVERS_DATABASE',
        });
      const { raw } = readServerConfig(file);
      const opts = cmd.optsWithGlobals() as { store?: string; json?: boolean };
      const store = storeOf(opts.store);
      const r = await store.publishOffers!(raw.offers ?? {});
      if (opts.json) return printJson({ database: store.location, file, ...r });
      process.stdout.write(
        r.unchanged
          ? `offer configuration v${r.version} in ${store.location} is already the offers of ${file}: nothing published\n`
          : `offer configuration v${r.version} published to ${store.location} (the offers of ${file}); ` +
              'every levers serve over it switches within seconds\n',
      );
    });
}
