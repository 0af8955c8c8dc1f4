import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { Baskets } from '../core/recs/baskets.js';
import {
  countPairShare,
  countPairs,
  mergePairHeaps,
  type Neighbour,
  neighboursOf,
  type PairHeaps,
  type PairOptions,
  pairShares,
  pairWork,
} from '../core/recs/pairs.js';
import type { PairShareTask } from './pairs-worker.js';

/**
 * Below this many pair counts (Σ basket size² / 2) one thread is done before workers would start (~30 ms each).
 */
export const PARALLEL_FROM = 20_000_000;

/**
 * countPairs on every core: the items are cut into shares of equal work (pairShares), each counted by a worker
 * thread over the baskets in shared memory, the calling thread counting the first; the heaps are merged in
 * share order. The result equals countPairs' exactly (the heaps' order is total), only sooner.
 */
export async function countPairsParallel(
  b: Baskets,
  opts: PairOptions,
  threads = availableParallelism(),
): Promise<Neighbour[][]> {
  if (threads < 2 || pairWork(b) < PARALLEL_FROM) return countPairs(b, opts);
  const cuts = pairShares(b, threads);
  const shared = {
    offsets: toShared(b.offsets),
    items: toShared(b.items),
    itemCounts: toShared(b.itemCounts),
  };
  const others = cuts.slice(2).map((to, s) => share({ ...shared, opts, from: cuts[s + 1]!, to }));
  // Settle every worker before merging, so a failure in one does not leave the others running unobserved.
  const first = countPairShare(b, opts, cuts[0]!, cuts[1]!);
  const rest = await Promise.all(others);
  for (const h of rest) mergePairHeaps(first, h);
  return neighboursOf(b, first);
}

function toShared(a: Int32Array): Int32Array {
  const s = new Int32Array(new SharedArrayBuffer(a.byteLength));
  s.set(a);
  return s;
}

function share(task: PairShareTask): Promise<PairHeaps> {
  return new Promise((resolve, reject) => {
    const w = new Worker(new URL('./pairs-worker.js', import.meta.url), { workerData: task });
    w.once('message', (h: PairHeaps) => resolve(h));
    w.once('error', reject);
    w.once('exit', (code) => {
      if (code !== 0) reject(new Error(`pair counting worker exited with code ${code}`));
    });
  });
}
