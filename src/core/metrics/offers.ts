import { offerTypeOf } from '../offers/registry.js';
import type { Levers } from './identity.js';

export interface OfferKpis {
  offers: {
    offerId: string;
    shown: number;
    accepted: number;
    declined: number;
    acceptanceRate: number | null;
  }[];
  /**
   * The same by offer type (the id up to its first colon: cross-sell:filters-100 is a cross-sell), most shown
   * first.
   */
  byType: {
    type: string;
    shown: number;
    accepted: number;
    declined: number;
    acceptanceRate: number | null;
  }[];
  shown: number;
  accepted: number;
  acceptanceRate: number | null;
  treatment: Levers | null;
  holdout: Levers | null;
  /** Relative RPS of treated over holdout sessions; null without both groups. */
  rpsLift: number | null;
  aovLift: number | null;
  cvrLift: number | null;
  /** Said when either group has too few orders for the lift to mean much. */
  caution: string | null;
}

/** Below this many orders in a group, a difference in RPS is mostly noise (order values vary by ±100%). */
export const MIN_GROUP_ORDERS = 30;

export function offerKpis(
  rows: readonly { offer_id: string; shown: number; accepted: number; declined: number }[],
  treatment: Levers | null,
  holdout: Levers | null,
): OfferKpis {
  const shown = rows.reduce((s, r) => s + r.shown, 0);
  const accepted = rows.reduce((s, r) => s + r.accepted, 0);
  const rel = (a: number | null | undefined, b: number | null | undefined) =>
    a != null && b ? a / b - 1 : null;
  return {
    offers: rows.map((r) => ({
      offerId: r.offer_id,
      shown: r.shown,
      accepted: r.accepted,
      declined: r.declined,
      acceptanceRate: r.shown ? r.accepted / r.shown : null,
    })),
    byType: byType(rows),
    shown,
    accepted,
    acceptanceRate: shown ? accepted / shown : null,
    treatment,
    holdout,
    caution:
      treatment && holdout && Math.min(treatment.orders, holdout.orders) < MIN_GROUP_ORDERS
        ? `only ${Math.min(treatment.orders, holdout.orders)} ` +
          `order${Math.min(treatment.orders, holdout.orders) === 1 ? '' : 's'} in the ` +
          `${treatment.orders < holdout.orders ? 'treated group' : 'holdout'}: too few to tell a lift from ` +
          `noise (want ${MIN_GROUP_ORDERS}+ in each)`
        : null,
    rpsLift: rel(treatment?.rpsMinor, holdout?.rpsMinor),
    aovLift: rel(treatment?.aovMinor, holdout?.aovMinor),
    cvrLift: rel(treatment?.cvr, holdout?.cvr),
  };
}

function byType(
  rows: readonly { offer_id: string; shown: number; accepted: number; declined: number }[],
): OfferKpis['byType'] {
  const m = new Map<string, { shown: number; accepted: number; declined: number }>();
  for (const r of rows) {
    const type = offerTypeOf(r.offer_id);
    const t = m.get(type) ?? { shown: 0, accepted: 0, declined: 0 };
    t.shown += r.shown;
    t.accepted += r.accepted;
    t.declined += r.declined;
    m.set(type, t);
  }
  return [...m]
    .map(([type, t]) => ({ type, ...t, acceptanceRate: t.shown ? t.accepted / t.shown : null }))
    .sort((a, b) => b.shown - a.shown || a.type.localeCompare(b.type));
}
