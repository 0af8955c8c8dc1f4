import { LeversError } from '../errors.js';
import type { Rng } from '../rng.js';
import { meanOf } from '../stats/estimate.js';

/**
 * Thompson sampling over an experiment's arms (E3), from per-arm sums of the reward per unit (profit or revenue
 * per session, in minor units): n, Σx, Σx². Pure: the random source comes in seeded, so the same sums and seed
 * give the same weights on every server and in every test.
 *
 * Each arm's mean reward gets a normal posterior N(x̄, s²/n) (a flat prior; the sample variance plugged in).
 * Revenue per session is mostly zeros with a heavy right tail, so no conjugate family fits it; the mean of n
 * such values is nevertheless close to normal by the central limit theorem once n is in the hundreds, which is
 * where a bandit's arms are (below MIN_UNITS we do not sample at all). This is the Gaussian Thompson sampling of
 * Agrawal & Goyal (2013) with the unknown variance estimated, as Scott (2010, "A modern Bayesian look at the
 * multi-armed bandit", §3) and GrowthBook's bandits do.
 *
 * The weights are P(arm is best) by Monte Carlo (Scott 2010: allocate in proportion to the chance of being
 * optimal), then a floor: w = floor + (1 − k × floor) × P(best), so every arm keeps learning and the weights
 * sum to 1.
 */
export interface ArmSums {
  id: string;
  /** Units (sessions) the arm was shown to. */
  n: number;
  /** Σx and Σx² of the reward per unit. */
  sx: number;
  sxx: number;
}

export interface ArmWeight {
  id: string;
  n: number;
  /** Posterior mean and standard deviation of the arm's mean reward per unit; null below MIN_UNITS. */
  mean: number | null;
  sd: number | null;
  /** Share of the draws in which this arm had the highest mean reward. */
  probabilityBest: number;
  /** E[max over arms − this arm] over the draws: reward per unit lost by choosing this arm (0 when it is best). */
  expectedLoss: number | null;
  weight: number;
}

export type BanditCode = 'THOMPSON' | 'TOO_FEW_UNITS';

export interface BanditResult {
  code: BanditCode;
  reason: string;
  arms: ArmWeight[];
  draws: number;
}

/** Units every arm needs before its posterior is trusted: under this the split stays equal. */
export const MIN_UNITS = 100;
export const DEFAULT_DRAWS = 10_000;

export interface BanditOptions {
  floor: number;
  /** A seeded source of standard normal draws (core/rng.ts). */
  rng: Pick<Rng, 'normal'>;
  draws?: number;
}

/** Thompson sampling weights with a floor per arm; see the module comment. */
export function thompsonWeights(arms: readonly ArmSums[], o: BanditOptions): BanditResult {
  const k = arms.length;
  if (k < 2) throw new LeversError('INVALID_OPTION', { option: 'arms', detail: 'a bandit needs two arms' });
  if (!(o.floor >= 0 && o.floor * k <= 1))
    throw new LeversError('INVALID_OPTION', {
      option: 'floor',
      detail: `${o.floor} × ${k} arms is over 1: the floors alone would take more than all the traffic`,
    });
  const draws = o.draws ?? DEFAULT_DRAWS;
  const posts = arms.map((a) =>
    a.n >= MIN_UNITS ? meanOf({ n: a.n, sx: a.sx, sxx: a.sxx, sy: a.n, syy: a.n, sxy: a.sx }) : null,
  );
  const few = arms.filter((_, i) => !posts[i]);
  if (few.length) {
    return {
      code: 'TOO_FEW_UNITS',
      reason:
        `${few.map((a) => `${a.id} has ${a.n}`).join(', ')} unit(s), under the ${MIN_UNITS} an arm needs: ` +
        'equal weights until then',
      arms: arms.map((a, i) => ({
        id: a.id,
        n: a.n,
        mean: posts[i]?.value ?? null,
        sd: posts[i] ? Math.sqrt(posts[i].variance) : null,
        probabilityBest: 1 / k,
        expectedLoss: null,
        weight: 1 / k,
      })),
      draws: 0,
    };
  }
  const mean = posts.map((p) => p!.value);
  const sd = posts.map((p) => Math.sqrt(p!.variance));
  const { wins, loss } = sample(mean, sd, draws, o.rng);
  const out = arms.map((a, i) => ({
    id: a.id,
    n: a.n,
    mean: mean[i]!,
    sd: sd[i]!,
    probabilityBest: wins[i]! / draws,
    expectedLoss: loss[i]! / draws,
    weight: o.floor + (1 - k * o.floor) * (wins[i]! / draws),
  }));
  const best = out.reduce((b, a) => (a.probabilityBest > b.probabilityBest ? a : b));
  return {
    code: 'THOMPSON',
    reason:
      `${best.id} is best with probability ${best.probabilityBest.toFixed(3)} over ${draws} draws; ` +
      `each arm keeps at least ${o.floor}`,
    arms: out,
    draws,
  };
}

/**
 * Monte Carlo over the posteriors: per draw, one mean per arm; the arm(s) with the highest win (a tie is split
 * evenly, which only happens between arms of zero variance), and every arm loses max − its draw.
 */
function sample(
  mean: readonly number[],
  sd: readonly number[],
  draws: number,
  rng: Pick<Rng, 'normal'>,
): { wins: number[]; loss: number[] } {
  const k = mean.length;
  const wins = new Array<number>(k).fill(0);
  const loss = new Array<number>(k).fill(0);
  const x = new Array<number>(k).fill(0);
  for (let d = 0; d < draws; d++) {
    let max = -Infinity;
    for (let i = 0; i < k; i++) {
      x[i] = mean[i]! + sd[i]! * rng.normal();
      if (x[i]! > max) max = x[i]!;
    }
    let tied = 0;
    for (let i = 0; i < k; i++) if (x[i] === max) tied++;
    for (let i = 0; i < k; i++) {
      if (x[i] === max) wins[i]! += 1 / tied;
      loss[i]! += max - x[i]!;
    }
  }
  return { wins, loss };
}
