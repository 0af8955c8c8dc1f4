import { LeversError } from '../core/errors.js';
import { configUnderVariant, type OfferConfig } from '../core/offers/config.js';
import type { DecideContext } from '../core/offers/decide.js';
import { replayAll, type ReplayDecision, type StorefrontApi } from '../sim/replay.js';
import { type ArmTruth, type ExperimentTruth, experimentTruth } from '../sim/truth.js';
import type { Store } from '../store/port.js';
import { type ReplayOptions, replaySessions } from './replay.js';
import { Serving, servingSnapshot } from './serving.js';

export type ReplayArm = ArmTruth & {
  orders: number;
  revenueMinor: number;
  overrides: Record<string, unknown>;
};
export type ReplayTruth = ExperimentTruth<ReplayArm> & { hypothesis: string; botsSkipped: number };

/** The storefront API answered in process by a Serving, as levers serve would answer it; events go nowhere. */
export function inProcess(serving: Serving): StorefrontApi {
  return {
    decide: async (req) => JSON.parse(serving.decide(req as DecideContext)) as ReplayDecision,
    events: async () => {},
  };
}

/**
 * `levers replay --truth`: the same shoppers a replay sends to the server, replayed in process under each variant
 * of an offer experiment for every session (the store's model and histories, the configuration with that
 * variant's overrides). The treated sessions' CVR, AOV and RPS under each variant, and the lifts against the
 * control, are the experiment's true effect on these shoppers: what its intervals should cover.
 */
export async function replayTruth(
  store: Store,
  offers: OfferConfig,
  id: string | undefined,
  o: ReplayOptions,
  clock: () => Date = () => new Date(),
): Promise<ReplayTruth> {
  const list = offers.experiments;
  const e = id ? list.find((x) => x.id === id) : list.length === 1 ? list[0] : undefined;
  if (!e && id)
    throw new LeversError('UNKNOWN_EXPERIMENT', { id, known: list.map((x) => x.id).join(', ') || 'none' });
  if (!e)
    throw new LeversError('INVALID_OPTION', {
      option: 'experiment',
      detail: list.length
        ? `name the experiment whose truth to compute: ${list.map((x) => x.id).join(', ')}`
        : 'the configuration declares no offer experiment (offers.experiments)',
    });
  const sessions = replaySessions(o).filter(
    // A customer experiment only covers sessions whose customer is known.
    (s) => e.unit !== 'customer' || s.session.customer_id != null,
  );
  const base = servingSnapshot(store, offers);
  const arms: ReplayArm[] = [];
  let botsSkipped = 0;
  for (const v of e.variants) {
    const serving = new Serving({ ...base, offers: configUnderVariant(offers, e.id, v.id) }, clock);
    const t = await replayAll(sessions, inProcess(serving), o.seed, o.concurrency);
    botsSkipped = t.botsSkipped;
    // The experiment's population: treated sessions (the global holdout is in no experiment).
    const n = t.sessions.treatment;
    const orders = t.orders.treatment;
    const revenue = t.revenueMinor.treatment;
    arms.push({
      id: v.id,
      overrides: v.overrides,
      sessions: n,
      orders,
      revenueMinor: revenue,
      cvr: n ? orders / n : 0,
      aovMinor: orders ? revenue / orders : 0,
      rpsMinor: n ? revenue / n : 0,
    });
  }
  return { ...experimentTruth(e.id, arms), hypothesis: e.hypothesis, botsSkipped };
}
