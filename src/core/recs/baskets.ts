/**
 * Baskets as compressed rows over integer item ids: items[offsets[b] .. offsets[b+1]) are basket b's distinct
 * items, sorted. Typed arrays keep millions of baskets in a few hundred megabytes.
 */
export interface Baskets {
  /** Item id → external id (SKU or product id). */
  names: string[];
  offsets: Int32Array;
  items: Int32Array;
  /** Baskets containing each item. */
  itemCounts: Int32Array;
}

export function basketCount(b: Baskets): number {
  return b.offsets.length - 1;
}

/** Builds baskets from lists of names; duplicates within a basket count once. */
export function encodeBaskets(lists: Iterable<readonly string[]>): Baskets {
  const ids = new Map<string, number>();
  const names: string[] = [];
  const offsets: number[] = [0];
  const items: number[] = [];
  for (const list of lists) {
    const set = new Set<number>();
    for (const name of list) {
      let id = ids.get(name);
      if (id === undefined) {
        id = names.length;
        ids.set(name, id);
        names.push(name);
      }
      set.add(id);
    }
    const sorted = [...set].sort((a, b) => a - b);
    items.push(...sorted);
    offsets.push(items.length);
  }
  const itemArr = Int32Array.from(items);
  const itemCounts = new Int32Array(names.length);
  for (const i of itemArr) itemCounts[i]!++;
  return { names, offsets: Int32Array.from(offsets), items: itemArr, itemCounts };
}

/** For each item, the baskets that contain it (the transpose), as compressed rows too. */
export function itemTidlists(b: Baskets): Int32Array[] {
  const lists = Array.from(b.itemCounts, (n) => new Int32Array(n));
  const fill = new Int32Array(b.names.length);
  const n = basketCount(b);
  for (let t = 0; t < n; t++) {
    for (let k = b.offsets[t]!; k < b.offsets[t + 1]!; k++) {
      const i = b.items[k]!;
      lists[i]![fill[i]!++] = t;
    }
  }
  return lists;
}
