import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { LeversError } from '../core/errors.js';
import { basketCount, encodeBaskets, type Baskets } from '../core/recs/baskets.js';
import { evaluate } from '../core/recs/evaluate.js';
import { buildModel, type ItemMeta, type MineParams, type RecsModel } from '../core/recs/model.js';
import { PAGES, recommend } from '../core/recs/recommend.js';
import { currencyExponent } from '../core/money.js';
import type { Store } from '../store/connection.js';
import { customerHistory, itemInfo, loadBaskets, repeatCustomerHistories } from '../store/queries/baskets.js';
import { mainCurrency } from '../store/queries/currency.js';
import { customerHabits, habitItems, type CustomerHistories } from '../core/recs/habits.js';
import { DAY_MS, parseTimestamp } from '../core/time.js';
import { parseOptions } from './options.js';
import { int, printJson, table } from './output.js';
import { storeDir, withStore } from './store-option.js';

const MineOptions = z.object({
  minSupport: z.coerce.number().gt(0).max(1, 'is a fraction of baskets, e.g. 0.01'),
  minConfidence: z.coerce.number().min(0).max(1),
  maxLen: z.coerce.number().int().min(2).max(6),
  topK: z.coerce.number().int().min(1).max(500),
  baskets: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** One basket per line, items separated by commas (the Groceries file's shape). */
export function readBasketFile(file: string): string[][] {
  if (!existsSync(file)) throw new LeversError('FILE_NOT_FOUND', { file });
  return readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l.trim()).map((l) => l.split(',').map((x) => x.trim()).filter(Boolean));
}


export async function mineModel(store: Store, p: MineParams, basketsFile?: string, before?: string): Promise<RecsModel> {
  let baskets: Baskets;
  let meta = new Map<string, ItemMeta>();
  const currency = basketsFile ? 'USD' : (await mainCurrency(store)) ?? 'USD';
  if (basketsFile) baskets = encodeBaskets(readBasketFile(basketsFile));
  else {
    baskets = (await loadBaskets(store, before ? { before } : {})).baskets;
    meta = await itemInfo(store, baskets.names, currencyExponent(currency));
  }
  if (basketCount(baskets) === 0) throw new LeversError('NO_DATA', { what: 'orders with product lines', hint: 'load orders with their lines first, or pass --baskets FILE' });
  const dir = store.path('models');
  mkdirSync(dir, { recursive: true });
  const versions = readdirSync(dir).map((f) => /^recs-v(\d+)\.json$/.exec(f)?.[1]).filter(Boolean).map(Number);
  return buildModel(baskets, meta, p, { version: Math.max(0, ...versions) + 1, createdAt: new Date().toISOString(), currency });
}

export function saveModel(store: Store, m: RecsModel): string {
  const file = store.path('models', `recs-v${m.version}.json`);
  writeFileSync(file, JSON.stringify(m));
  // A running server reloads recs.json on SIGHUP: it must never see half a file, so the new one is renamed into place.
  const tmp = store.path('models', `.recs.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(m));
  renameSync(tmp, store.path('models', 'recs.json'));
  return file;
}

/** Repeat customers' recent orders beside the snapshot, so the server can offer habits and reorders (R6) from memory. */
export async function saveHistories(store: Store, version: number): Promise<number> {
  const h: CustomerHistories = { format: 1, version, customers: await repeatCustomerHistories(store) };
  const tmp = store.path('models', `.customers.json.${process.pid}.tmp`);
  writeFileSync(tmp, JSON.stringify(h));
  renameSync(tmp, store.path('models', 'customers.json'));
  return Object.keys(h.customers).length;
}

/** The histories snapshot, or null when the model was mined from a basket file (no customers). */
export function loadHistories(storeDir: string): CustomerHistories | null {
  const file = join(storeDir, 'models', 'customers.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as CustomerHistories) : null;
}

export function loadModel(storeDir: string): RecsModel {
  const file = join(storeDir, 'models', 'recs.json');
  if (!existsSync(file)) throw new LeversError('NO_DATA', { what: 'recommendation model', hint: 'run levers mine first' });
  return JSON.parse(readFileSync(file, 'utf8')) as RecsModel;
}

export function registerRecs(program: Command): void {
  program
    .command('mine')
    .description('mine bought-together pairs, rules and bundles into a versioned model snapshot')
    .option('--min-support <s>', 'minimum share of baskets for itemsets and rules', '0.01')
    .option('--min-confidence <c>', 'minimum rule confidence', '0.3')
    .option('--max-len <k>', 'longest itemset (bundles of 2..k)', '4')
    .option('--top-k <n>', 'neighbours kept per item', '50')
    .option('--baskets <file>', 'mine a basket file (one basket per line, comma-separated) instead of the store')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(MineOptions, cmd);
      const t0 = performance.now();
      const out = await withStore(o.store, async (store) => {
        const m = await mineModel(store, { minSupport: o.minSupport, minConfidence: o.minConfidence, maxLen: o.maxLen, topK: o.topK }, o.baskets);
        const file = saveModel(store, m);
        return { m, file, customers: o.baskets ? null : await saveHistories(store, m.version) };
      });
      const s = (performance.now() - t0) / 1000;
      const m = out.m;
      const summary = { version: m.version, file: out.file, repeatCustomers: out.customers, baskets: m.baskets, items: m.items.length, pairs: m.neighbours.reduce((a, l) => a + l.length, 0), rules: m.rules.length, bundles: m.bundles.length, seconds: Number(s.toFixed(2)) };
      if (o.json) return printJson({ ...summary, topRules: m.rules.slice(0, 10), topBundles: m.bundles.slice(0, 10) });
      const name = (id: string) => m.items.find((x) => x.id === id)?.title ?? id;
      process.stdout.write([`model v${m.version} → ${out.file}  (${s.toFixed(1)} s)`, table([
        ['baskets', int(m.baskets)], ['items', int(m.items.length)], ['neighbour pairs kept', int(summary.pairs)], ['rules', int(m.rules.length)], ['bundle candidates', int(m.bundles.length)],
        ...(out.customers != null ? [['repeat customers (habits)', int(out.customers)] as [string, string]] : []),
      ]), 'top rules by lift:', ...m.rules.slice(0, 5).map((r) => `  {${r.antecedent.map(name).join(', ')}} → ${name(r.consequent)}  support ${r.support.toFixed(4)}, confidence ${r.confidence.toFixed(3)}, lift ${r.lift.toFixed(2)}`),
      'top bundles:', ...m.bundles.slice(0, 5).map((b) => `  ${b.items.map(name).join(' + ')}  (${int(b.count)} orders, lift ${b.lift.toFixed(2)})`)].join('\n') + '\n');
    });

  const RecOptions = z.object({
    cart: z.string().default(''),
    page: z.enum(PAGES),
    k: z.coerce.number().int().min(1).max(100),
    gap: z.coerce.number().positive().optional(),
    orderValue: z.coerce.number().positive().optional(),
    customer: z.string().optional(),
    asOf: z.string().optional(),
    json: z.boolean().optional(),
    store: z.string().optional(),
  });
  program
    .command('recommend')
    .description('recommendations for a cart from the model snapshot (no database): cross-sell, upsell, fillers, post-purchase')
    .option('--cart <ids>', 'comma-separated product ids or SKUs in the cart', '')
    .option('--page <page>', PAGES.join(', '), 'cart')
    .option('--k <n>', 'how many', '5')
    .option('--gap <amount>', 'amount still missing to free shipping (cart and checkout pages)')
    .option('--order-value <amount>', 'value of the order just placed (thankyou page)')
    .option('--customer <id>', "add the customer's own habits and due reorders (reads their history from the store)")
    .option('--as-of <date>', 'today, for reorders (default: the last order day in the store)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(RecOptions, cmd);
      const m = loadModel(storeDir(o.store));
      const scale = 10 ** currencyExponent(m.currency);
      const r = recommend(m, { cart: o.cart.split(',').map((x) => x.trim()).filter(Boolean), page: o.page, k: o.k,
        ...(o.gap ? { gapMinor: Math.round(o.gap * scale) } : {}), ...(o.orderValue ? { orderValueMinor: Math.round(o.orderValue * scale) } : {}) });
      if (o.customer) {
        const cart = o.cart.split(',').map((x) => x.trim()).filter(Boolean);
        const { history, today } = await withStore(o.store, async (store) => {
          let today: number;
          if (o.asOf) {
            const t = parseTimestamp(o.asOf);
            if (!t.ok) throw new LeversError('INVALID_OPTION', { option: '--as-of', detail: t.reason });
            today = Math.floor(t.ms / DAY_MS);
          } else {
            const d = await store.one<{ d: number | null }>(`SELECT (epoch(max(placed_at)::DATE) / 86400)::INTEGER AS d FROM orders`);
            today = Number(d.d ?? 0);
          }
          return { history: await customerHistory(store, o.customer!), today };
        });
        if (history.length === 0) r.notes.push(`customer ${o.customer} has no orders in the store: no habits or reorders`);
        const byId = new Map(m.items.map((it) => [it.id, it]));
        const own = habitItems(customerHabits(history, cart, today), (id) => byId.get(id));
        const seen = new Set(own.map((x) => x.id));
        r.items = [...own, ...r.items.filter((x) => !seen.has(x.id))].slice(0, Math.max(o.k, own.length));
      }
      if (o.json) return printJson({ model: m.version, ...r });
      const money = (v: number | null) => (v == null ? '?' : (v / scale).toFixed(2));
      process.stdout.write([...r.notes.map((n) => `note: ${n}`), ...r.items.map((it, i) =>
        `${String(i + 1).padStart(2)}. ${it.kind.padEnd(13)} ${(it.title ?? it.id).slice(0, 34).padEnd(34)} ${money(it.priceMinor).padStart(8)}  EV ${money(it.expectedValueMinor).padStart(7)}  ${it.reason}`)].join('\n') + '\n');
    });

  const EvalOptions = z.object({
    k: z.coerce.number().int().min(1).max(100),
    split: z.string().optional(),
    baskets: z.string().optional(),
    minSupport: z.coerce.number().gt(0).max(1),
    json: z.boolean().optional(),
    store: z.string().optional(),
  });
  program
    .command('eval-recs')
    .description('offline evaluation: train on earlier orders, hide one item of each later basket, score hit@k and more beside baselines')
    .option('--k <n>', 'list length', '10')
    .option('--split <date>', 'train before this date, test from it (default: the last 20% of baskets)')
    .option('--baskets <file>', 'evaluate on a basket file (split by position) instead of the store')
    .option('--min-support <s>', 'as for mine', '0.01')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(EvalOptions, cmd);
      const result = await withStore(o.store, async (store) => {
        let train: Baskets, test: Baskets, meta = new Map<string, ItemMeta>();
        const currency = o.baskets ? 'USD' : (await mainCurrency(store)) ?? 'USD';
        if (o.baskets) {
          const all = readBasketFile(o.baskets);
          const cut = Math.floor(all.length * 0.8);
          train = encodeBaskets(all.slice(0, cut));
          test = encodeBaskets(all.slice(cut));
        } else {
          let split = o.split;
          if (!split) {
            const r = await store.one<{ d: string | null }>(`SELECT quantile_disc(placed_at, 0.8)::VARCHAR AS d FROM orders WHERE kind = 'sale' AND status <> 'cancelled'`);
            if (!r.d) throw new LeversError('NO_DATA', { what: 'orders', hint: 'load orders with their lines first' });
            split = r.d;
          }
          train = (await loadBaskets(store, { before: split })).baskets;
          test = (await loadBaskets(store, { from: split })).baskets;
          meta = await itemInfo(store, train.names, currencyExponent(currency));
        }
        const m = buildModel(train, meta, { minSupport: o.minSupport, minConfidence: 0.3, maxLen: 2, topK: 100 }, { version: 0, createdAt: '', currency });
        return { trainBaskets: basketCount(train), testBaskets: basketCount(test), k: o.k,
          results: (['shrunk', 'lift', 'popular'] as const).map((r) => evaluate(m, test, o.k, r)) };
      });
      if (o.json) return printJson(result);
      const pct = (x: number | null) => (x == null ? '   n/a' : `${(x * 100).toFixed(1)}%`.padStart(6));
      process.stdout.write([`train ${int(result.trainBaskets)} baskets, test ${int(result.testBaskets)} (${int(result.results[0]!.baskets)} with 2+ known items), k = ${result.k}`,
        `  ${'ranking'.padEnd(26)} ${'hit@k'.padStart(6)} ${'recall@k'.padStart(8)} ${'MRR'.padStart(6)} ${'coverage'.padStart(8)} ${'rev-hit'.padStart(7)}`,
        ...result.results.map((r) => `  ${({ shrunk: 'levers (cart-aware, shrunk)', lift: 'plain lift', popular: 'popularity' } as const)[r.ranking as 'shrunk'].padEnd(26)} ${pct(r.hitAtK)} ${pct(r.recallAtK).padStart(8)} ${r.mrr.toFixed(3).padStart(6)} ${pct(r.coverage).padStart(8)} ${pct(r.revenueWeightedHit).padStart(7)}`),
      ].join('\n') + '\n');
    });
}
