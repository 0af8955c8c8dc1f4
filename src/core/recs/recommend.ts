import { currencyExponent, formatMoney } from '../money.js';
import { idsKey, ModelMemo } from './memo.js';
import type { RecsModel } from './model.js';
import { PRIOR } from './pairs.js';

export { PAGES, type Page } from './pages.js';
import type { Page } from './pages.js';
export type RecKind =
  | 'cross-sell'
  | 'upsell'
  | 'filler'
  | 'post-purchase'
  | 'category'
  | 'popular'
  | 'habit'
  | 'reorder';

export interface RecContext {
  cart: readonly string[];
  page: Page;
  k: number;
  /** Amount still missing to free shipping (cart page), minor units. */
  gapMinor?: number;
  /** Value of the order just placed (thank-you page), minor units. */
  orderValueMinor?: number;
  /** Ranking for evaluation baselines; the default is the shrunk, cart-aware score. */
  ranking?: 'shrunk' | 'lift' | 'popular';
}

export interface RecItem {
  id: string;
  title: string | null;
  kind: RecKind;
  priceMinor: number | null;
  score: number;
  /** Estimated chance the shopper adds it, from the baskets. */
  probability: number;
  /** probability × (margin when costs are known, else price): the value of showing it. */
  expectedValueMinor: number | null;
  reason: string;
}

export interface RecResult {
  items: RecItem[];
  notes: string[];
}

interface Index {
  byId: Map<string, number>;
  /** Per item, its neighbours' counts by neighbour, built on first use: the hot path allocates no maps. */
  evidence: (Map<number, number> | undefined)[];
  /** The neighbour lists as compressed rows: item i's are to/count[start[i] .. start[i + 1]). */
  start: Int32Array;
  to: Int32Array;
  count: Float64Array;
  /** Each item's basket count, read without touching the item objects. */
  itemCount: Float64Array;
  /** Each item's family and category as small integers (−1 for none), for substitute checks by array. */
  family: Int32Array;
  category: Int32Array;
  scratch: Scratch;
}

/**
 * Reused per model: the hot path marks typed arrays by a per-call epoch instead of allocating sets and maps.
 * Not shared across threads (one model object per isolate), and no call re-enters another.
 */
interface Scratch {
  epoch: number;
  /** = epoch: the item is in the cart, or already taken. */
  taken: Int32Array;
  /** = epoch: the item is in the candidate pool, at slot[j]. */
  pooled: Int32Array;
  slot: Int32Array;
  pool: Int32Array;
  familyMark: Int32Array;
  categoryMark: Int32Array;
  /** Pool slot × informative cart item: the pair's count, or −1 when the neighbour list does not hold it. */
  counts: Float64Array;
}

const indexes = new WeakMap<RecsModel, Index>();
function index(m: RecsModel): Index {
  let ix = indexes.get(m);
  if (!ix) indexes.set(m, (ix = buildIndex(m)));
  return ix;
}

function buildIndex(m: RecsModel): Index {
  const n = m.items.length;
  const start = new Int32Array(n + 1);
  for (let i = 0; i < n; i++) start[i + 1] = start[i]! + (m.neighbours[i]?.length ?? 0);
  const to = new Int32Array(start[n]!);
  const count = new Float64Array(start[n]!);
  for (let i = 0; i < n; i++) {
    const list = m.neighbours[i] ?? [];
    for (let q = 0; q < list.length; q++) {
      to[start[i]! + q] = list[q]![0];
      count[start[i]! + q] = list[q]![1];
    }
  }
  // Families and categories as integers; an empty name is none, as the substitute rule reads it.
  const intern = (key: 'family' | 'category') => {
    const ids = new Map<string, number>();
    const out = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const v = m.items[i]![key];
      if (!v) out[i] = -1;
      else {
        let id = ids.get(v);
        if (id === undefined) ids.set(v, (id = ids.size));
        out[i] = id;
      }
    }
    return { out, size: ids.size };
  };
  const family = intern('family');
  const category = intern('category');
  return {
    byId: new Map(m.items.map((it, i) => [it.id, i])),
    evidence: [],
    start,
    to,
    count,
    itemCount: Float64Array.from(m.items, (it) => it.count),
    family: family.out,
    category: category.out,
    scratch: {
      epoch: 0,
      taken: new Int32Array(n),
      pooled: new Int32Array(n),
      slot: new Int32Array(n),
      pool: new Int32Array(n),
      familyMark: new Int32Array(family.size),
      categoryMark: new Int32Array(category.size),
      counts: new Float64Array(256),
    },
  };
}

/** A fresh epoch for one call's marks (the arrays are cleared when the counter would overflow). */
function nextEpoch(sc: Scratch): number {
  if (sc.epoch >= 0x3fffffff) {
    sc.epoch = 0;
    for (const a of [sc.taken, sc.pooled, sc.familyMark, sc.categoryMark]) a.fill(0);
  }
  return ++sc.epoch;
}

function evidenceOf(m: RecsModel, i: number): Map<number, number> {
  const ix = index(m);
  return (ix.evidence[i] ??= new Map((m.neighbours[i] ?? []).map(([j, count]) => [j, count])));
}

const value = (m: RecsModel, j: number, p: number): number | null => {
  const it = m.items[j]!;
  if (it.priceMinor == null) return null;
  return p * (it.costMinor != null ? it.priceMinor - it.costMinor : it.priceMinor);
};

/**
 * Marks the cart (as taken) and its substitutes (the same family, or the same leaf category, as something
 * already in it) under a fresh epoch; returns the epoch.
 */
function markCart(ix: Index, cart: readonly number[]): number {
  const sc = ix.scratch;
  const epoch = nextEpoch(sc);
  for (const i of cart) {
    sc.taken[i] = epoch;
    const f = ix.family[i]!;
    if (f >= 0) sc.familyMark[f] = epoch;
    const c = ix.category[i]!;
    if (c >= 0) sc.categoryMark[c] = epoch;
  }
  return epoch;
}

/** j is a substitute of the cart marked under epoch. */
function isSubstitute(ix: Index, epoch: number, j: number): boolean {
  const f = ix.family[j]!;
  if (f >= 0 && ix.scratch.familyMark[f] === epoch) return true;
  const c = ix.category[j]!;
  return c >= 0 && ix.scratch.categoryMark[c] === epoch;
}

interface Ranked {
  j: number;
  s: number;
  /** The cart item with the most evidence for j, and its count. */
  bi: number;
  bc: number;
}

/**
 * R2: each candidate's chance of joining this cart, from every cart item at once: 1 − Π (1 − P(j | i)), with
 * P(j | i) shrunk towards j's base rate by PRIOR pseudo-baskets (rare pairs say little; a pair never seen
 * says "seldom"). In-cart items and substitutes are out. Ranking by that chance beats both lift (blind to how
 * often things sell) and popularity (blind to the cart): see eval-recs in the README.
 */
export function crossSell(
  m: RecsModel,
  cart: number[],
  k: number,
  ranking: RecContext['ranking'] = 'shrunk',
): RecItem[] {
  const ix = index(m);
  const sc = ix.scratch;
  const epoch = markCart(ix, cart);
  let ranked: Ranked[] = [];
  if (ranking === 'lift') {
    const cand = new Map<number, { s: number; best: [number, number] }>();
    for (const i of cart) {
      for (const [j, count, , lift] of m.neighbours[i] ?? []) {
        if (sc.taken[j] === epoch || isSubstitute(ix, epoch, j)) continue;
        const e = cand.get(j) ?? { s: 0, best: [i, count] as [number, number] };
        e.s += lift;
        if (count > e.best[1]) e.best = [i, count];
        cand.set(j, e);
      }
    }
    ranked = [...cand]
      .sort((a, b) => b[1].s - a[1].s)
      .slice(0, k)
      .map(([j, e]) => ({ j, s: e.s, bi: e.best[0], bc: e.best[1] }));
  } else if (ranking === 'shrunk') {
    // Products with too little history say nothing about the cart; if none has any, the category fallback
    // answers.
    const informative: number[] = [];
    for (const i of cart)
      if (m.items[i]!.count >= MIN_HISTORY && ix.start[i + 1]! > ix.start[i]!) informative.push(i);
    if (informative.length)
      ranked = shrunkCandidates(m, ix, informative, k, epoch)
        .sort((a, b) => b.s - a.s)
        .slice(0, k);
  }
  const items: RecItem[] = ranked.map(({ j, s, bi, bc }) => {
    const p = ranking === 'lift' ? 0 : s;
    const via = m.items[bi]!;
    return {
      id: m.items[j]!.id,
      title: m.items[j]!.title,
      kind: 'cross-sell',
      priceMinor: m.items[j]!.priceMinor,
      score: s,
      probability: p,
      expectedValueMinor: value(m, j, p),
      reason:
        bc > 0
          ? `bought with ${via.title ?? via.id} in ${bc} of its ${via.count} orders`
          : `sells in ${Math.round((m.items[j]!.count / m.baskets) * 100)}% of orders`,
    };
  });
  if (items.length < k) {
    for (const r of ranked) sc.taken[r.j] = epoch;
    items.push(...fallback(m, ix, cart, k - items.length, epoch));
  }
  return items;
}

/** Baskets a product needs before its own co-purchases are trusted. */
export const MIN_HISTORY = 5;

/**
 * The best k candidates (the most popular items and the cart's neighbours, less the cart and its substitutes
 * marked under epoch) by the shrunk chance, best first, ties in pool order.
 */
function shrunkCandidates(m: RecsModel, ix: Index, cart: number[], k: number, epoch: number): Ranked[] {
  const sc = ix.scratch;
  let n = 0;
  const add = (j: number) => {
    if (sc.pooled[j] !== epoch) {
      sc.pooled[j] = epoch;
      sc.slot[j] = n;
      sc.pool[n++] = j;
    }
  };
  for (let q = 0; q < 50 && q < m.popular.length; q++) add(m.popular[q]!);
  for (const i of cart) for (let e = ix.start[i]!; e < ix.start[i + 1]!; e++) add(ix.to[e]!);
  // Each pool slot's count with each cart item (−1 when absent from that item's list; a repeated neighbour
  // keeps its last count, as a map would).
  const L = cart.length;
  if (sc.counts.length < n * L) sc.counts = new Float64Array(Math.max(n * L, 2 * sc.counts.length));
  const counts = sc.counts;
  counts.fill(-1, 0, n * L);
  const full: boolean[] = [];
  const sizes: number[] = [];
  for (let x = 0; x < L; x++) {
    const i = cart[x]!;
    for (let e = ix.start[i]!; e < ix.start[i + 1]!; e++) counts[sc.slot[ix.to[e]!]! * L + x] = ix.count[e]!;
    full.push(ix.start[i + 1]! - ix.start[i]! >= m.params.topK);
    sizes.push(m.items[i]!.count);
  }
  // Keep only the best k by a running threshold, best first; an equal score goes after those already kept.
  const top: Ranked[] = [];
  for (let q = 0; q < n; q++) {
    const j = sc.pool[q]!;
    if (sc.taken[j] === epoch || isSubstitute(ix, epoch, j)) continue;
    const base = ix.itemCount[j]! / m.baskets;
    let miss = 1;
    let bi = cart[0]!;
    let bc = 0;
    for (let x = 0; x < L; x++) {
      const c = counts[q * L + x]!;
      // Absent from a full neighbour list: low lift, so about as often as chance; from a short list: (almost)
      // never together.
      const seen = c >= 0 ? c : full[x] ? sizes[x]! * base : 0;
      miss *= 1 - (seen + PRIOR * base) / (sizes[x]! + PRIOR);
      if (c >= 0 && c > bc) {
        bc = c;
        bi = cart[x]!;
      }
    }
    const score = 1 - miss;
    if (top.length < k || score > top[top.length - 1]!.s) {
      let at = top.length;
      while (at > 0 && top[at - 1]!.s < score) at--;
      top.splice(at, 0, { j, s: score, bi, bc });
      if (top.length > k) top.pop();
    }
  }
  return top;
}

/**
 * The chance that item j joins this cart without any prompt, by the same shrunk estimate R2 ranks with; null
 * when no cart item has the history to say (no evidence: an offer must not claim value from it).
 */
export function joinProbability(m: RecsModel, cart: readonly number[], j: number): number | null {
  const base = m.items[j]!.count / m.baskets;
  let miss = 1;
  let informative = 0;
  for (const i of cart) {
    const count = m.items[i]!.count;
    if (i === j || count < MIN_HISTORY || !(m.neighbours[i]?.length ?? 0)) continue;
    informative++;
    const c = evidenceOf(m, i).get(j);
    const seen = c ?? ((m.neighbours[i]?.length ?? 0) >= m.params.topK ? count * base : 0);
    miss *= 1 - (seen + PRIOR * base) / (count + PRIOR);
  }
  return informative ? 1 - miss : null;
}

/** Too little history: co-bought categories, then what sells most; not the cart, its substitutes or what is taken. */
function fallback(m: RecsModel, ix: Index, cart: number[], k: number, epoch: number): RecItem[] {
  const sc = ix.scratch;
  const out: RecItem[] = [];
  const open = (j: number) => sc.taken[j] !== epoch && !isSubstitute(ix, epoch, j);
  const add = (j: number, kind: RecKind, reason: string) => {
    sc.taken[j] = epoch;
    const p = m.items[j]!.count / m.baskets;
    out.push({
      id: m.items[j]!.id,
      title: m.items[j]!.title,
      kind,
      priceMinor: m.items[j]!.priceMinor,
      score: 0,
      probability: p,
      expectedValueMinor: value(m, j, p),
      reason,
    });
  };
  for (const c of new Set(cart.map((i) => m.items[i]!.category).filter((x): x is string => !!x))) {
    for (const [other] of m.categories[c] ?? []) {
      for (const j of m.popular) {
        if (out.length >= k) return out;
        if (m.items[j]!.category === other && open(j))
          add(j, 'category', `shoppers of ${c} also buy ${other}`);
      }
    }
  }
  for (const j of m.popular) {
    if (out.length >= k) return out;
    if (open(j)) add(j, 'popular', `one of the most bought (${m.items[j]!.count} orders)`);
  }
  return out;
}

/**
 * R3: a better version of a cart item: same family (else category), 10%–100% dearer, chosen by how often
 * shoppers pick it.
 */
export function upsell(m: RecsModel, cart: number[], k: number): RecItem[] {
  const out: RecItem[] = [];
  for (const i of cart) {
    const base = m.items[i]!;
    if (base.priceMinor == null) continue;
    const group = m.items
      .map((it, j) => ({ it, j }))
      .filter(
        ({ it, j }) =>
          j !== i &&
          it.priceMinor != null &&
          (base.family
            ? it.family === base.family
            : base.category != null && it.category === base.category) &&
          it.priceMinor >= base.priceMinor! * 1.1 &&
          it.priceMinor <= base.priceMinor! * 2,
      );
    for (const { it } of group) {
      const share = it.count / (it.count + base.count);
      out.push({
        id: it.id,
        title: it.title,
        kind: 'upsell',
        priceMinor: it.priceMinor,
        score: share,
        probability: share,
        expectedValueMinor: share * (it.priceMinor! - base.priceMinor),
        reason:
          `${base.family ? 'same family' : 'same category'} as ${base.title ?? base.id}, ` +
          `${Math.round((it.priceMinor! / base.priceMinor - 1) * 100)}% dearer; ` +
          `${Math.round(share * 100)}% of shoppers choosing between them take it`,
      });
    }
  }
  return out.sort((a, b) => (b.expectedValueMinor ?? 0) - (a.expectedValueMinor ?? 0)).slice(0, k);
}

/**
 * R4: cheap, high-margin complements that close the gap to free shipping (price ≥ gap, as little above as
 * possible).
 */
export function fillers(m: RecsModel, cart: number[], gapMinor: number, k: number): RecItem[] {
  // Up to twice the gap, and for a tiny gap up to five units of the currency above it (five dollars, five
  // yen).
  const slack = 5 * 10 ** currencyExponent(m.currency);
  const hi = Math.max(gapMinor * 2, gapMinor + slack);
  // Scored first and described after the cut: only the k kept get their object and reason written (the sort is
  // stable, so ties keep the pool's order either way).
  const scored: { r: RecItem; margin: number | null; score: number }[] = [];
  for (const r of crossSell200(m, cart)) {
    if (r.priceMinor == null || r.priceMinor < gapMinor || r.priceMinor > hi) continue;
    const it = m.items[index(m).byId.get(r.id)!]!;
    const margin =
      it.costMinor != null && it.priceMinor ? (it.priceMinor - it.costMinor) / it.priceMinor : null;
    scored.push({ r, margin, score: (r.score * (margin ?? 0.5)) / (r.priceMinor / gapMinor) });
  }
  return scored
    .sort((a, b) => b.score - a.score)
    .slice(0, k)
    .map(({ r, margin, score }) => ({
      ...r,
      kind: 'filler' as const,
      score,
      reason:
        `closes the ${formatMoney(gapMinor, m.currency)} gap to free shipping; ` +
        `${r.reason}${margin != null ? `; ${Math.round(margin * 100)}% margin` : ''}`,
    }));
}

const wide = new ModelMemo<RecItem[]>();
/**
 * The 200 likeliest joiners of a cart, which fillers and complements pick from by price: a function of the
 * cart's products only, so it is kept per snapshot (the answer is never mutated: callers filter and copy).
 */
const crossSell200 = (m: RecsModel, cart: number[]): readonly RecItem[] =>
  wide.get(m, idsKey(cart), () => crossSell(m, cart, 200));

/** R5: complements of the order just placed, priced at 12.5–25% of it, so the offer cannot cost the sale. */
export function postPurchase(m: RecsModel, cart: number[], orderValueMinor: number, k: number): RecItem[] {
  return crossSell200(m, cart)
    .filter(
      (r) =>
        r.priceMinor != null &&
        r.priceMinor >= orderValueMinor * 0.125 &&
        r.priceMinor <= orderValueMinor * 0.25,
    )
    .slice(0, k)
    .map((r) => ({
      ...r,
      kind: 'post-purchase' as const,
      reason: `${r.reason}; priced at ${Math.round((r.priceMinor! / orderValueMinor) * 100)}% of the order`,
    }));
}

export function recommend(m: RecsModel, ctx: RecContext): RecResult {
  const notes: string[] = [];
  const ix = index(m);
  const cart: number[] = [];
  for (const id of ctx.cart) {
    const i = ix.byId.get(id);
    if (i === undefined)
      notes.push(`unknown product ${id}: not in the model's ${m.baskets} baskets, ignored`);
    else cart.push(i);
  }
  if (ctx.cart.length === 0) notes.push('empty cart: most bought items');
  const k = ctx.k;
  let items: RecItem[];
  switch (ctx.page) {
    case 'product': {
      // Room is kept for upsells so that a long cross-sell list cannot crowd them out.
      const ups = upsell(m, cart, Math.max(1, Math.floor(k / 3)));
      items = [...crossSell(m, cart, Math.max(1, k - ups.length), ctx.ranking), ...ups];
      break;
    }
    case 'cart':
      items =
        ctx.gapMinor && ctx.gapMinor > 0
          ? [
              ...fillers(m, cart, ctx.gapMinor, Math.max(1, Math.floor(k / 2))),
              ...crossSell(m, cart, k, ctx.ranking),
            ]
          : crossSell(m, cart, k, ctx.ranking);
      // Fillers come first and may repeat a cross-sell item; duplicates are dropped below.
      break;
    case 'checkout':
      items = ctx.gapMinor && ctx.gapMinor > 0 ? fillers(m, cart, ctx.gapMinor, k) : [];
      if (!items.length)
        notes.push('checkout: only free-shipping fillers are shown here, and none is needed or fits');
      break;
    case 'thankyou': {
      const value = ctx.orderValueMinor ?? cart.reduce((s, i) => s + (m.items[i]!.priceMinor ?? 0), 0);
      items = postPurchase(m, cart, value, k);
      if (!items.length)
        notes.push(
          `thank-you: no complement priced at 12.5–25% of the ${formatMoney(value, m.currency)} order`,
        );
      break;
    }
  }
  const seen = new Set<string>();
  return { items: items.filter((r) => !seen.has(r.id) && seen.add(r.id)).slice(0, k), notes };
}
