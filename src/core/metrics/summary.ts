import { isbot } from 'isbot';
import { currencyExponent, decimalToMinor, type Minor } from '../money.js';

/** The revenue identity for one currency: Revenue = Sessions × CVR × AOV, RPS = CVR × AOV. */
export interface Summary {
  currency: string;
  sessions: number | null;
  botSessions: number | null;
  humanSessions: number | null;
  orders: number;
  customers: number;
  grossMinor: Minor;
  discountMinor: Minor;
  returnsMinor: Minor;
  netRevenueMinor: Minor;
  /** Orders / human sessions; null when the data has no sessions (never an invented denominator). */
  cvr: number | null;
  cvrAllSessions: number | null;
  aovMinor: number | null;
  rpsMinor: number | null;
  unknown: string[];
}

export interface SummaryInput {
  currency: string;
  orders: number;
  ordersWithSession: number;
  customers: number;
  gross: string;
  discount: string;
  returns: string;
  net: string;
  sessions: number;
  userAgents: { user_agent: string | null; sessions: number; orders: number }[];
}

export function summarize(i: SummaryInput): Summary {
  const exp = currencyExponent(i.currency);
  const net = decimalToMinor(i.net, exp);
  const bots = i.userAgents.filter((u) => u.user_agent && isbot(u.user_agent));
  const botSessions = bots.reduce((s, u) => s + u.sessions, 0);
  const botOrders = bots.reduce((s, u) => s + u.orders, 0);
  const hasSessions = i.sessions > 0;
  const human = i.sessions - botSessions;
  const unknown: string[] = [];
  const withAgent = i.userAgents.filter((u) => u.user_agent).reduce((s, u) => s + u.sessions, 0);
  if (hasSessions && withAgent === 0) unknown.push('bot sessions: the data has no user agents, so bots cannot be told apart');
  if (!hasSessions) unknown.push('CVR and RPS: the data has orders but no sessions, so there is no denominator');
  else if (i.ordersWithSession < i.orders) {
    unknown.push(`${i.orders - i.ordersWithSession} orders are not linked to a session; CVR counts them all`);
  }
  const cvr = hasSessions && human > 0 ? (i.orders - botOrders) / human : null;
  const aov = i.orders > 0 ? net / i.orders : null;
  return {
    currency: i.currency,
    sessions: hasSessions ? i.sessions : null,
    botSessions: hasSessions && withAgent > 0 ? botSessions : null,
    humanSessions: hasSessions ? human : null,
    orders: i.orders,
    customers: i.customers,
    grossMinor: decimalToMinor(i.gross, exp),
    discountMinor: decimalToMinor(i.discount, exp),
    returnsMinor: decimalToMinor(i.returns, exp),
    netRevenueMinor: net,
    cvr,
    cvrAllSessions: hasSessions ? i.orders / i.sessions : null,
    aovMinor: aov,
    rpsMinor: hasSessions && human > 0 ? net / human : null,
    unknown,
  };
}
