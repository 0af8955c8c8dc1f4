import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeversError } from '../core/errors.js';
import { CsvFilesSink } from '../sim/csv-files-sink.js';
import type { SimOptions } from '../sim/params.js';
import { scenarioByName } from '../sim/scenarios.js';
import { simulate as runSimulation, type SimResult } from '../sim/simulate.js';
import { withDatabase, type Store } from '../store/port.js';

export interface SimulateRun {
  result: SimResult;
  /** Where the rows went: the store, or the folder of CSV files. */
  where: string;
  truthFile: string;
  seconds: number;
}

/**
 * Simulates a store whose truth is known, into the store (refusing to mix it with data already there unless
 * asked to replace it) or into canonical CSV files with the truth beside them.
 */
export async function simulate(
  store: Store,
  o: SimOptions,
  dest: { outDir?: string; replace?: boolean },
  onDay?: (day: number) => void,
): Promise<SimulateRun> {
  scenarioByName(o.scenario);
  if (o.changeDay !== undefined && o.changeDay >= o.days) {
    throw new LeversError('INVALID_OPTION', {
      option: 'changeDay',
      detail: `must be below the days simulated (${o.days})`,
    });
  }
  const t0 = performance.now();
  if (dest.outDir) {
    const sink = new CsvFilesSink(dest.outDir);
    const result = runSimulation(o, sink, onDay);
    sink.close();
    const truthFile = join(dest.outDir, 'truth.json');
    mkdirSync(dest.outDir, { recursive: true });
    writeFileSync(truthFile, `${JSON.stringify(result.truth, null, 2)}\n`);
    return { result, where: dest.outDir, truthFile, seconds: (performance.now() - t0) / 1000 };
  }
  const result = await withDatabase(store, async (db) => {
    if ((await db.rowCount()) > 0) {
      if (!dest.replace) throw new LeversError('STORE_NOT_EMPTY', { dir: store.location });
      await db.clear();
    }
    const load = await db.beginLoad();
    const r = runSimulation(o, load, onDay);
    await load.commit();
    return r;
  });
  return {
    result,
    where: store.location,
    truthFile: store.writeTruth(result.truth),
    seconds: (performance.now() - t0) / 1000,
  };
}
