import type { Command } from './command.js';
import { ENCODINGS } from '../ingest/decode.js';
import { FORMAT_LIST } from '../ingest/format-list.js';
import type { Opts } from './actions/ingest.js';

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load exports into the store (idempotent: keyed on ids, newer rows replace older)')
    .argument('<format>', `one of: ${FORMAT_LIST.map((f) => f.name).join(', ')}`)
    .argument(
      '[file...]',
      "CSV, JSON lines or Parquet files, gzipped or not (api-events: the server's log by default)",
    )
    .option('--currency <code>', 'currency of amounts when the file has no currency column')
    .option(
      '--encoding <name>',
      `text encoding when the file has no byte-order mark: ${ENCODINGS.join(', ')}`,
    )
    .option(
      '--keep-pii-in-rejects',
      'keep e-mails, names and addresses of rejected rows in the rejects file (removed by default)',
    )
    .option(
      '--allow-mixed',
      'load orders in a currency the store does not hold yet (same store, several currencies)',
    )
    .option('--json', 'print the run report as JSON')
    .addHelpText(
      'after',
      `\nFormats:\n${FORMAT_LIST.map((f) => `  ${f.name.padEnd(15)} ${f.summary}`).join('\n')}`,
    )
    .action(async (format: string, files: string[], o: Opts, cmd: Command) =>
      (await import('./actions/ingest.js')).runIngest(format, files, o, cmd),
    );
}
