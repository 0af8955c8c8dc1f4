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
}
const indexes = new WeakMap<RecsModel, Index>();
function index(m: RecsModel): Index {
  let ix = indexes.get(m);
  if (!ix) indexes.set(m, (ix = { byId: new Map(m.items.map((it, i) => [it.id, i])), evidence: [] }));
  return ix;
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

/** Substitutes of the cart: the same family, or the same leaf category, as something already in it. */
function substitutes(m: RecsModel, cart: number[]): (j: number) => boolean {
  const fams = new Set(cart.map((i) => m.items[i]!.family).filter(Boolean));
  const cats = new Set(cart.map((i) => m.items[i]!.category).filter(Boolean));
  return (j) => {
    const it = m.items[j]!;
    return (it.family != null && fams.has(it.family)) || (it.category != null && cats.has(it.category));
  };
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
  const inCart = new Set(cart);
  const isSub = substitutes(m, cart);
  const base = (j: number) => m.items[j]!.count / m.baskets;
  const cand = new Map<number, { s: number; best: [number, number] }>();
  if (ranking === 'lift') {
    for (const i of cart) {
      for (const [j, count, , lift] of m.neighbours[i] ?? []) {
        if (inCart.has(j) || isSub(j)) continue;
        const e = cand.get(j) ?? { s: 0, best: [i, count] as [number, number] };
        e.s += lift;
        if (count > e.best[1]) e.best = [i, count];
        cand.set(j, e);
      }
    }
  } else if (ranking === 'shrunk') {
    // Products with too little history say nothing about the cart; if none has any, the category fallback
    // answers.
    const informative = cart.filter(
      (i) => m.items[i]!.count >= MIN_HISTORY && (m.neighbours[i]?.length ?? 0) > 0,
    );
    if (informative.length) shrunkCandidates(m, informative, k, inCart, isSub, cand);
  }
  const ranked = [...cand].sort((a, b) => b[1].s - a[1].s).slice(0, k);
  const out: RecItem[] = ranked.map(([j, e]) => {
    const p = ranking === 'lift' ? 0 : e.s;
    const via = m.items[e.best[0]]!;
    return {
      id: m.items[j]!.id,
      title: m.items[j]!.title,
      kind: 'cross-sell',
      priceMinor: m.items[j]!.priceMinor,
      score: e.s,
      probability: p,
      expectedValueMinor: value(m, j, p),
      reason:
        e.best[1] > 0
          ? `bought with ${via.title ?? via.id} in ${e.best[1]} of its ${via.count} orders`
          : `sells in ${Math.round(base(j) * 100)}% of orders`,
    };
  });
  if (out.length < k)
    out.push(...fallback(m, cart, k - out.length, new Set([...inCart, ...ranked.map(([j]) => j)]), isSub));
  return out;
}

/** Baskets a product needs before its own co-purchases are trusted. */
export const MIN_HISTORY = 5;

/** Reused per model: the hot path fills typed arrays instead of allocating sets and maps per call. */
interface Scratch {
  stamp: Int32Array;
  epoch: number;
  pool: Int32Array;
}
const scratches = new WeakMap<RecsModel, Scratch>();

function shrunkCandidates(
  m: RecsModel,
  cart: number[],
  k: number,
  inCart: Set<number>,
  isSub: (j: number) => boolean,
  cand: Map<number, { s: number; best: [number, number] }>,
): void {
  let sc = scratches.get(m);
  if (!sc)
    scratches.set(
      m,
      (sc = { stamp: new Int32Array(m.items.length), epoch: 0, pool: new Int32Array(m.items.length) }),
    );
  const epoch = ++sc.epoch;
  let n = 0;
  const add = (j: number) => {
    if (sc.stamp[j] !== epoch) {
      sc.stamp[j] = epoch;
      sc.pool[n++] = j;
    }
  };
  for (let q = 0; q < 50 && q < m.popular.length; q++) add(m.popular[q]!);
  for (const i of cart) {
    const list = m.neighbours[i];
    if (list) for (let q = 0; q < list.length; q++) add(list[q]![0]);
  }
  const evidence = cart.map((i) => evidenceOf(m, i));
  const full = cart.map((i) => (m.neighbours[i]?.length ?? 0) >= m.params.topK);
  const counts = cart.map((i) => m.items[i]!.count);
  // Keep only the best k (plus room for substitutes filtered later) by a running threshold.
  const top: { j: number; s: number; best: [number, number] }[] = [];
  for (let q = 0; q < n; q++) {
    const j = sc.pool[q]!;
    if (inCart.has(j) || isSub(j)) continue;
    const base = m.items[j]!.count / m.baskets;
    let miss = 1;
    let bi = cart[0]!;
    let bc = 0;
    for (let x = 0; x < cart.length; x++) {
      const c = evidence[x]!.get(j);
      // Absent from a full neighbour list: low lift, so about as often as chance; from a short list: (almost)
      // never together.
      const seen = c ?? (full[x] ? counts[x]! * base : 0);
      miss *= 1 - (seen + PRIOR * base) / (counts[x]! + PRIOR);
      if (c !== undefined && c > bc) {
        bc = c;
        bi = cart[x]!;
      }
    }
    const score = 1 - miss;
    if (top.length < k || score > top[top.length - 1]!.s) {
      let at = top.length;
      while (at > 0 && top[at - 1]!.s < score) at--;
      top.splice(at, 0, { j, s: score, best: [bi, bc] });
      if (top.length > k) top.pop();
    }
  }
  for (const t of top) cand.set(t.j, { s: t.s, best: t.best });
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

/** Too little history: co-bought categories, then what sells most. */
function fallback(
  m: RecsModel,
  cart: number[],
  k: number,
  taken: Set<number>,
  isSub: (j: number) => boolean,
): RecItem[] {
  const out: RecItem[] = [];
  const add = (j: number, kind: RecKind, reason: string) => {
    if (out.length >= k || taken.has(j) || isSub(j)) return;
    taken.add(j);
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
      for (const j of m.popular)
        if (m.items[j]!.category === other) add(j, 'category', `shoppers of ${c} also buy ${other}`);
    }
  }
  for (const j of m.popular) add(j, 'popular', `one of the most bought (${m.items[j]!.count} orders)`);
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
  const candidates = crossSell200(m, cart).filter(
    (r) =>
      r.priceMinor != null &&
      r.priceMinor >= gapMinor &&
      r.priceMinor <= Math.max(gapMinor * 2, gapMinor + slack),
  );
  return candidates
    .map((r) => {
      const it = m.items[index(m).byId.get(r.id)!]!;
      const margin =
        it.costMinor != null && it.priceMinor ? (it.priceMinor - it.costMinor) / it.priceMinor : null;
      return {
        ...r,
        kind: 'filler' as const,
        score: (r.score * (margin ?? 0.5)) / (r.priceMinor! / gapMinor),
        reason:
          `closes the ${formatMoney(gapMinor, m.currency)} gap to free shipping; ` +
          `${r.reason}${margin != null ? `; ${Math.round(margin * 100)}% margin` : ''}`,
      };
    })
    .sort((a, b) => b.score - a.score)
    .slice(0, k);
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
