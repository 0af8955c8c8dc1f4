import type { Command } from 'commander';
import { z } from 'zod';
import { evalRecs } from '../app/eval-recs.js';
import { mine, MINE_DEFAULTS } from '../app/mine.js';
import { recommendFor } from '../app/recommend.js';
import { PAGES } from '../core/recs/recommend.js';
import { mineSummary, renderEval, renderMine, renderRecommendations } from '../render/recs.js';
import { parseOptions } from './options.js';
import { printJson } from './output.js';
import { storeOf } from './store-option.js';

const amount = z.string().regex(/^\d+(\.\d+)?$/, 'must be an amount such as 12.50');

const MineOptions = z.object({
  minSupport: z.coerce.number().gt(0).max(1, 'is a fraction of baskets, e.g. 0.01'),
  minConfidence: z.coerce.number().min(0).max(1),
  maxLen: z.coerce.number().int().min(2).max(6),
  topK: z.coerce.number().int().min(1).max(500),
  baskets: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

const RecOptions = z.object({
  cart: z.string().default(''),
  page: z.enum(PAGES),
  k: z.coerce.number().int().min(1).max(100),
  gap: amount.optional(),
  orderValue: amount.optional(),
  customer: z.string().optional(),
  asOf: z.string().optional(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

const EvalOptions = z.object({
  k: z.coerce.number().int().min(1).max(100),
  split: z.string().optional(),
  baskets: z.string().optional(),
  minSupport: z.coerce.number().gt(0).max(1),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

export function registerRecs(program: Command): void {
  program
    .command('mine')
    .description('mine bought-together pairs, rules and bundles into a versioned model snapshot')
    .option(
      '--min-support <s>',
      'minimum share of baskets for itemsets and rules',
      String(MINE_DEFAULTS.minSupport),
    )
    .option('--min-confidence <c>', 'minimum rule confidence', String(MINE_DEFAULTS.minConfidence))
    .option('--max-len <k>', 'longest itemset (bundles of 2..k)', String(MINE_DEFAULTS.maxLen))
    .option('--top-k <n>', 'neighbours kept per item', String(MINE_DEFAULTS.topK))
    .option(
      '--baskets <file>',
      'mine a basket file (one basket per line, comma-separated) instead of the store',
    )
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(MineOptions, cmd);
      const r = await mine(
        storeOf(o.store),
        { minSupport: o.minSupport, minConfidence: o.minConfidence, maxLen: o.maxLen, topK: o.topK },
        { ...(o.baskets ? { basketsFile: o.baskets } : {}), createdAt: new Date().toISOString() },
      );
      if (o.json)
        return printJson({
          ...mineSummary(r),
          topRules: r.model.rules.slice(0, 10),
          topBundles: r.model.bundles.slice(0, 10),
        });
      process.stdout.write(`${renderMine(r)}\n`);
    });

  program
    .command('recommend')
    .description(
      'recommendations for a cart from the model snapshot (no database): cross-sell, upsell, fillers, ' +
        'post-purchase',
    )
    .option('--cart <ids>', 'comma-separated product ids or SKUs in the cart', '')
    .option('--page <page>', PAGES.join(', '), 'cart')
    .option('--k <n>', 'how many', '5')
    .option('--gap <amount>', 'amount still missing to free shipping (cart and checkout pages)')
    .option('--order-value <amount>', 'value of the order just placed (thankyou page)')
    .option(
      '--customer <id>',
      "add the customer's own habits and due reorders (reads their history from the store)",
    )
    .option('--as-of <date>', 'today, for reorders (default: the last order day in the store)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(RecOptions, cmd);
      const r = await recommendFor(storeOf(o.store), {
        ...o,
        cart: o.cart
          .split(',')
          .map((x) => x.trim())
          .filter(Boolean),
      });
      if (o.json) return printJson(r);
      process.stdout.write(`${renderRecommendations(r)}\n`);
    });

  program
    .command('eval-recs')
    .description(
      'offline evaluation: train on earlier orders, hide one item of each later basket, score hit@k and ' +
        'more beside baselines',
    )
    .option('--k <n>', 'list length', '10')
    .option('--split <date>', 'train before this date, test from it (default: the last 20% of baskets)')
    .option('--baskets <file>', 'evaluate on a basket file (split by position) instead of the store')
    .option('--min-support <s>', 'as for mine', '0.01')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(EvalOptions, cmd);
      const r = await evalRecs(storeOf(o.store), {
        k: o.k,
        minSupport: o.minSupport,
        ...(o.split ? { split: o.split } : {}),
        ...(o.baskets ? { basketsFile: o.baskets } : {}),
      });
      if (o.json) return printJson(r);
      process.stdout.write(`${renderEval(r)}\n`);
    });
}
