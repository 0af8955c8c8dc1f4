import type { Minor } from '../money.js';

/**
 * Per-unit sums of one group for the intervals: units are human sessions, plus each order or return that no human
 * session holds (its own unit). o = orders of the unit, r = its revenue on the report's basis, in minor units.
 */
export interface LeverSums {
  /** Human sessions: the CVR and RPS denominator. */
  n: number;
  /** Orders and returns no human session holds: units of their own, in the sums but not in n. */
  extra: number;
  so: number;
  soo: number;
  sr: number;
  srr: number;
  sor: number;
}

export const EMPTY_SUMS: LeverSums = { n: 0, extra: 0, so: 0, soo: 0, sr: 0, srr: 0, sor: 0 };

/**
 * Counts and exact money sums that every lever is computed from. Bots are out of everything: a session is a bot by
 * its user agent, or by behaviour when it placed no order (a purchase is a shopper's proof); the orders of
 * bot-agent sessions are counted in botOrders and left out of orders and revenue, so that
 * Revenue = Sessions × CVR × AOV holds for every figure shown.
 */
export interface Aggregate {
  sessions: number;
  /** Sessions whose user agent is known (bots by user agent can only be told among these). */
  sessionsWithAgent: number;
  /** Sessions flagged by user agent, and by behaviour only. */
  botAgent: number;
  botBehaviour: number;
  /** Orders of human sessions and orders with no session. */
  orders: number;
  /** Orders of sessions with a bot's user agent (a test or monitoring script): left out, said. */
  botOrders: number;
  botNetMinor: Minor;
  /** Orders the browser reported (publishable key): revenue no trusted source has confirmed. */
  clientOrders: number;
  /** Orders held by a human session. */
  linkedOrders: number;
  /** Orders whose value is unknown (no price in the export): AOV and RPS are then unknown, never $0.00. */
  unpricedOrders: number;
  grossMinor: Minor;
  discountMinor: Minor;
  refundedMinor: Minor;
  /** Credit notes with no original order (returns), netted into revenue. */
  returnsMinor: Minor;
  shippingMinor: Minor;
  taxMinor: Minor;
  items: number;
  lines: number;
  /** Per-unit sums on the basis the aggregate was asked for. */
  units: LeverSums;
}

export interface RevenueBasis {
  includeShipping: boolean;
  includeTax: boolean;
}

export interface Levers {
  /** Human sessions (bots out); null when the data has no sessions. */
  sessions: number | null;
  sessionsWithBots: number | null;
  botSessions: number | null;
  orders: number;
  revenueMinor: Minor;
  grossRevenueMinor: Minor;
  cvr: number | null;
  cvrWithBots: number | null;
  aovMinor: number | null;
  grossAovMinor: number | null;
  rpsMinor: number | null;
  itemsPerOrder: number | null;
  linesPerOrder: number | null;
}

export const EMPTY_AGGREGATE: Aggregate = {
  sessions: 0,
  sessionsWithAgent: 0,
  botAgent: 0,
  botBehaviour: 0,
  orders: 0,
  botOrders: 0,
  botNetMinor: 0,
  clientOrders: 0,
  linkedOrders: 0,
  unpricedOrders: 0,
  grossMinor: 0,
  discountMinor: 0,
  refundedMinor: 0,
  returnsMinor: 0,
  shippingMinor: 0,
  taxMinor: 0,
  items: 0,
  lines: 0,
  units: EMPTY_SUMS,
};

export function addSums(a: LeverSums, b: LeverSums): LeverSums {
  return {
    n: a.n + b.n,
    extra: a.extra + b.extra,
    so: a.so + b.so,
    soo: a.soo + b.soo,
    sr: a.sr + b.sr,
    srr: a.srr + b.srr,
    sor: a.sor + b.sor,
  };
}

export function addAggregates(a: Aggregate, b: Aggregate): Aggregate {
  const out = { ...a, units: addSums(a.units, b.units) };
  for (const k of Object.keys(out) as (keyof Aggregate)[])
    if (k !== 'units') (out[k] as number) = a[k] + (b[k] as number);
  return out;
}

/** Net revenue: merchandise after discounts, refunds and returns; shipping and tax only when asked. */
export function netRevenue(a: Aggregate, basis: RevenueBasis): Minor {
  return (
    a.grossMinor -
    a.discountMinor -
    a.refundedMinor -
    a.returnsMinor +
    (basis.includeShipping ? a.shippingMinor : 0) +
    (basis.includeTax ? a.taxMinor : 0)
  );
}

/**
 * Revenue = Sessions × CVR × AOV and RPS = CVR × AOV, bots out of every term. AOV (and RPS) are unknown when an order
 * has no value, or when returns exceed sales (a negative order value means the period holds returns of earlier sales).
 */
export function leversOf(a: Aggregate, basis: RevenueBasis, hasSessions: boolean): Levers {
  const revenue = netRevenue(a, basis);
  const bots = a.botAgent + a.botBehaviour;
  const human = a.sessions - bots;
  const s = hasSessions;
  const valued = a.orders > 0 && a.unpricedOrders === 0 && revenue >= 0;
  // More orders than sessions: the orders are not (all) from this traffic (another store's export?). A conversion
  // rate over 100% is never printed; the unknowns say why.
  const traffic = s && human > 0 && a.orders <= human;
  return {
    sessions: s ? human : null,
    sessionsWithBots: s ? a.sessions : null,
    botSessions: s ? bots : null,
    orders: a.orders,
    revenueMinor: revenue,
    grossRevenueMinor: a.grossMinor,
    cvr: traffic ? a.orders / human : null,
    cvrWithBots: traffic ? a.orders / a.sessions : null,
    aovMinor: valued ? revenue / a.orders : null,
    grossAovMinor: valued ? a.grossMinor / a.orders : null,
    rpsMinor: traffic && a.unpricedOrders === 0 && revenue >= 0 ? revenue / human : null,
    itemsPerOrder: a.orders > 0 && a.lines > 0 ? a.items / a.orders : null,
    linesPerOrder: a.orders > 0 && a.lines > 0 ? a.lines / a.orders : null,
  };
}
