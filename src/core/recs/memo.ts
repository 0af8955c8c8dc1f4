import type { RecsModel } from './model.js';

/**
 * A bounded cache per model snapshot for pure functions of the model and a cart's products: storefront carts
 * come back with new prices and quantities far more often than with new products, and what the model says of
 * a set of products does not depend on either. Held per snapshot (a reload starts afresh), at most `max`
 * entries (cleared whole when full: no per-entry bookkeeping on the hot path).
 */
export class ModelMemo<V> {
  private readonly byModel = new WeakMap<RecsModel, Map<string, V>>();

  constructor(private readonly max = 20_000) {}

  get(model: RecsModel, key: string, compute: () => V): V {
    let m = this.byModel.get(model);
    if (!m) this.byModel.set(model, (m = new Map()));
    let v = m.get(key);
    if (v === undefined) {
      v = compute();
      if (m.size >= this.max) m.clear();
      m.set(key, v);
    }
    return v;
  }
}

/** A key for a list of ids that no two different lists share (each id is length-prefixed). */
export function idsKey(ids: readonly (string | number)[]): string {
  let k = '';
  for (const id of ids) {
    const s = String(id);
    k += `${s.length}:${s}`;
  }
  return k;
}
