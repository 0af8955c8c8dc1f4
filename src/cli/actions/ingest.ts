import type { Command } from '../command.js';
import { ingest } from '../../app/ingest.js';
import { EXIT, LeversError } from '../../core/errors.js';
import { isCurrencyCode } from '../../core/money.js';
import { ENCODINGS, type Encoding } from '../../ingest/decode.js';
import { renderIngest } from '../../render/ingest.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';
import { storeOf } from '../store-option.js';

export interface Opts {
  store?: string;
  json?: boolean;
  currency?: string;
  encoding?: string;
  keepPiiInRejects?: boolean;
  allowMixed?: boolean;
}

/** `levers ingest FORMAT FILE…`. */
export async function runIngest(format: string, files: string[], o: Opts, cmd: Command): Promise<void> {
  const opts = { ...cmd.optsWithGlobals(), ...o } as Opts;
  if (opts.currency && !isCurrencyCode(opts.currency.toUpperCase())) {
    throw new LeversError('INVALID_OPTION', {
      option: 'currency',
      detail: `"${opts.currency}" is not an ISO 4217 code`,
    });
  }
  if (opts.encoding && !(ENCODINGS as readonly string[]).includes(opts.encoding)) {
    throw new LeversError('INVALID_OPTION', {
      option: 'encoding',
      detail: `use one of ${ENCODINGS.join(', ')}`,
    });
  }
  const t0 = performance.now();
  const bar = progressBar(`ingest ${format}`, !!opts.json);
  const report = await ingest(storeOf(opts.store), format, files, {
    currency: opts.currency?.toUpperCase(),
    encoding: opts.encoding as Encoding | undefined,
    onProgress: (f) => bar.update(f),
    runId: runIdNow(),
    keepPiiInRejects: !!opts.keepPiiInRejects,
    allowMixed: !!opts.allowMixed,
  }).finally(() => bar.stop());
  const seconds = (performance.now() - t0) / 1000;
  if (opts.json) printJson({ ...report, seconds: Number(seconds.toFixed(2)) });
  else process.stdout.write(`${renderIngest(report, seconds)}\n`);
  process.exitCode = report.rows.rejected > 0 ? EXIT.REJECTS : EXIT.OK;
}

/** A run id for rejects files: the start time, compact (the core has no clock; the CLI does). */
export const runIdNow = (): string => new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
