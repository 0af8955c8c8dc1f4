import { writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { LeversError } from '../core/errors.js';
import { REPEAT_NORMS } from '../core/metrics/customers.js';
import { buildReport } from '../report/build.js';
import { renderHtml } from '../report/html.js';
import { renderReport } from '../report/terminal.js';
import { SEGMENT_DIMENSIONS, type SegmentDimension } from '../store/queries/report-facts.js';
import { printJson } from './output.js';
import { parseOptions } from './options.js';
import { withStore } from './store-option.js';

const Options = z.object({
  period: z.enum(['day', 'week', 'month']),
  from: z.string().optional(),
  to: z.string().optional(),
  compare: z.string().optional(),
  segment: z.string(),
  includeShipping: z.boolean().optional(),
  includeTax: z.boolean().optional(),
  freeShippingThreshold: z.coerce.number().positive().optional(),
  shippingFee: z.coerce.number().nonnegative().optional(),
  shippingCost: z.coerce.number().nonnegative().optional(),
  margin: z.coerce.number().gt(0).max(1, 'is a fraction, e.g. 0.35').optional(),
  cac: z.coerce.number().positive().optional(),
  category: z.enum(Object.keys(REPEAT_NORMS) as [string, ...string[]]).optional(),
  clv: z.boolean(),
  json: z.boolean().optional(),
  html: z.string().optional(),
  store: z.string().optional(),
});

export function registerReport(program: Command): void {
  program
    .command('report')
    .description('why revenue moved, what each customer is worth, what to do next (terminal, JSON or HTML)')
    .option('--period <p>', 'day, week or month', 'week')
    .option('--from <date>', 'first day of the period reported (default: 28 days before --to; 90 for month)')
    .option('--to <date>', 'last day (default: the last day with data)')
    .option('--compare <what>', 'previous, year or DATE..DATE', 'previous')
    .option('--segment <dims>', `comma-separated: ${SEGMENT_DIMENSIONS.join(',')}`, SEGMENT_DIMENSIONS.join(','))
    .option('--include-shipping', 'count shipping charged as revenue')
    .option('--include-tax', 'count tax as revenue')
    .option('--free-shipping-threshold <amount>', 'current threshold (default: inferred from shipping charged)')
    .option('--shipping-fee <amount>', 'fee charged below the threshold (default: the average charged)')
    .option('--shipping-cost <amount>', 'what shipping an order costs you (default: the fee)')
    .option('--margin <fraction>', 'gross margin (default: from product costs)')
    .option('--cac <amount>', 'customer acquisition cost, for LTV:CAC')
    .option('--category <name>', `repeat-rate norm to compare with: ${Object.keys(REPEAT_NORMS).join(', ')}`)
    .option('--no-clv', 'skip the predictive CLV section')
    .option('--json', 'print the report as JSON (schema in README)')
    .option('--html <file>', 'also write a self-contained HTML report with charts')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const segments = o.segment.split(',').map((s) => s.trim()).filter(Boolean);
      const bad = segments.filter((s) => !(SEGMENT_DIMENSIONS as readonly string[]).includes(s));
      if (bad.length) throw new LeversError('INVALID_OPTION', { option: '--segment', detail: `unknown ${bad.join(', ')}; use ${SEGMENT_DIMENSIONS.join(', ')}` });
      const report = await withStore(o.store, (s) => buildReport(s, {
        period: o.period, from: o.from, to: o.to, compare: o.compare, segments: segments as SegmentDimension[],
        includeShipping: !!o.includeShipping, includeTax: !!o.includeTax, thresholdMajor: o.freeShippingThreshold,
        shippingFeeMajor: o.shippingFee, shippingCostMajor: o.shippingCost, margin: o.margin, cacMajor: o.cac, category: o.category, clv: o.clv,
      }));
      if (o.html) writeFileSync(o.html, renderHtml(report));
      if (o.json) return printJson(report);
      process.stdout.write(renderReport(report) + (o.html ? `\n\nHTML report: ${o.html}` : '') + '\n');
    });
}
