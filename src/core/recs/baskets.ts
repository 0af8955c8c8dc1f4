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
  let offsets: Int32Array = new Int32Array(1024);
  let items: Int32Array = new Int32Array(4096);
  // seen[id] = the 1-based number of the basket that last held id: duplicates are dropped without a set.
  let seen: Int32Array = new Int32Array(256);
  let n = 0;
  let len = 0;
  for (const list of lists) {
    const start = len;
    const stamp = n + 1;
    for (const name of list) {
      let id = ids.get(name);
      if (id === undefined) {
        id = names.length;
        ids.set(name, id);
        names.push(name);
        if (id >= seen.length) seen = grown(seen, id + 1);
      }
      if (seen[id] === stamp) continue;
      seen[id] = stamp;
      if (len === items.length) items = grown(items, len + 1);
      items[len++] = id;
    }
    sortRange(items, start, len);
    if (n + 2 > offsets.length) offsets = grown(offsets, n + 2);
    offsets[++n] = len;
  }
  const itemArr = items.slice(0, len);
  const itemCounts = new Int32Array(names.length);
  for (let p = 0; p < len; p++) itemCounts[itemArr[p]!]!++;
  return { names, offsets: offsets.slice(0, n + 1), items: itemArr, itemCounts };
}

/** A copy of `a` with room for at least `need` values (doubling, so appends stay linear). */
function grown(a: Int32Array, need: number): Int32Array {
  const b = new Int32Array(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/** Sorts a[from, to) ascending: insertion sort for the short runs baskets are, the built-in sort otherwise. */
function sortRange(a: Int32Array, from: number, to: number): void {
  if (to - from > 32) {
    a.subarray(from, to).sort();
    return;
  }
  for (let i = from + 1; i < to; i++) {
    const x = a[i]!;
    let j = i - 1;
    while (j >= from && a[j]! > x) {
      a[j + 1] = a[j]!;
      j--;
    }
    a[j + 1] = x;
  }
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
