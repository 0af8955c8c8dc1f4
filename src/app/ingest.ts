import { createHash } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { LeversError } from '../core/errors.js';
import type { TableName } from '../core/model/tables.js';
import { canonicalName } from '../ingest/canonical.js';
import { IngestContext, type FileMapper } from '../ingest/context.js';
import type { Encoding } from '../ingest/decode.js';
import { formatByName } from '../ingest/formats.js';
import { withoutPersonalData } from '../ingest/personal-data.js';
import { fileTypeOf, readRecords } from '../ingest/read-records.js';
import { withDatabase, type Database, type Store, type TableCounts } from '../store/port.js';

export interface IngestOptions {
  currency?: string;
  encoding?: Encoding;
  /** Fraction of the run's bytes read so far, 0..1. */
  onProgress?: (fraction: number) => void;
  /** A run id for the rejects file name; the CLI passes a timestamp (the core has no clock). */
  runId: string;
  /** Keep e-mails, names and addresses in the rejects file (removed by default). */
  keepPiiInRejects?: boolean;
  /** Load orders in a currency the store does not hold yet (refused by default: two stores' data mixed). */
  allowMixed?: boolean;
  /** Map record by record in JS even where the format can be mapped in SQL (tests compare the two). */
  rowByRow?: boolean;
}

/**
 * Loads files of one format into the store; `files` empty means the store's own event log (api-events only).
 */
export async function ingest(
  store: Store,
  formatName: string,
  files: string[],
  opts: IngestOptions,
): Promise<IngestReport> {
  const format = formatByName(formatName);
  if (!files.length) {
    if (format.name !== 'api-events')
      throw new LeversError('USAGE', {
        detail: `give the file(s) to load: levers ingest ${format.name} <file...>`,
      });
    files = await store.eventLogFiles();
  }
  return withDatabase(store, (db) => runIngest(store, db, formatName, files, opts));
}

export interface IngestReport {
  format: string;
  files: string[];
  rows: { read: number; loaded: number; rejected: number; skipped: number };
  rejectedByReason: Record<string, number>;
  skippedByReason: Record<string, number>;
  notes: Record<string, number>;
  tables: Partial<Record<TableName, TableCounts>>;
  rejectsFile: string | null;
  /** Set when the same files were loaded the same way by this run and nothing changed the data since. */
  unchangedSince?: string;
}

/**
 * What decides a load's result: the format, the options that change rows or the rejects file, and each file's
 * content in order.
 */
async function loadFingerprint(format: string, files: string[], opts: IngestOptions): Promise<string> {
  const h = createHash('sha256');
  h.update(
    JSON.stringify([
      format,
      opts.currency ?? null,
      opts.encoding ?? null,
      opts.allowMixed ?? false,
      opts.keepPiiInRejects ?? false,
    ]),
  );
  for (const f of files) {
    const fh = createHash('sha256');
    for await (const chunk of createReadStream(f, { highWaterMark: 1 << 20 })) fh.update(chunk as Buffer);
    h.update(fh.digest('hex'));
  }
  return h.digest('hex');
}

/** The ingest itself, on an open database (the demo and the server's event loading reuse it). */
export async function runIngest(
  store: Store,
  db: Database,
  formatName: string,
  files: string[],
  opts: IngestOptions,
): Promise<IngestReport> {
  const format = formatByName(formatName);
  if (files.length === 0) throw new LeversError('USAGE', { detail: 'give at least one file to ingest' });
  for (const f of files)
    if (!existsSync(f) || !statSync(f).isFile()) throw new LeversError('FILE_NOT_FOUND', { file: f });
  // The same files loaded the same way into data nothing has changed since: nothing to do, and said so.
  // Hashed while the files load when there is no earlier load to compare with (a new store).
  const last = db.lastLoad ? await db.lastLoad() : null;
  const hashing = db.lastLoad ? loadFingerprint(format.name, files, opts) : null;
  hashing?.catch(() => {}); // awaited below; a failure must not go unhandled while the load runs
  const fingerprint = last ? await hashing : null;
  if (fingerprint && last?.fingerprint === fingerprint) {
    // What loading them again would report, every staged row unchanged, without reading them.
    const prev = JSON.parse(last.summary) as IngestReport;
    const tables: IngestReport['tables'] = {};
    for (const [t, c] of Object.entries(prev.tables) as [TableName, TableCounts][])
      tables[t] = { ...c, inserted: 0, updated: 0, unchanged: c.staged - c.duplicateKeys };
    const rejectsFile = prev.rejectsFile && existsSync(prev.rejectsFile) ? prev.rejectsFile : null;
    await db.recordIngestRun({ runId: opts.runId, format: format.name, files, rows: prev.rows, rejectsFile });
    return { ...prev, files, tables, rejectsFile, unchangedSince: last.runId };
  }
  const totalBytes = files.reduce((s, f) => s + statSync(f).size, 0);
  let doneBytes = 0;
  const load = await db.beginLoad();
  const ctx = new IngestContext(load, opts.currency ?? format.defaultCurrency ?? 'USD');
  let mapper: FileMapper | null = null;
  for (const file of files) {
    ctx.file = file;
    if (!format.spansFiles) mapper = null;
    if (
      format.loadSql &&
      load.sql &&
      !opts.rowByRow &&
      (opts.encoding ?? 'utf-8') === 'utf-8' &&
      fileTypeOf(file) === 'csv'
    ) {
      if (await format.loadSql(load.sql, ctx, file)) {
        doneBytes += statSync(file).size;
        opts.onProgress?.(Math.min(1, doneBytes / Math.max(1, totalBytes)));
        continue;
      }
    }
    const fault = await readRecords(
      file,
      {
        header(columns) {
          if (columns) checkColumns(file, columns, format.requiredColumns, format.looseColumnNames ?? false);
          if (!mapper) mapper = format.open(ctx, columns);
        },
        record(line, rec, extra) {
          ctx.read++;
          if (typeof rec.__invalid__ === 'string')
            return ctx.reject({ line, field: '', reason: rec.__invalid__ });
          if (extra !== 0) {
            const reason =
              extra > 0
                ? `row has ${extra} more field(s) than the header`
                : `row has ${-extra} fewer field(s) than the header`;
            return ctx.reject({ line, field: '', reason, record: rec });
          }
          mapper!.record(line, rec);
        },
      },
      {
        encoding: opts.encoding,
        ...(format.whitespace ? { whitespace: format.whitespace } : {}),
        onProgress: (b) => opts.onProgress?.(Math.min(1, (doneBytes + b) / Math.max(1, totalBytes))),
      },
    );
    if (fault) {
      ctx.read++;
      ctx.reject({ line: fault.line, field: '', reason: fault.reason });
    }
    if (!format.spansFiles) (mapper as FileMapper | null)?.end();
    doneBytes += statSync(file).size;
  }
  if (format.spansFiles) (mapper as FileMapper | null)?.end();
  await refuseMixedCurrencies(db, ctx.currencies, opts.allowMixed ?? false);
  const tables = await load.commit();
  if (tables.orders || tables.order_lines) {
    // Exports come in several files: a line may wait for its order's file. Said, never silently kept or
    // dropped.
    const i = await db.integrity();
    if (i.orphanLines)
      ctx.note(
        `order lines in the store whose order is not (yet) loaded; load the orders file too`,
        i.orphanLines,
      );
    if (i.unbalancedOrders)
      ctx.note('sales whose product lines do not add up to their gross_merchandise', i.unbalancedOrders);
  }
  const rows = { read: ctx.read, loaded: ctx.loadedRows, rejected: ctx.rejected, skipped: ctx.skipped };
  if (rows.read !== rows.loaded + rows.rejected + rows.skipped) {
    throw new LeversError('STORE_ERROR', { detail: `row accounting is off: ${JSON.stringify(rows)}` });
  }
  const kept = opts.keepPiiInRejects
    ? ctx.rejects
    : ctx.rejects.map((r) => (r.record ? { ...r, record: withoutPersonalData(r.record) } : r));
  const rejectsFile = kept.length > 0 ? store.writeRejects(opts.runId, format.name, kept) : null;
  await db.recordIngestRun({ runId: opts.runId, format: format.name, files, rows, rejectsFile });
  const report: IngestReport = {
    format: format.name,
    files,
    rows,
    rejectedByReason: Object.fromEntries(ctx.rejectedByReason),
    skippedByReason: Object.fromEntries(ctx.skippedByReason),
    notes: Object.fromEntries(ctx.notes),
    tables,
    rejectsFile,
  };
  const noted = fingerprint ?? (await hashing);
  if (noted) await db.noteLoad?.({ runId: opts.runId, fingerprint: noted, summary: JSON.stringify(report) });
  return report;
}

function checkColumns(file: string, found: string[], required: readonly string[], loose: boolean): void {
  const norm = (c: string) => (loose ? canonicalName(c) : c.trim());
  const have = new Set(found.map(norm));
  const missing = required.filter((c) => !have.has(norm(c)));
  if (missing.length) {
    throw new LeversError('INGEST_MISSING_COLUMN', {
      file,
      column: missing.join(', '),
      found: found.join(', ') || '(none)',
    });
  }
}

/**
 * One store, one shape: orders in a currency the store has never held are most often another store's export loaded
 * by mistake (and would read as the wrong money). Refused, nothing loaded, unless the operator says it is one store.
 */
async function refuseMixedCurrencies(
  db: Database,
  incoming: ReadonlySet<string>,
  allowMixed: boolean,
): Promise<void> {
  if (allowMixed || !incoming.size) return;
  const held = (await db.currencies()).map((c) => c.currency);
  const fresh = [...incoming].filter((c) => !held.includes(c));
  if (held.length && fresh.length)
    throw new LeversError('MIXED_DATA', { incoming: fresh.join(', '), held: held.join(', ') });
}
