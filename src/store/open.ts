import { join } from 'node:path';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { StoreFolder } from './folder.js';
import { JsonlEventLog, segmentFiles } from './files/event-log.js';
import { writeAtomically } from './files/json-file.js';
import { writeRejectsFile } from './files/rejects-file.js';
import { FileSnapshots } from './files/snapshots.js';
import type {
  Database,
  EventLog,
  PublishedOffers,
  Pulled,
  Reject,
  SharedCounters,
  SnapshotStore,
  Store,
} from './port.js';
import { PgEventLog } from './postgres/event-log.js';
import { PgCounters } from './postgres/rate-counts.js';
import type { BanditWeights } from '../core/experiments/bandit-snapshot.js';
import { publishWeights } from './postgres/bandit-weights.js';
import { followPublished } from './postgres/follow.js';
import { publishOffers, readPublishedOffers } from './postgres/offer-configs.js';
import { pulledAny, pullPublished } from './postgres/published.js';
import { publishSnapshot } from './postgres/snapshots.js';
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
 * The analytic tables, the API's event log, rate counts and what is published for every server (the model, the
 * offer configuration, bandit weights) in PostgreSQL; the folder holds this machine's copies of what it serves,
 * rejects and the simulator's truth.
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

  pullSnapshots(): Promise<Pulled> {
    return pullPublished(this.url, this.folder);
  }

  publishSnapshots(): Promise<number> {
    return publishSnapshot(this.url, this.folder);
  }

  followSnapshots(onNew: (pulled: Pulled) => void): { close(): void } {
    return followPublished(
      this.url,
      async () => {
        const p = await pullPublished(this.url, this.folder);
        return pulledAny(p) ? p : null;
      },
      onNew,
    );
  }

  publishBanditWeights(w: BanditWeights): Promise<void> {
    return publishWeights(this.url, w);
  }

  publishOffers(offers: unknown): Promise<{ version: number; unchanged: boolean }> {
    return publishOffers(this.url, offers);
  }

  publishedOffers(): PublishedOffers | null {
    return readPublishedOffers(this.folder);
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
