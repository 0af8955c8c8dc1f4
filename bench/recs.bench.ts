import { readFileSync } from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { ingest } from '../src/app/ingest.js';
import { mine } from '../src/app/mine.js';
import { countPairsParallel } from '../src/app/pairs-parallel.js';
import { openStore } from '../src/store/open.js';
import { DuckDBInstance } from '@duckdb/node-api';
import { FPGrowth } from 'node-fpgrowth';
import { basketCount, encodeBaskets, type Baskets } from '../src/core/recs/baskets.js';
import { frequentItemsets } from '../src/core/recs/itemsets.js';
import type { RecsModel } from '../src/core/recs/model.js';
import { countPairs } from '../src/core/recs/pairs.js';
import { recommend } from '../src/core/recs/recommend.js';
import { Rng } from '../src/core/rng.js';
import { ROOT } from '../test/helpers.js';
import { benchRow, ratioOf } from './table.js';

/** Recommendation benchmarks, each beside a baseline measured in the same run. */
const ms = (t0: number) => performance.now() - t0;
const best = async (n: number, f: () => unknown | Promise<unknown>) => {
  let b = Infinity;
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    await f();
    b = Math.min(b, ms(t0));
  }
  return b;
};

async function mining(): Promise<void> {
  const RUNS = 5;
  const file = resolve(ROOT, '..', 'shared', 'data', 'groceries', 'groceries_baskets.csv');
  const lists = readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => l.split(','));
  let ours = 0;
  let theirs = 0;
  const oursMs = await best(RUNS, () => {
    const b = encodeBaskets(lists);
    ours = frequentItemsets(b, 0.001).length;
  });
  const theirsMs = await best(RUNS, async () => {
    theirs = (await new FPGrowth<string>(0.001).exec(lists)).length;
  });
  console.log('frequent itemsets, Groceries at min support 0.001 (best of runs, encoding included)');
  console.log(`  levers (Eclat over typed arrays)  ${oursMs.toFixed(0)} ms  (${ours} itemsets)`);
  console.log(`  node-fpgrowth                     ${theirsMs.toFixed(0)} ms  (${theirs} itemsets)`);
  console.log(`  speed-up                          ${(theirsMs / oursMs).toFixed(1)}x`);
  benchRow({
    workload: 'itemsets, Groceries @ 0.001',
    levers: `${oursMs.toFixed(0)} ms (best of ${RUNS})`,
    baseline: `node-fpgrowth ${theirsMs.toFixed(0)} ms (best of ${RUNS})`,
    ratio: `${(theirsMs / oursMs).toFixed(1)}x faster`,
    goal: '≥ 10x faster',
  });
}

/**
 * 3M orders of ~10 distinct items over 20,000 products with a long-tail popularity, built straight into typed
 * arrays (one growing array, not one per order: the baskets cost their 132 MB, not a gigabyte of garbage).
 */
function syntheticBaskets(orders: number, products: number): Baskets {
  const rng = new Rng(7);
  const offsets = new Int32Array(orders + 1);
  let items = new Int32Array(orders * 11);
  let total = 0;
  const seen = new Set<number>();
  for (let o = 0; o < orders; o++) {
    const size = 2 + Math.floor(rng.next() * 17);
    seen.clear();
    // A basket draws around a theme (neighbouring ids) plus popular items, so pairs are not uniform.
    const theme = Math.floor(rng.next() * products);
    while (seen.size < size) {
      const popular = rng.chance(0.3);
      const id = popular
        ? Math.floor(products * rng.next() ** 4)
        : (theme + Math.floor(rng.next() * 40)) % products;
      seen.add(id);
    }
    if (total + seen.size > items.length) {
      const grown = new Int32Array(items.length * 2);
      grown.set(items);
      items = grown;
    }
    const at = total;
    for (const id of seen) items[total++] = id;
    items.subarray(at, total).sort();
    offsets[o + 1] = total;
  }
  items = items.slice(0, total);
  const itemCounts = new Int32Array(products);
  for (const i of items) itemCounts[i]!++;
  return { names: Array.from({ length: products }, (_, i) => `p${i}`), offsets, items, itemCounts };
}

async function pairCounting(): Promise<RecsModel> {
  const b = syntheticBaskets(3_000_000, 20_000);
  const lines = b.items.length;
  const rssBefore = process.memoryUsage().rss;
  // What `levers mine` runs: the count on every core (the baseline's DuckDB uses them too).
  const t0 = performance.now();
  const pairs = await countPairsParallel(b, { minCount: 2, topK: 50 });
  const ours = ms(t0);
  // maxRSS is the process's high-water mark so far: generating the baskets and counting their pairs.
  const peak = process.resourceUsage().maxRSS * 1024;
  const t3 = performance.now();
  countPairs(b, { minCount: 2, topK: 50 });
  const oneThread = ms(t3);
  console.log(
    `pair counting, ${basketCount(b).toLocaleString('en-US')} orders, ${lines.toLocaleString('en-US')} ` +
      `lines, 20,000 products`,
  );
  console.log(
    `  levers countPairsParallel (${availableParallelism()} threads) ${(ours / 1000).toFixed(2)} s, peak RSS ` +
      `${(peak / 2 ** 30).toFixed(2)} GB (process, baskets included; ${(rssBefore / 2 ** 30).toFixed(2)} ` +
      `GB before counting)`,
  );
  console.log(`  levers countPairs, one thread     ${(oneThread / 1000).toFixed(2)} s`);
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.run('CREATE TABLE bl (o INTEGER, i INTEGER)');
  const app = await conn.createAppender('bl');
  for (let o = 0; o < basketCount(b); o++) {
    for (let k = b.offsets[o]!; k < b.offsets[o + 1]!; k++) {
      app.appendInteger(o);
      app.appendInteger(b.items[k]!);
      app.endRow();
    }
  }
  app.closeSync();
  const t1 = performance.now();
  const r = await conn.runAndReadAll(
    `SELECT count(*) FROM (SELECT a.i, c.i, count(*) AS n FROM bl a JOIN bl c ON a.o = c.o AND a.i < c.i ` +
      `GROUP BY 1, 2 HAVING count(*) >= 2)`,
  );
  const duck = ms(t1);
  conn.closeSync();
  inst.closeSync();
  console.log(
    `  baseline: DuckDB self-join        ${(duck / 1000).toFixed(2)} s ` +
      `(${Number(r.getRows()[0]![0]).toLocaleString('en-US')} pairs with count ≥ 2)`,
  );
  console.log(`  ratio DuckDB / levers             ${(duck / ours).toFixed(1)}x`);
  benchRow({
    workload: `pair counting, ${(basketCount(b) / 1e6).toFixed(0)}M orders / ${(lines / 1e6).toFixed(0)}M lines`,
    levers: `${(ours / 1000).toFixed(2)} s (${availableParallelism()} threads; one: ${(oneThread / 1000).toFixed(2)} s), ${(peak / 2 ** 30).toFixed(2)} GB peak RSS`,
    baseline: `DuckDB self-join ${(duck / 1000).toFixed(2)} s`,
    ratio: ratioOf(ours, duck),
    goal: '< 5 s, < 1.5 GB',
  });
  const rng = new Rng(3);
  return {
    format: 1,
    version: 0,
    createdAt: '',
    currency: 'USD',
    params: { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 50 },
    baskets: basketCount(b),
    items: b.names.map((id, i) => ({
      id,
      title: id,
      category: `c${i % 200}`,
      family: null,
      priceMinor: 500 + rng.int(0, 10_000),
      costMinor: null,
      count: b.itemCounts[i]!,
    })),
    neighbours: pairs.map((l) => l.map((x) => [x.to, x.count, x.confidence, x.lift, x.score])),
    rules: [],
    bundles: [],
    categories: {},
    popular: [...b.itemCounts.keys()].sort((x, y) => b.itemCounts[y]! - b.itemCounts[x]!).slice(0, 500),
  };
}

function serving(m: RecsModel, label: string): { ours: number; base: number } {
  const rng = new Rng(11);
  const ids = m.items.map((x) => x.id);
  const carts = Array.from({ length: 20_000 }, () =>
    Array.from({ length: 1 + rng.int(0, 4) }, () => ids[Math.floor(ids.length * rng.next() ** 2)]!),
  );
  const time = (ranking: 'shrunk' | 'popular') => {
    const t: number[] = [];
    for (const cart of carts) {
      const t0 = performance.now();
      recommend(m, { cart, page: 'cart', k: 10, ranking });
      t.push((performance.now() - t0) * 1000);
    }
    t.sort((a, b) => a - b);
    return { p50: t[Math.floor(t.length * 0.5)]!, p99: t[Math.floor(t.length * 0.99)]! };
  };
  // One warm-up pass each side, then one measured pass each over the same carts.
  time('shrunk');
  time('popular');
  const ours = time('shrunk');
  const base = time('popular');
  console.log(
    `serving a cart recommendation from the in-memory snapshot: ${label} (20,000 carts of 1–5 items, k = 10)`,
  );
  console.log(
    `  cart-aware cross-sell             p50 ${ours.p50.toFixed(0)} µs, p99 ${ours.p99.toFixed(0)} µs`,
  );
  console.log(
    `  baseline: popularity only         p50 ${base.p50.toFixed(0)} µs, p99 ${base.p99.toFixed(0)} µs`,
  );
  return { ours: ours.p99, base: base.p99 };
}

async function onlineRetailModel(): Promise<RecsModel> {
  const dir = mkdtempSync(join(tmpdir(), 'levers-bench-recs-'));
  const store = openStore(dir);
  await ingest(
    store,
    'online-retail',
    [resolve(ROOT, '..', 'shared', 'data', 'online_retail', 'online_retail.csv.gz')],
    { runId: 'bench' },
  );
  const m = (
    await mine(store, { minSupport: 0.01, minConfidence: 0.3, maxLen: 4, topK: 50 }, { createdAt: '' })
  ).model;
  rmSync(dir, { recursive: true, force: true });
  return m;
}

await mining();
// The synthetic model is not kept once served: the process then holds one snapshot, as a server does, and
// its collector does not mark a million neighbour lists while Online Retail is timed.
const synthetic = serving(await pairCounting(), 'synthetic, 20,000 products');
const retail = serving(await onlineRetailModel(), `Online Retail, 3,927 products`);
benchRow({
  workload: 'cart recommendation in process, under load',
  levers: `p99 ${synthetic.ours.toFixed(0)} µs (20k products), ${retail.ours.toFixed(0)} µs (Online Retail)`,
  baseline: `popularity p99 ${synthetic.base.toFixed(0)} µs, ${retail.base.toFixed(0)} µs`,
  ratio: `${ratioOf(synthetic.ours, synthetic.base)}, ${ratioOf(retail.ours, retail.base)}`,
  goal: 'p99 < 150 µs',
});
