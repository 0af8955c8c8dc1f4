import type { Command } from '../command.js';
import { LeversError } from '../../core/errors.js';
import { readServerConfig } from '../../server/config.js';
import { databaseUrl } from '../database-option.js';
import { printJson } from '../output.js';
import { storeOf } from '../store-option.js';

/** `levers config publish FILE`. */
export async function runPublish(file: string, cmd: Command): Promise<void> {
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
}
