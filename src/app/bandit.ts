import { z } from 'zod';
import { type ArmSums, DEFAULT_DRAWS, thompsonWeights } from '../core/experiments/bandit.js';
import { BANDIT_WEIGHTS_FORMAT, type BanditWeights } from '../core/experiments/bandit-snapshot.js';
import { Day, type Experiment, everyMs } from '../core/experiments/config.js';
import { LeversError, zodProblem } from '../core/errors.js';
import type { OfferConfig } from '../core/offers/config.js';
import { Rng, seedOf } from '../core/rng.js';
import { type ProfitBasis, type RewardSums, type Store, withDatabase } from '../store/port.js';
import { profitBasisOf, scopeOf } from './experiment.js';

export const WeightsOptionsSchema = z.strictObject({
  /** Last day of data to learn from (default: the experiment's last day with data). */
  to: Day.optional(),
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .optional(),
  /** Publish even when the weights in force are younger than the bandit's `every`. */
  force: z.boolean().default(false),
  /** The Monte Carlo draws' seed (default: derived from the experiment and the version, so a rerun agrees). */
  seed: z.coerce.number().int().optional(),
  draws: z.coerce.number().int().min(1000).max(1_000_000).default(DEFAULT_DRAWS),
});
export type WeightsOptions = z.input<typeof WeightsOptionsSchema>;

export interface WeightsResult {
  /** False when the weights in force are not due for replacement yet (see `due`). */
  published: boolean;
  file: string | null;
  /** The shared database the new weights were published to, for every server (null: this folder's servers). */
  database: string | null;
  /** The weights now in force: the new ones, or the current ones when not due. */
  weights: BanditWeights;
  /** When the next publication is due (the current weights' time + the bandit's `every`). */
  due: string;
  /** The bandit's `every`. */
  every: string;
}

/**
 * E3: a bandit's weights from the store's per-variant rewards (Thompson sampling, a floor per arm), published as
 * the experiment's next weights version, which levers serve assigns by from its next (re)load. Run on a schedule
 * (cron); a run before the bandit's `every` has passed since the weights in force leaves them, unless forced.
 */
export async function publishBanditWeights(
  store: Store,
  id: string,
  o: { offers: OfferConfig; now: Date } & WeightsOptions,
): Promise<WeightsResult> {
  const { offers, now, ...raw } = o;
  const parsed = WeightsOptionsSchema.safeParse(raw);
  if (!parsed.success) {
    const { path, problem } = zodProblem(parsed.error, 'option');
    throw new LeversError('INVALID_OPTION', { option: path, detail: problem });
  }
  const opt = parsed.data;
  const e = banditOf(offers.experiments, id);
  const bandit = e.bandit!;
  // A shared store numbers versions across machines, and says which weights are in force: its newest first.
  await store.pullSnapshots?.();
  const current = store.snapshots.loadBanditWeights().find((w) => w.experiment === id);
  if (current && !opt.force) {
    const due = new Date(Date.parse(current.createdAt) + everyMs(bandit.every));
    if (now < due)
      return {
        published: false,
        file: null,
        database: null,
        weights: current,
        due: due.toISOString(),
        every: bandit.every,
      };
  }
  const basis = profitBasisOf(offers);
  return withDatabase(store, async (db) => {
    const { window, currency } = await scopeOf(
      db,
      { ...(opt.to ? { to: opt.to } : {}), ...(opt.currency ? { currency: opt.currency } : {}) },
      { from: e.start, ...(e.end ? { to: e.end } : {}) },
    );
    const rows = await db.experimentRewards(currency, window, e.id, basis);
    if (!rows.some((r) => e.variants.some((v) => v.id === r.segment) && r.n > 0))
      throw new LeversError('NO_DATA', {
        what: `sessions in experiment ${e.id} in ${window.from}..${window.to}`,
        hint: "its sessions come from levers serve's event log (levers ingest api-events) while it runs",
      });
    const { reward, note } = rewardOf(bandit.reward, rows, basis);
    const arms: ArmSums[] = e.variants.map((v) => {
      const r = rows.find((x) => x.segment === v.id);
      const s = r ? (reward === 'profit' ? r.profit : r.revenue) : { sx: 0, sxx: 0 };
      return { id: v.id, n: r?.n ?? 0, sx: s.sx, sxx: s.sxx };
    });
    const version = store.snapshots.nextBanditVersion(e.id);
    const seed = opt.seed ?? seedOf('bandit', e.id, version);
    const t = thompsonWeights(arms, { floor: bandit.floor, rng: new Rng(seed), draws: opt.draws });
    const weights: BanditWeights = {
      format: BANDIT_WEIGHTS_FORMAT,
      experiment: e.id,
      version,
      createdAt: now.toISOString(),
      reward,
      rewardNote: note,
      currency,
      window,
      floor: bandit.floor,
      code: t.code,
      reason: t.reason,
      seed,
      draws: t.draws,
      arms: t.arms,
    };
    const file = store.snapshots.saveBanditWeights(weights);
    const database = store.publishBanditWeights ? store.location : null;
    await store.publishBanditWeights?.(weights);
    const due = new Date(now.getTime() + everyMs(bandit.every)).toISOString();
    return { published: true, file, database, weights, due, every: bandit.every };
  });
}

function banditOf(experiments: readonly Experiment[], id: string): Experiment {
  const e = experiments.find((x) => x.id === id);
  if (!e)
    throw new LeversError('UNKNOWN_EXPERIMENT', {
      id,
      known: experiments.map((x) => x.id).join(', ') || 'none',
    });
  // The id is the command's argument, not an option: name it as the user typed it.
  if (!e.bandit)
    throw new LeversError('INVALID_OPTION', {
      option: 'argument <id>',
      detail: `experiment ${id} is not a bandit: give it "bandit": {"floor": 0.1, "reward": "profit"} in the configuration`,
    });
  return e;
}

/**
 * The reward the weights are computed on, and what it rests on, said: profit needs product costs, so without a
 * single costed sale it falls back to revenue per session.
 */
export function rewardOf(
  asked: 'profit' | 'rps',
  rows: readonly RewardSums[],
  basis: ProfitBasis,
): { reward: 'profit' | 'rps'; note: string | null } {
  if (asked === 'rps') return { reward: 'rps', note: null };
  const sold = rows.reduce((s, r) => s + r.soldMinor, 0);
  const costed = rows.reduce((s, r) => s + r.costedMinor, 0);
  if (costed === 0)
    return {
      reward: 'rps',
      note: 'revenue per session, not profit: no product sold in the experiment has a cost (load product costs to optimise profit)',
    };
  const share = costed / sold;
  const parts = [
    share < 1
      ? `product costs cover ${(share * 100).toFixed(0)}% of the merchandise sold; the rest is priced at the assumed ${(basis.assumedMargin * 100).toFixed(0)}% margin`
      : 'product costs cover all the merchandise sold',
    basis.shippingCostMinor == null
      ? 'shipping left out (no freeShipping section to say what it costs)'
      : 'shipping charged less what it costs the store per order',
  ];
  return { reward: 'profit', note: `profit per session: ${parts.join('; ')}` };
}
