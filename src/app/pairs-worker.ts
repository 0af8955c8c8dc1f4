import { parentPort, workerData } from 'node:worker_threads';
import { countPairShare, type PairOptions } from '../core/recs/pairs.js';

/** One share of the pair count (see pairs-parallel.ts): the baskets arrive in shared memory, the heaps go back. */
export interface PairShareTask {
  offsets: Int32Array;
  items: Int32Array;
  itemCounts: Int32Array;
  opts: PairOptions;
  from: number;
  to: number;
}

const task = workerData as PairShareTask;
const h = countPairShare(
  { names: [], offsets: task.offsets, items: task.items, itemCounts: task.itemCounts },
  task.opts,
  task.from,
  task.to,
);
// The heaps are the worker's own (not shared): moved to the caller, not copied.
parentPort!.postMessage(
  h,
  [h.hj, h.hs, h.hc, h.size].map((a) => a.buffer as ArrayBuffer),
);
