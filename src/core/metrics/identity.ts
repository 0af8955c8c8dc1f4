import type { Minor } from '../money.js';

/** Counts and exact money sums that every lever is computed from. */
export interface Aggregate {
  sessions: number;
  /** Sessions whose user agent is known (bots by user agent can only be told among these). */
  sessionsWithAgent: number;
  /** Sessions flagged by user agent, and by behaviour only. */
  botAgent: number;
  botBehaviour: number;
  orders: number;
  botOrders: number;
  /** Orders the browser reported (publishable key): revenue no trusted source has confirmed. */
  clientOrders: number;
  linkedOrders: number;
  grossMinor: Minor;
  discountMinor: Minor;
  refundedMinor: Minor;
  /** Credit notes with no original order (returns), netted into revenue. */
  returnsMinor: Minor;
  shippingMinor: Minor;
  taxMinor: Minor;
  items: number;
  lines: number;
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
  clientOrders: 0,
  linkedOrders: 0,
  grossMinor: 0,
  discountMinor: 0,
  refundedMinor: 0,
  returnsMinor: 0,
  shippingMinor: 0,
  taxMinor: 0,
  items: 0,
  lines: 0,
};

export function addAggregates(a: Aggregate, b: Aggregate): Aggregate {
  const out = { ...a };
  for (const k of Object.keys(out) as (keyof Aggregate)[]) out[k] = a[k] + b[k];
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

/** Revenue = Sessions × CVR × AOV and RPS = CVR × AOV, with bots out of the CVR denominator. */
export function leversOf(a: Aggregate, basis: RevenueBasis, hasSessions: boolean): Levers {
  const revenue = netRevenue(a, basis);
  const bots = a.botAgent + a.botBehaviour;
  const human = a.sessions - bots;
  const orders = a.orders - a.botOrders;
  const s = hasSessions;
  return {
    sessions: s ? human : null,
    sessionsWithBots: s ? a.sessions : null,
    botSessions: s ? bots : null,
    orders: a.orders,
    revenueMinor: revenue,
    grossRevenueMinor: a.grossMinor,
    cvr: s && human > 0 ? orders / human : null,
    cvrWithBots: s && a.sessions > 0 ? a.orders / a.sessions : null,
    aovMinor: a.orders > 0 ? revenue / a.orders : null,
    grossAovMinor: a.orders > 0 ? a.grossMinor / a.orders : null,
    rpsMinor: s && human > 0 ? revenue / human : null,
    itemsPerOrder: a.orders > 0 && a.lines > 0 ? a.items / a.orders : null,
    linesPerOrder: a.orders > 0 && a.lines > 0 ? a.lines / a.orders : null,
  };
}
