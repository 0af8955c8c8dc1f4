import { join } from 'node:path';

/**
 * The one module that knows how a store folder is laid out. Everything else asks the store port for what it
 * needs (a snapshot, the event log, a rejects file) and never builds a path into the folder by hand.
 */
export class StoreFolder {
  /** As the user gave it (relative paths stay relative, so messages show what was typed). */
  constructor(readonly dir: string) {}

  get database(): string {
    return join(this.dir, 'levers.duckdb');
  }
  get eventsDir(): string {
    return join(this.dir, 'events');
  }
  get eventLog(): string {
    return join(this.eventsDir, 'events.jsonl');
  }
  get modelsDir(): string {
    return join(this.dir, 'models');
  }
  /** The snapshot in force: the server loads (and on SIGHUP reloads) this file. */
  get currentModel(): string {
    return join(this.modelsDir, 'recs.json');
  }
  model(version: number): string {
    return join(this.modelsDir, `recs-v${version}.json`);
  }
  /** Each bandit experiment's published weights: one folder per experiment, as ids may end in "-v2". */
  get banditsDir(): string {
    return join(this.modelsDir, 'bandits');
  }
  banditDir(experiment: string): string {
    return join(this.banditsDir, experiment);
  }
  banditWeights(experiment: string, version: number): string {
    return join(this.banditDir(experiment), `weights-v${version}.json`);
  }
  /** The weights in force for one bandit: the server loads (and on SIGHUP reloads) this file. */
  currentBanditWeights(experiment: string): string {
    return join(this.banditDir(experiment), 'weights.json');
  }
  /**
   * The offer configuration pulled from a shared database (levers config publish): with --database, served in
   * place of the configuration file's offers.
   */
  get publishedOffers(): string {
    return join(this.dir, 'config', 'offers.json');
  }
  get histories(): string {
    return join(this.modelsDir, 'customers.json');
  }
  get rejectsDir(): string {
    return join(this.dir, 'rejects');
  }
  rejects(runId: string, format: string): string {
    return join(this.rejectsDir, `${runId}-${format}.csv`);
  }
  get truth(): string {
    return join(this.dir, 'sim', 'truth.json');
  }
  get demoExport(): string {
    return join(this.dir, 'export');
  }
  get demoConfig(): string {
    return join(this.dir, 'levers.config.json');
  }
  /** Written by `levers demo` so that a later demo may replace the folder without asking. */
  get demoMarker(): string {
    return join(this.dir, '.levers-demo');
  }
}
