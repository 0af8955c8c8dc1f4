/** Repeat purchase rate norms by category (product brief M7). */
export const REPEAT_NORMS: Record<string, [number, number]> = {
  subscription: [0.4, 0.55],
  consumables: [0.35, 0.45],
  beauty: [0.3, 0.4],
  apparel: [0.25, 0.32],
  home: [0.18, 0.25],
  electronics: [0.12, 0.18],
};

/** What known customers actually spent: net of discounts, refunds and returns, over the whole history loaded. */
export interface CustomerSpend {
  from: string | null;
  to: string | null;
  customers: number;
  netMinor: number;
  /** First-order cohorts by month: spend per customer within 90 and 365 days of their first order. */
  cohorts: {
    cohort: string;
    customers: number;
    spend90Minor: number;
    spend365Minor: number;
    full365: boolean;
  }[];
}

export interface CustomerValueInput {
  customers: number;
  repeatCustomers: number;
  orders: number;
  spend: CustomerSpend;
  margin: number | null;
  cacMinor: number | null;
  category: string | null;
}

export interface HistoricValue {
  customers: number;
  repeatRate: number | null;
  frequency: number | null;
  /** ≈ 1 / (1 − repeat rate), in purchase cycles. */
  lifespan: number | null;
  /**
   * Historic LTV: what each customer actually spent over the history loaded (the window below), × gross margin when
   * known. Not AOV × frequency × lifespan: that projection ran to three times the spend on real data.
   */
  ltvMinor: number | null;
  spendWindow: { from: string | null; to: string | null };
  /** The same within 365 days of each customer's first order, over the cohorts observed that long. */
  firstYearMinor: number | null;
  cohorts: CustomerSpend['cohorts'];
  ltvWithMargin: boolean;
  ltvToCac: number | null;
  /** Norm bands the repeat rate falls in, or the chosen category's band and where the store sits. */
  norm: { category: string; low: number; high: number; position: 'below' | 'within' | 'above' } | null;
  matchingCategories: string[];
}

/** Historic customer value from what customers spent; repeat rate, frequency and the category norms. */
export function historicValue(i: CustomerValueInput): HistoricValue {
  const repeatRate = i.customers > 0 ? i.repeatCustomers / i.customers : null;
  const frequency = i.customers > 0 ? i.orders / i.customers : null;
  const lifespan = repeatRate != null && repeatRate < 1 ? 1 / (1 - repeatRate) : null;
  const s = i.spend;
  const ltv = s.customers > 0 ? (s.netMinor / s.customers) * (i.margin ?? 1) : null;
  const full = s.cohorts.filter((c) => c.full365);
  const fullCustomers = full.reduce((n, c) => n + c.customers, 0);
  const firstYear =
    fullCustomers > 0
      ? (full.reduce((t, c) => t + c.spend365Minor * c.customers, 0) / fullCustomers) * (i.margin ?? 1)
      : null;
  const band = i.category ? REPEAT_NORMS[i.category] : undefined;
  const norm =
    band && repeatRate != null
      ? {
          category: i.category!,
          low: band[0],
          high: band[1],
          position: (repeatRate < band[0] ? 'below' : repeatRate > band[1] ? 'above' : 'within') as
            | 'below'
            | 'within'
            | 'above',
        }
      : null;
  const matching =
    repeatRate == null
      ? []
      : Object.entries(REPEAT_NORMS)
          .filter(([, [lo, hi]]) => repeatRate >= lo && repeatRate <= hi)
          .map(([c]) => c);
  return {
    customers: i.customers,
    repeatRate,
    frequency,
    lifespan,
    ltvMinor: ltv,
    spendWindow: { from: s.from, to: s.to },
    firstYearMinor: firstYear,
    cohorts: s.cohorts,
    ltvWithMargin: i.margin != null,
    ltvToCac: ltv != null && i.cacMinor ? ltv / i.cacMinor : null,
    norm,
    matchingCategories: matching,
  };
}

/** Cohort retention matrix: share of each first-order cohort ordering in month k after its first. */
export function retention(rows: readonly { cohort: string; offset: number; customers: number }[]): {
  cohorts: string[];
  matrix: (number | null)[][];
  sizes: number[];
} {
  const cohorts = [...new Set(rows.map((r) => r.cohort))].sort();
  const maxOffset = Math.max(0, ...rows.map((r) => r.offset));
  const sizes = cohorts.map((c) => rows.find((r) => r.cohort === c && r.offset === 0)?.customers ?? 0);
  // A cohort is observable for as many months as have passed from it to the last month with data (months
  // without a cohort of their own still pass).
  const month = (c: string) => Number(c.slice(0, 4)) * 12 + Number(c.slice(5, 7)) - 1;
  const last = Math.max(...rows.map((r) => month(r.cohort) + r.offset));
  const matrix = cohorts.map((c, ci) => {
    const out: (number | null)[] = [];
    for (let k = 0; k <= Math.min(maxOffset, last - month(c)); k++) {
      const r = rows.find((x) => x.cohort === c && x.offset === k);
      out.push(sizes[ci] ? (r?.customers ?? 0) / sizes[ci]! : null);
    }
    return out;
  });
  return { cohorts, matrix, sizes };
}
