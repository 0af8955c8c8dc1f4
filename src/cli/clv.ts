import type { Command } from 'commander';
import { z } from 'zod';
import { customerLifetimeValue, type ClvResult } from '../core/metrics/clv/clv.js';
import { dayRange, toDay } from '../core/metrics/clv/rfm.js';
import { LeversError } from '../core/errors.js';
import { currencyExponent } from '../core/money.js';
import { parseTimestamp, toIsoDate, DAY_MS } from '../core/time.js';
import type { Store } from '../store/connection.js';
import { customerPurchases, soldMargin } from '../store/queries/purchases.js';
import { int, money, printJson, table } from './output.js';
import { parseOptions } from './options.js';
import { withStore } from './store-option.js';

const Options = z.object({
  calibrationEnd: z.string().optional(),
  horizon: z.coerce.number().int().min(1, '--horizon must be at least 1 month').max(120),
  discountRate: z.coerce.number().min(0).max(1, '--discount-rate is monthly, between 0 and 1'),
  margin: z.coerce.number().gt(0).max(1, '--margin is a fraction, e.g. 0.35').optional(),
  limit: z.coerce.number().int().min(0),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

export interface ClvRun extends ClvResult {
  currency: string;
  calibrationEnd: string;
  dataEnd: string;
  marginSource: 'option' | 'product costs' | 'unknown';
  fitSeconds: number;
  totalSeconds: number;
}

export async function runClv(store: Store, o: { calibrationEnd?: string; horizon: number; discountRate: number; margin?: number }): Promise<ClvRun> {
  const { currency, customers } = await customerPurchases(store);
  if (!currency || customers.length === 0) throw new LeversError('NO_DATA', { what: 'customer orders', hint: 'CLV needs orders with a customer id' });
  const lastDay = dayRange(customers).last;
  let calEnd = lastDay;
  if (o.calibrationEnd) {
    const t = parseTimestamp(o.calibrationEnd);
    if (!t.ok) throw new LeversError('INVALID_OPTION', { option: '--calibration-end', detail: t.reason });
    calEnd = toDay(t.ms);
  }
  const costMargin = o.margin === undefined ? await soldMargin(store) : null;
  const margin = o.margin ?? costMargin;
  const t0 = performance.now();
  const run = () => customerLifetimeValue(customers, { calibrationEndDay: calEnd, holdoutEndDay: lastDay, horizonMonths: o.horizon, discountRate: o.discountRate, margin,
    minorPerMajor: 10 ** currencyExponent(currency), clock: () => performance.now() });
  let r: ReturnType<typeof run>;
  try {
    r = run();
  } catch (e) {
    throw new LeversError('MODEL_FAILED', { model: 'BG/NBD', detail: (e as Error).message }, { cause: e });
  }
  return {
    ...r, currency, calibrationEnd: toIsoDate(calEnd * DAY_MS), dataEnd: toIsoDate(lastDay * DAY_MS),
    marginSource: o.margin !== undefined ? 'option' : costMargin != null ? 'product costs' : 'unknown',
    fitSeconds: r.fitMs / 1000,
    totalSeconds: (performance.now() - t0) / 1000,
  };
}

export function registerClv(program: Command): void {
  program
    .command('clv')
    .description('predictive customer value: BG/NBD purchases and P(alive), Gamma-Gamma spend, discounted CLV')
    .option('--calibration-end <date>', 'fit on purchases up to this date and test on the rest (default: all data)')
    .option('--horizon <months>', 'months of future purchases to value', '12')
    .option('--discount-rate <rate>', 'monthly discount rate', '0.01')
    .option('--margin <fraction>', 'gross margin (default: from product costs, else CLV is revenue)')
    .option('--limit <n>', 'customers to list (terminal)', '10')
    .option('--json', 'print as JSON (all customers)')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const r = await withStore(o.store, (s) => runClv(s, o));
      if (o.json) return printJson(r);
      process.stdout.write(renderClv(r, o.limit) + '\n');
    });
}

export function renderClv(r: ClvRun, limit: number): string {
  const b = r.bgnbd.params;
  const rows: [string, string][] = [
    ['customers', `${int(r.customers)} (${int(r.repeaters)} repeat buyers), calibration to ${r.calibrationEnd}`],
    ['BG/NBD', `r ${b.r.toFixed(4)}, alpha ${b.alpha.toFixed(4)}, a ${b.a.toFixed(4)}, b ${b.b.toFixed(4)}, log-likelihood ${r.bgnbd.logLik.toFixed(3)}`],
  ];
  if (r.gammaGamma) {
    const g = r.gammaGamma.params;
    rows.push(['Gamma-Gamma', `p ${g.p.toFixed(4)}, q ${g.q.toFixed(4)}, gamma ${g.gamma.toFixed(4)}, log-likelihood ${r.gammaGamma.logLik.toFixed(3)} (${int(r.gammaGamma.n)} repeaters)`]);
  } else rows.push(['Gamma-Gamma', 'not fitted: fewer than 10 repeat buyers with spend']);
  if (r.holdout) {
    rows.push(['holdout', `${r.holdout.weeks.toFixed(1)} weeks to ${r.dataEnd}: predicted ${r.holdout.predictedRepeats.toFixed(0)} repeat purchases, actual ${int(r.holdout.actualRepeats)}`]);
  }
  rows.push(['margin', r.margin == null ? 'unknown: CLV below is revenue (pass --margin)' : `${(r.margin * 100).toFixed(1)}% (${r.marginSource})`]);
  rows.push(['time', `${r.fitSeconds.toFixed(2)} s to fit both models, ${r.totalSeconds.toFixed(2)} s with tracking and CLV`]);
  const top = r.values.slice(0, limit).map((v) => `  ${v.customerId.padEnd(12)} ${String(v.x).padStart(4)} ${v.probabilityAlive.toFixed(3).padStart(8)} ${v.expectedPurchases.toFixed(2).padStart(9)} ${money(v.expectedSpendMinor, r.currency).padStart(12)} ${money(v.clvMinor, r.currency).padStart(12)}`);
  const head = `  ${'customer'.padEnd(12)} ${'x'.padStart(4)} ${'P(alive)'.padStart(8)} ${'purchases'.padStart(9)} ${'spend/order'.padStart(12)} ${'CLV'.padStart(12)}`;
  return [`Customer lifetime value (${r.currency})`, table(rows), '', `Top ${limit} by CLV`, head, ...top].join('\n');
}
