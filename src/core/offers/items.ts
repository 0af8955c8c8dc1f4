import type { RecsModel } from '../recs/model.js';

const indexes = new WeakMap<RecsModel, Map<string, RecsModel['items'][number]>>();

/** The snapshot's items by id, built once per snapshot: the hot path allocates no index. */
export function itemsById(model: RecsModel): Map<string, RecsModel['items'][number]> {
  let ix = indexes.get(model);
  if (!ix) indexes.set(model, (ix = new Map(model.items.map((it) => [it.id, it]))));
  return ix;
}

const positions = new WeakMap<RecsModel, Map<string, number>>();

/** An item's index in the snapshot (the recommender's arrays are indexed by it). */
export function indexOfItem(model: RecsModel, id: string): number | undefined {
  let ix = positions.get(model);
  if (!ix) positions.set(model, (ix = new Map(model.items.map((it, i) => [it.id, i]))));
  return ix.get(id);
}
