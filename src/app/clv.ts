import { customerLifetimeValue, type ClvResult } from '../core/metrics/clv/clv.js';
import { dayRange, toDay } from '../core/metrics/clv/rfm.js';
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
  const customers = await db.customerPurchases(currency);
  if (customers.length < Math.max(1, o.minCustomers ?? 1)) {
    throw new LeversError('NO_DATA', {
      what: `customer orders in ${currency} (${customers.length} customers)`,
      hint: 'CLV needs orders with a customer id: load orders that carry one',
    });
  }
  const { first, last } = dayRange(customers);
  let calEnd = o.calibrationShare != null ? first + Math.floor((last - first) * o.calibrationShare) : last;
  if (o.calibrationEnd) {
    const t = parseTimestamp(o.calibrationEnd);
    if (!t.ok) throw new LeversError('INVALID_OPTION', { option: 'calibrationEnd', detail: t.reason });
    calEnd = toDay(t.ms);
  }
  const costMargin = o.margin === undefined ? await db.soldMargin() : null;
  const margin = o.margin ?? costMargin;
  const t0 = performance.now();
  let r: ClvResult;
  try {
    r = customerLifetimeValue(customers, {
      calibrationEndDay: calEnd,
      holdoutEndDay: last,
      horizonMonths: o.horizon,
      discountRate: o.discountRate,
      margin,
      minorPerMajor: 10 ** currencyExponent(currency),
      clock: () => performance.now(),
    });
  } catch (e) {
    throw new LeversError('MODEL_FAILED', { model: 'BG/NBD', detail: (e as Error).message }, { cause: e });
  }
  return {
    ...r,
    currency,
    calibrationEnd: toIsoDate(calEnd * DAY_MS),
    dataEnd: toIsoDate(last * DAY_MS),
    marginSource: o.margin !== undefined ? 'option' : costMargin != null ? 'product costs' : 'unknown',
    fitSeconds: r.fitMs / 1000,
    totalSeconds: (performance.now() - t0) / 1000,
  };
}
