import { offerTypeOf } from '../offers/registry.js';
import type { Change } from '../stats/compare.js';
import type { Levers } from './identity.js';
import type { LeverChanges } from './uncertainty.js';

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
  /**
   * O8: the same by channel (web, chat, email), most shown first; replied counts "tell me more" in the chat.
   */
  byChannel: {
    channel: string;
    shown: number;
    accepted: number;
    declined: number;
    replied: number;
    acceptanceRate: number | null;
  }[];
  shown: number;
  accepted: number;
  acceptanceRate: number | null;
  treatment: Levers | null;
  holdout: Levers | null;
  /** Treated against held-out sessions, each lever with its 95% interval; null without both groups. */
  lift: { rps: Change | null; cvr: Change | null; aov: Change | null } | null;
  /** What the lift says, in words: a detectable difference, or none yet and the smallest this traffic can show. */
  verdict: string | null;
}

/** Offer events counted per offer id and channel (no channel: web). */
export interface OfferCountRow {
  offer_id: string;
  channel?: string;
  shown: number;
  accepted: number;
  declined: number;
  replied?: number;
}

export function offerKpis(
  perChannel: readonly OfferCountRow[],
  treatment: Levers | null,
  holdout: Levers | null,
  lift: LeverChanges | null,
): OfferKpis {
  const rows = sumBy(perChannel, (r) => r.offer_id).map(([offer_id, t]) => ({ offer_id, ...t }));
  const shown = rows.reduce((s, r) => s + r.shown, 0);
  const accepted = rows.reduce((s, r) => s + r.accepted, 0);
  const l = treatment && holdout && lift ? { rps: lift.rps, cvr: lift.cvr, aov: lift.aov } : null;
  return {
    offers: rows
      .sort((a, b) => b.shown - a.shown || a.offer_id.localeCompare(b.offer_id))
      .map((r) => ({
        offerId: r.offer_id,
        shown: r.shown,
        accepted: r.accepted,
        declined: r.declined,
        acceptanceRate: r.shown ? r.accepted / r.shown : null,
      })),
    byType: byType(rows),
    byChannel: sumBy(perChannel, (r) => r.channel ?? 'web')
      .map(([channel, t]) => ({ channel, ...t, acceptanceRate: t.shown ? t.accepted / t.shown : null }))
      .sort((a, b) => b.shown - a.shown || a.channel.localeCompare(b.channel)),
    shown,
    accepted,
    acceptanceRate: shown ? accepted / shown : null,
    treatment,
    holdout,
    lift: l,
    verdict: l ? verdictOf(l.rps) : null,
  };
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;

function verdictOf(rps: Change | null): string {
  if (!rps?.relative) return 'no lift can be measured yet: one group has no revenue';
  const r = rps.relative;
  const ci = `95% CI ${pct(r.low)} to ${pct(r.high)}`;
  if (rps.detectable)
    return `treated sessions earn ${pct(r.value)} revenue per session against the holdout (${ci})`;
  const mde =
    rps.mde != null ? `; at this traffic only a lift beyond ±${(rps.mde * 100).toFixed(0)}% would show` : '';
  return `no detectable difference between treated and held-out sessions yet (RPS ${pct(r.value)}, ${ci})${mde}`;
}

function byType(rows: readonly OfferCountRow[]): OfferKpis['byType'] {
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

type Counts = { shown: number; accepted: number; declined: number; replied: number };

/** The counts summed by a key, in first-seen order. */
function sumBy(rows: readonly OfferCountRow[], key: (r: OfferCountRow) => string): [string, Counts][] {
  const m = new Map<string, Counts>();
  for (const r of rows) {
    const k = key(r);
    const t = m.get(k) ?? { shown: 0, accepted: 0, declined: 0, replied: 0 };
    t.shown += r.shown;
    t.accepted += r.accepted;
    t.declined += r.declined;
    t.replied += r.replied ?? 0;
    m.set(k, t);
  }
  return [...m];
}
