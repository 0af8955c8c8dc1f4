import type { SessionOutcome } from './shopper.js';

/** Counts that CVR and AOV are made of, kept per device so mix and rate can be told apart. */
export interface Tally {
  sessions: number;
  botSessions: number;
  orders: number;
  netMinor: number;
  /** Net merchandise − cost of goods + shipping charged − shipping paid (one fee per order). */
  profitMinor: number;
}

export interface Metrics {
  sessions: number;
  humanSessions: number;
  botSessions: number;
  botShare: number;
  orders: number;
  netRevenueMinor: number;
  /** Orders / human sessions. */
  cvr: number;
  aovMinor: number;
  rpsMinor: number;
  profitPerSessionMinor: number;
  byDevice: Record<
    string,
    { sessions: number; share: number; orders: number; cvr: number; aovMinor: number; rpsMinor: number }
  >;
}

/**
 * A session's net merchandise revenue, as the store's queries define it: a cancelled order is no order; net =
 * gross − discount − refunded.
 */
export function sessionNetMinor(o: SessionOutcome): number {
  if (!o.order || o.order.status === 'cancelled') return 0;
  return (o.order.gross_merchandise ?? 0) - o.order.discount - o.order.refunded;
}

/** A session's profit: net merchandise − cost of goods + shipping charged − what shipping cost the store. */
export function sessionProfitMinor(o: SessionOutcome): number {
  if (!o.order || o.order.status === 'cancelled') return 0;
  return sessionNetMinor(o) - o.costOfGoodsMinor + o.order.shipping - o.shippingCostMinor;
}

export class TallyByDevice {
  readonly devices = new Map<string, Tally>();

  add(o: SessionOutcome): void {
    const key = o.isBot ? 'bot' : o.session.device;
    let t = this.devices.get(key);
    if (!t)
      this.devices.set(key, (t = { sessions: 0, botSessions: 0, orders: 0, netMinor: 0, profitMinor: 0 }));
    t.sessions++;
    if (o.isBot) t.botSessions++;
    if (o.order && o.order.status !== 'cancelled') {
      t.orders++;
      t.netMinor += sessionNetMinor(o);
      t.profitMinor += sessionProfitMinor(o);
    }
  }

  metrics(): Metrics {
    let sessions = 0,
      bots = 0,
      orders = 0,
      net = 0,
      profit = 0;
    for (const t of this.devices.values()) {
      sessions += t.sessions;
      bots += t.botSessions;
      orders += t.orders;
      net += t.netMinor;
      profit += t.profitMinor;
    }
    const human = sessions - bots;
    const byDevice: Metrics['byDevice'] = {};
    for (const [d, t] of [...this.devices].sort()) {
      if (d === 'bot') continue;
      byDevice[d] = {
        sessions: t.sessions,
        share: human ? t.sessions / human : 0,
        orders: t.orders,
        cvr: t.sessions ? t.orders / t.sessions : 0,
        aovMinor: t.orders ? t.netMinor / t.orders : 0,
        rpsMinor: t.sessions ? t.netMinor / t.sessions : 0,
      };
    }
    return {
      sessions,
      humanSessions: human,
      botSessions: bots,
      botShare: sessions ? bots / sessions : 0,
      orders,
      netRevenueMinor: net,
      cvr: human ? orders / human : 0,
      aovMinor: orders ? net / orders : 0,
      rpsMinor: human ? net / human : 0,
      profitPerSessionMinor: human ? profit / human : 0,
      byDevice,
    };
  }
}

export function effect(after: Metrics, counterfactual: Metrics) {
  const rel = (a: number, b: number) => (b === 0 ? null : a / b - 1);
  return {
    cvr: {
      realized: after.cvr,
      counterfactual: counterfactual.cvr,
      relative: rel(after.cvr, counterfactual.cvr),
    },
    aovMinor: {
      realized: after.aovMinor,
      counterfactual: counterfactual.aovMinor,
      relative: rel(after.aovMinor, counterfactual.aovMinor),
    },
    rpsMinor: {
      realized: after.rpsMinor,
      counterfactual: counterfactual.rpsMinor,
      relative: rel(after.rpsMinor, counterfactual.rpsMinor),
    },
    netRevenueMinor: { realized: after.netRevenueMinor, counterfactual: counterfactual.netRevenueMinor },
    mobileShare: {
      realized: after.byDevice.mobile?.share ?? 0,
      counterfactual: counterfactual.byDevice.mobile?.share ?? 0,
    },
  };
}

/** One variant's metrics with every session of the experiment's population replayed under it. */
export interface ArmTruth {
  id: string;
  sessions: number;
  cvr: number;
  aovMinor: number;
  rpsMinor: number;
}

export interface ExperimentTruth<A extends ArmTruth = ArmTruth> {
  id: string;
  variants: A[];
  /** Each variant against the first (the control): relative lifts, 0 when the control's figure is 0. */
  effect: Record<string, { cvr: number; aov: number; rps: number }>;
}

/**
 * An experiment's truth from its variants, each measured on the same shoppers (the simulator replays its run
 * under each threshold, levers replay --truth its day under each variant's configuration): the lifts of every
 * variant against the control, which an experiment's intervals should cover.
 */
export function experimentTruth<A extends ArmTruth>(id: string, variants: A[]): ExperimentTruth<A> {
  const c = variants[0]!;
  const rel = (a: number, b: number) => (b === 0 ? 0 : a / b - 1);
  return {
    id,
    variants,
    effect: Object.fromEntries(
      variants
        .slice(1)
        .map((v) => [
          v.id,
          { cvr: rel(v.cvr, c.cvr), aov: rel(v.aovMinor, c.aovMinor), rps: rel(v.rpsMinor, c.rpsMinor) },
        ]),
    ),
  };
}
