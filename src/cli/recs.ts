import type { Command } from './command.js';
import { MINE_DEFAULTS } from '../app/mine-defaults.js';
import { PAGES } from '../core/recs/pages.js';

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
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/mine.js')).runMine(cmd));

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
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/recommend.js')).runRecommend(cmd));

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
    .action(async (_o: unknown, cmd: Command) => (await import('./actions/eval-recs.js')).runEvalRecs(cmd));
}
