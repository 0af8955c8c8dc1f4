import { join } from 'node:path';
import type { Command } from 'commander';
import { ENCODINGS, type Encoding } from '../ingest/decode.js';
import { FORMATS } from '../ingest/formats.js';
import { runIngest, type IngestReport } from '../ingest/run.js';
import { isCurrencyCode } from '../core/money.js';
import { LeversError } from '../core/errors.js';
import { EXIT } from './exit.js';
import { int, printJson, progressBar, table } from './output.js';
import { storeDir, withStore } from './store-option.js';

interface Opts {
  store?: string;
  json?: boolean;
  currency?: string;
  encoding?: string;
}

export function registerIngest(program: Command): void {
  program
    .command('ingest')
    .description('load exports into the store (idempotent: keyed on ids, newer rows replace older)')
    .argument('<format>', `one of: ${FORMATS.map((f) => f.name).join(', ')}`)
    .argument('[file...]', 'CSV, JSON lines or Parquet files, gzipped or not (api-events: the server\'s log by default)')
    .option('--currency <code>', 'currency of amounts when the file has no currency column')
    .option('--encoding <name>', `text encoding when the file has no byte-order mark: ${ENCODINGS.join(', ')}`)
    .option('--json', 'print the run report as JSON')
    .addHelpText('after', '\nFormats:\n' + FORMATS.map((f) => `  ${f.name.padEnd(15)} ${f.summary}`).join('\n'))
    .action(async (format: string, files: string[], o: Opts, cmd: Command) => {
      const opts = { ...cmd.optsWithGlobals(), ...o } as Opts;
      if (opts.currency && !isCurrencyCode(opts.currency.toUpperCase())) {
        throw new LeversError('INVALID_OPTION', { option: '--currency', detail: `"${opts.currency}" is not an ISO 4217 code` });
      }
      if (opts.encoding && !(ENCODINGS as readonly string[]).includes(opts.encoding)) {
        throw new LeversError('INVALID_OPTION', { option: '--encoding', detail: `use one of ${ENCODINGS.join(', ')}` });
      }
      if (!files.length) {
        if (format !== 'api-events') throw new LeversError('USAGE', { detail: `give the file(s) to load: levers ingest ${format} <file...>` });
        files = [join(storeDir(opts.store), 'events', 'events.jsonl')];
      }
      const t0 = performance.now();
      const bar = progressBar(`ingest ${format}`, !!opts.json);
      const report = await withStore(opts.store, (store) =>
        runIngest(store, format, files, {
          currency: opts.currency?.toUpperCase(),
          encoding: opts.encoding as Encoding | undefined,
          onProgress: (f) => bar.update(f),
          runId: runIdNow(),
        }),
      ).finally(() => bar.stop());
      const seconds = (performance.now() - t0) / 1000;
      if (opts.json) printJson({ ...report, seconds: Number(seconds.toFixed(2)) });
      else process.stdout.write(renderIngest(report, seconds) + '\n');
      process.exitCode = report.rows.rejected > 0 ? EXIT.REJECTS : EXIT.OK;
    });
}

/** A run id for rejects files: the start time, compact (the core has no clock; the CLI does). */
export const runIdNow = (): string => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');

export function renderIngest(r: IngestReport, seconds: number): string {
  const out: string[] = [`${r.format}: ${r.files.join(', ')}  (${seconds.toFixed(1)} s)`];
  out.push(
    table([
      ['rows read', int(r.rows.read)],
      ['loaded', int(r.rows.loaded)],
      ['rejected', int(r.rows.rejected)],
      ['skipped', int(r.rows.skipped)],
    ]),
  );
  const list = (title: string, m: Record<string, number>, counts = true) => {
    const entries = Object.entries(m);
    if (!entries.length) return;
    out.push(title);
    for (const [k, v] of entries) out.push(counts && v > 0 ? `  ${int(v).padStart(9)}  ${k}` : `             ${k}`);
  };
  list('rejected, by reason:', r.rejectedByReason);
  list('skipped, by reason:', r.skippedByReason);
  list('notes:', r.notes);
  const tableRows = Object.entries(r.tables).map(([t, c]) => [
    t, `${int(c.staged)} rows: ${int(c.inserted)} new, ${int(c.updated)} updated, ${int(c.unchanged)} unchanged` +
      (c.duplicateKeys ? `, ${int(c.duplicateKeys)} repeated keys (last kept)` : ''),
  ] as [string, string]);
  if (tableRows.length) out.push('store:', table(tableRows));
  if (r.rejectsFile) out.push(`rejected rows with line, field and reason: ${r.rejectsFile}`);
  return out.join('\n');
}
