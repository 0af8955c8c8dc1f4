import {
  clvValuer,
  fitClv,
  topValues,
  valueCustomers,
  withValues,
  type ClvResult,
  type CustomerValue,
} from '../core/metrics/clv/clv.js';
import { toDay } from '../core/metrics/clv/rfm.js';
import { LeversError } from '../core/errors.js';
import { currencyExponent } from '../core/money.js';
import { DAY_MS, parseTimestamp, toIsoDate } from '../core/time.js';
import { withDatabase, type Database, type Store } from '../store/port.js';

export interface ClvOptions {
  /**
   * Fit on purchases up to this day and track the rest; default all data, or `calibrationShare` of the
   * history.
   */
  calibrationEnd?: string;
  /** Fit on the first share of the history (the report uses 2/3 to show the holdout check). */
  calibrationShare?: number;
  horizon: number;
  discountRate: number;
  margin?: number;
  /** Fewer customers than this: no analysis (the report's section says so instead of failing). */
  minCustomers?: number;
}

export interface ClvRun extends ClvResult {
  currency: string;
  calibrationEnd: string;
  dataEnd: string;
  marginSource: 'option' | 'product costs' | 'unknown';
  fitSeconds: number;
  totalSeconds: number;
}

export const CLV_DEFAULTS = { horizon: 12, discountRate: 0.01 } as const;

/** Predictive customer value: BG/NBD and Gamma-Gamma fitted on the store's customers in one currency. */
export async function clv(store: Store, o: ClvOptions): Promise<ClvRun> {
  return withDatabase(store, async (db) => {
    const currency = (await db.currencies())[0]?.currency;
    if (!currency)
      throw new LeversError('NO_DATA', {
        what: 'customer orders',
        hint: 'CLV needs orders with a customer id',
      });
    return clvOf(db, currency, o);
  });
}

export async function clvOf(db: Database, currency: string, o: ClvOptions): Promise<ClvRun> {
  const m = await clvModel(db, currency, o);
  const customers = await db.clvCustomers(currency, m.calibration);
  const values = modelled(() => valueCustomers(m.valuer, customers));
  return m.run(values);
}

/**
 * CLV for the report: the models and the n most valuable customers. SQL values every customer from the
 * per-pattern forecasts (far fewer patterns than customers) and keeps the few that can be in the top n, which
 * are valued here exactly as clvOf values everyone. The result is cached per version of the data (db.cached):
 * its fitSeconds and totalSeconds are those of the fit that computed it.
 */
export async function clvTopOf(
  db: Database,
  currency: string,
  o: ClvOptions,
  n: number,
): Promise<Omit<ClvRun, 'values'> & { top: CustomerValue[] }> {
  // Fitted once per version of the data: a later report of the same data reads the fit and the top n back.
  return db.cached('clvTop', [currency, o, n], async () => {
    const m = await clvModel(db, currency, o);
    const ranking = modelled(() => m.valuer.ranking(m.summaries.patterns));
    const candidates = await db.clvTopCandidates(currency, m.calibration, ranking, n);
    const top = modelled(() => topValues(m.valuer, candidates, n));
    const { values: _, ...run } = m.run([]);
    return { ...run, top };
  });
}

/** The model's own failures (no repeat buyer, a fit that does not converge) as MODEL_FAILED; the store's pass. */
function modelled<T>(fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw new LeversError('MODEL_FAILED', { model: 'BG/NBD', detail: (e as Error).message }, { cause: e });
  }
}

async function clvModel(db: Database, currency: string, o: ClvOptions) {
  const range = await db.customerDayRange(currency);
  const { firstDay: first, lastDay: last } = range;
  if (range.customers < Math.max(1, o.minCustomers ?? 1) || first == null || last == null) {
    throw new LeversError('NO_DATA', {
      what: `customer orders in ${currency} (${range.customers} customers)`,
      hint: 'CLV needs orders with a customer id: load orders that carry one',
    });
  }
  let calEnd = o.calibrationShare != null ? first + Math.floor((last - first) * o.calibrationShare) : last;
  if (o.calibrationEnd) {
    const t = parseTimestamp(o.calibrationEnd);
    if (!t.ok) throw new LeversError('INVALID_OPTION', { option: 'calibrationEnd', detail: t.reason });
    calEnd = toDay(t.ms);
  }
  const costMargin = o.margin === undefined ? await db.soldMargin() : null;
  const margin = o.margin ?? costMargin;
  const t0 = performance.now();
  const calibration = { calibrationEndDay: calEnd, holdoutEndDay: last };
  const summaries = await db.clvSummaries(currency, calibration);
  const options = {
    ...calibration,
    horizonMonths: o.horizon,
    discountRate: o.discountRate,
    margin,
    minorPerMajor: 10 ** currencyExponent(currency),
    clock: () => performance.now(),
  };
  const fit = modelled(() => fitClv(summaries, options));
  return {
    calibration,
    summaries,
    valuer: clvValuer(fit, options),
    run: (values: CustomerValue[]): ClvRun => ({
      ...withValues(fit, values),
      currency,
      calibrationEnd: toIsoDate(calEnd * DAY_MS),
      dataEnd: toIsoDate(last * DAY_MS),
      marginSource: o.margin !== undefined ? 'option' : costMargin != null ? 'product costs' : 'unknown',
      fitSeconds: fit.fitMs / 1000,
      totalSeconds: (performance.now() - t0) / 1000,
    }),
  };
}
