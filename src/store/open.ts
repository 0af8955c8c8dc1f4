import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { StoreFolder } from './folder.js';
import { JsonlEventLog, segmentFiles } from './files/event-log.js';
import { writeAtomically } from './files/json-file.js';
import { writeRejectsFile } from './files/rejects-file.js';
import { FileSnapshots } from './files/snapshots.js';
import type { Database, EventLog, Reject, SharedCounters, SnapshotStore, Store } from './port.js';
import { PgEventLog } from './postgres/event-log.js';
import { PgCounters } from './postgres/rate-counts.js';
import { followSnapshots, publishSnapshot, pullSnapshot } from './postgres/snapshots.js';
import { exportApiEvents } from './postgres/event-export.js';
import { redactUrl } from './postgres/url.js';

/** A store in a folder: a DuckDB database, snapshot files, the event log, rejects and simulator truth. */
export class FolderStore implements Store {
  readonly folder: StoreFolder;
  readonly snapshots: SnapshotStore;

  constructor(dir: string) {
    this.folder = new StoreFolder(dir);
    this.snapshots = new FileSnapshots(this.folder);
  }

  get location(): string {
    return this.folder.dir;
  }

  /** The adapter loads with the first database opened (start-up, issue 16: a command that needs none skips it). */
  async openDatabase(): Promise<Database> {
    const { DuckDbDatabase } = await import('./duckdb/database.js');
    return DuckDbDatabase.open(this.folder.database);
  }

  openEventLog(): EventLog {
    return new JsonlEventLog(this.folder.eventLog);
  }

  async eventLogFiles(): Promise<string[]> {
    const files = segmentFiles(this.folder.eventsDir);
    return files.length ? files : [this.folder.eventLog];
  }

  writeRejects(runId: string, format: string, rejects: readonly Reject[]): string {
    const file = this.folder.rejects(runId, format);
    writeRejectsFile(file, rejects);
    return file;
  }

  writeTruth(truth: unknown): string {
    writeAtomically(this.folder.truth, `${JSON.stringify(truth, null, 2)}\n`);
    return this.folder.truth;
  }

  readTruth(): unknown {
    return existsSync(this.folder.truth) ? JSON.parse(readFileSync(this.folder.truth, 'utf8')) : null;
  }

  get demo() {
    return { exportDir: this.folder.demoExport, configFile: this.folder.demoConfig };
  }

  isEmpty(): boolean {
    return !existsSync(this.folder.dir) || readdirSync(this.folder.dir).length === 0;
  }

  isDemoStore(): boolean {
    if (existsSync(this.folder.demoMarker)) return true;
    // Demo stores made before the marker existed: their configuration holds demo keys.
    const config = this.folder.demoConfig;
    return (
      existsSync(config) &&
      existsSync(this.folder.demoExport) &&
      readFileSync(config, 'utf8').includes('"pk_demo_')
    );
  }

  markAsDemo(): void {
    writeFileSync(
      this.folder.demoMarker,
      'made by levers demo: a later levers demo may replace this folder\n',
    );
  }

  destroy(): void {
    rmSync(this.folder.dir, { recursive: true, force: true });
  }
}

/**
 * The analytic tables in PostgreSQL, the rest (snapshots, the event log, rejects, simulator truth) still in the
 * folder: those move to the database with the stateless servers (issue 15, step 2).
 */
export class PostgresStore extends FolderStore {
  constructor(
    dir: string,
    private readonly url: string,
  ) {
    super(dir);
  }

  readonly sharedByServers = true;

  override get location(): string {
    return redactUrl(this.url);
  }

  override async openDatabase(): Promise<Database> {
    const { PgDatabase } = await import('./postgres/database.js');
    return PgDatabase.open(this.url);
  }

  pullSnapshots(): Promise<number | null> {
    return pullSnapshot(this.url, this.folder);
  }

  publishSnapshots(): Promise<number> {
    return publishSnapshot(this.url, this.folder);
  }

  followSnapshots(onNew: (version: number) => void): { close(): void } {
    return followSnapshots(this.url, this.folder, onNew);
  }

  openSharedCounters(): SharedCounters {
    return new PgCounters(this.url);
  }

  /** The events every server of the store appended, in PostgreSQL. */
  override openEventLog(): EventLog {
    return new PgEventLog(this.url);
  }

  override async eventLogFiles(): Promise<string[]> {
    const file = join(this.folder.eventsDir, 'postgres-api-events.jsonl');
    await exportApiEvents(this.url, file);
    return [file];
  }
}

/** The store at a folder, with its analytic tables in PostgreSQL when a database URL is given. */
export function openStore(dir: string, database?: string): FolderStore {
  return database ? new PostgresStore(dir, database) : new FolderStore(dir);
}
