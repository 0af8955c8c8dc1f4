import { leversOf, type Aggregate, type Levers, type RevenueBasis } from './identity.js';

/**
 * The revenue identity of everything loaded in one currency: the same definitions as the report, over all
 * days.
 */
export interface Summary {
  currency: string;
  levers: Levers;
  customers: number;
  grossMinor: number;
  discountMinor: number;
  /** Refunds on orders and returns (credit notes). */
  refundsMinor: number;
  /** Sessions left out of CVR, by how they were told apart; null without sessions. */
  bots: { byUserAgent: number; byBehaviour: number } | null;
  unknown: string[];
}

export const NET_BASIS: RevenueBasis = { includeShipping: false, includeTax: false };

/** What the data cannot say about an aggregate, in words (one wording for the summary and the report). */
export function unknownsOf(a: Aggregate, hasSessions: boolean, scope = ''): string[] {
  const out: string[] = [];
  if (!hasSessions)
    out.push(
      'sessions, CVR and RPS: the data has orders but no sessions, so there is no denominator (never ' +
        'invented)',
    );
  else {
    if (a.sessions > 0 && a.sessionsWithAgent === 0) {
      out.push('bots by user agent: the data has no user agents, so only behaviour rules could flag bots');
    }
    if (a.linkedOrders < a.orders)
      out.push(`${a.orders - a.linkedOrders} orders${scope} are not linked to a session`);
  }
  if (a.orders > 0 && a.lines === 0) out.push('items and lines per order: the data has no order lines');
  if (a.unpricedOrders > 0) {
    out.push(
      `AOV and RPS: ${a.unpricedOrders} of ${a.orders} orders${scope} have no value in the data, so order value is unknown`,
    );
  }
  if (hasSessions && a.orders > a.sessions - a.botAgent - a.botBehaviour) {
    out.push(
      `conversion: more orders (${a.orders}) than sessions (${a.sessions - a.botAgent - a.botBehaviour})${scope}: the orders ` +
        'are not (all) from this traffic, so conversion is not computed (load the sessions and orders of one store)',
    );
  }
  if (a.clientOrders > 0) {
    out.push(
      `${a.clientOrders} of ${a.orders} orders${scope} were reported by the browser (client-reported, unconfirmed): ` +
        'load the orders export or send orders with a secret key, and those replace them',
    );
  }
  return out;
}

export function summarize(currency: string, a: Aggregate, customers: number, hasSessions: boolean): Summary {
  return {
    currency,
    levers: leversOf(a, NET_BASIS, hasSessions),
    customers,
    grossMinor: a.grossMinor,
    discountMinor: a.discountMinor,
    refundsMinor: a.refundedMinor + a.returnsMinor,
    bots: hasSessions ? { byUserAgent: a.botAgent, byBehaviour: a.botBehaviour } : null,
    unknown: unknownsOf(a, hasSessions),
  };
}
