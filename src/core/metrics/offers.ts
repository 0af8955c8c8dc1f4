import type { Levers } from './identity.js';

export interface OfferKpis {
  offers: { offerId: string; shown: number; accepted: number; declined: number; acceptanceRate: number | null }[];
  shown: number;
  accepted: number;
  acceptanceRate: number | null;
  treatment: Levers | null;
  holdout: Levers | null;
  /** Relative RPS of treated over holdout sessions; null without both groups. */
  rpsLift: number | null;
  aovLift: number | null;
  cvrLift: number | null;
}

export function offerKpis(rows: readonly { offer_id: string; shown: number; accepted: number; declined: number }[], treatment: Levers | null, holdout: Levers | null): OfferKpis {
  const shown = rows.reduce((s, r) => s + r.shown, 0);
  const accepted = rows.reduce((s, r) => s + r.accepted, 0);
  const rel = (a: number | null | undefined, b: number | null | undefined) => (a != null && b ? a / b - 1 : null);
  return {
    offers: rows.map((r) => ({ offerId: r.offer_id, shown: r.shown, accepted: r.accepted, declined: r.declined, acceptanceRate: r.shown ? r.accepted / r.shown : null })),
    shown, accepted, acceptanceRate: shown ? accepted / shown : null, treatment, holdout,
    rpsLift: rel(treatment?.rpsMinor, holdout?.rpsMinor), aovLift: rel(treatment?.aovMinor, holdout?.aovMinor), cvrLift: rel(treatment?.cvr, holdout?.cvr),
  };
}
