import { existsSync, readdirSync } from 'node:fs';
import { fileMark } from './json-file.js';
import { type BanditWeights, checkBanditWeights } from '../../core/experiments/bandit-snapshot.js';
import { LeversError } from '../../core/errors.js';
import type { CustomerHistories } from '../../core/recs/habits.js';
import type { RecsModel } from '../../core/recs/model.js';
import type { StoreFolder } from '../folder.js';
import type { SnapshotStore } from '../port.js';
import { checkHistories, checkModel } from '../../core/recs/snapshot-schema.js';
import { readJson, writeAtomically } from './json-file.js';

/** Model snapshots as versioned JSON files, the current one renamed into place. */
function parse(file: string): unknown {
  try {
    return readJson(file);
  } catch (e) {
    throw new LeversError('SNAPSHOT_INVALID', {
      what: 'snapshot',
      problem: `not valid JSON (${(e as Error).message})`,
    });
  }
}

export class FileSnapshots implements SnapshotStore {
  constructor(private readonly folder: StoreFolder) {}

  changeMark(): string {
    const dir = this.folder.banditsDir;
    const bandits = existsSync(dir)
      ? readdirSync(dir)
          .sort()
          .map((id) => this.folder.currentBanditWeights(id))
      : [];
    return [this.folder.currentModel, this.folder.histories, ...bandits].map(fileMark).join('|');
  }

  nextModelVersion(): number {
    const dir = this.folder.modelsDir;
    const versions = existsSync(dir)
      ? readdirSync(dir)
          .map((f) => /^recs-v(\d+)\.json$/.exec(f)?.[1])
          .filter(Boolean)
          .map(Number)
      : [];
    return Math.max(0, ...versions) + 1;
  }

  saveModel(m: RecsModel): string {
    const text = JSON.stringify(m);
    const file = this.folder.model(m.version);
    writeAtomically(file, text);
    writeAtomically(this.folder.currentModel, text);
    return file;
  }

  loadModel(): RecsModel {
    const file = this.folder.currentModel;
    if (!this.hasModel())
      throw new LeversError('NO_DATA', {
        what: 'recommendation model',
        hint: 'mine one first (levers mine)',
      });
    const c = checkModel(parse(file));
    if (!c.ok)
      throw new LeversError('SNAPSHOT_INVALID', { what: 'recommendation model', problem: c.problem });
    return c.value;
  }

  hasModel(): boolean {
    return existsSync(this.folder.currentModel);
  }

  modelLocation(version: number): string {
    return this.folder.model(version);
  }

  saveHistories(h: CustomerHistories): void {
    writeAtomically(this.folder.histories, JSON.stringify(h));
  }

  loadHistories(): CustomerHistories | null {
    if (!existsSync(this.folder.histories)) return null;
    const c = checkHistories(parse(this.folder.histories));
    if (!c.ok) throw new LeversError('SNAPSHOT_INVALID', { what: 'customer histories', problem: c.problem });
    return c.value;
  }

  nextBanditVersion(experiment: string): number {
    const dir = this.folder.banditDir(experiment);
    const versions = existsSync(dir)
      ? readdirSync(dir)
          .map((f) => /^weights-v(\d+)\.json$/.exec(f)?.[1])
          .filter(Boolean)
          .map(Number)
      : [];
    return Math.max(0, ...versions) + 1;
  }

  saveBanditWeights(w: BanditWeights): string {
    const text = JSON.stringify(w, null, 2);
    const file = this.folder.banditWeights(w.experiment, w.version);
    writeAtomically(file, text);
    writeAtomically(this.folder.currentBanditWeights(w.experiment), text);
    return file;
  }

  loadBanditWeights(): BanditWeights[] {
    const dir = this.folder.banditsDir;
    if (!existsSync(dir)) return [];
    const out: BanditWeights[] = [];
    for (const id of readdirSync(dir).sort()) {
      const file = this.folder.currentBanditWeights(id);
      if (!existsSync(file)) continue;
      let raw: unknown;
      try {
        raw = readJson(file);
      } catch (e) {
        throw new LeversError('WEIGHTS_INVALID', {
          experiment: id,
          problem: `not valid JSON (${(e as Error).message})`,
        });
      }
      const c = checkBanditWeights(raw);
      if (!c.ok) throw new LeversError('WEIGHTS_INVALID', { experiment: id, problem: c.problem });
      if (c.value.experiment !== id)
        throw new LeversError('WEIGHTS_INVALID', {
          experiment: id,
          problem: `the file names experiment ${c.value.experiment}`,
        });
      out.push(c.value);
    }
    return out;
  }
}
