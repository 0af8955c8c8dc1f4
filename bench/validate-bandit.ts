import { type ArmSums, thompsonWeights } from '../src/core/experiments/bandit.js';
import { assign } from '../src/core/experiments/assign.js';
import { Rng, seedOf } from '../src/core/rng.js';
import { forEachSessionAt } from '../src/sim/simulate.js';
import { sessionProfitMinor } from '../src/sim/truth.js';

/**
 * E3: does the bandit earn more than a fixed equal split? A simulated store runs a free-shipping threshold
 * experiment whose arms' true rewards are known: every treated human session is replayed under each arm's
 * threshold (the same shoppers, common random numbers), so each session's profit under every arm is known.
 * Day by day, the bandit's weights come from what it has seen so far (Thompson sampling on profit per session,
 * floor per arm, weights recomputed once a day exactly as `levers experiment weights` does), sessions are
 * assigned by the server's hash against those weights, and the reward of the arm a session got is realised.
 * The equal split assigns by the same hash at equal weights; the oracle gives every session the arm that is best
 * over the whole run. Regret = oracle − policy.
 *
 * Cheap by construction: the store is simulated once per arm (not once per day and policy), and both policies
 * read the per-session outcomes; no database is involved (the store's reward sums are checked against these
 * same per-session outcomes in src/store/sql/queries/rewards.test.ts).
 * Run: npm run build && node dist/bench/validate-bandit.js [seeds] [days] [sessionsPerDay] [floor]
 */
const SEEDS = Number(process.argv[2] ?? 10);
const DAYS = Number(process.argv[3] ?? 28);
const PER_DAY = Number(process.argv[4] ?? 3000);
const FLOOR = Number(process.argv[5] ?? 0.1);
const THRESHOLDS = [2000, 5000, 9000];
const ARMS = THRESHOLDS.map((t) => `t${t / 100}`);
const EXPERIMENT = 'bandit-threshold';

interface Sessions {
  ids: string[];
  day: number[];
  /** profit[k][i]: session i's profit (minor units) under arm k. */
  profit: number[][];
}

/** Treated human sessions (the experiment's population: no bots, not the global holdout) under every arm. */
function outcomes(seed: number): Sessions {
  const s: Sessions = { ids: [], day: [], profit: THRESHOLDS.map(() => []) };
  const seen = THRESHOLDS.map(() => 0);
  const opts = {
    seed,
    days: DAYS,
    sessionsPerDay: PER_DAY,
    startMs: Date.UTC(2026, 0, 5),
    currency: 'USD',
    scenario: 'baseline',
  };
  forEachSessionAt(opts, THRESHOLDS, (k, o, day) => {
    if (o.isBot || o.holdout) return;
    if (k === 0) {
      s.ids.push(o.session.session_id);
      s.day.push(day);
    } else if (s.ids[seen[k]!] !== o.session.session_id) throw new Error('replays met different sessions');
    seen[k]!++;
    s.profit[k]!.push(sessionProfitMinor(o));
  });
  return s;
}

/** A policy's total reward, and the sessions each arm got on the last day. */
function run(s: Sessions, seed: number, bandit: boolean) {
  const k = THRESHOLDS.length;
  let weights = ARMS.map(() => 1 / k);
  const sums: ArmSums[] = ARMS.map((id) => ({ id, n: 0, sx: 0, sxx: 0 }));
  let total = 0;
  const lastDay = ARMS.map(() => 0);
  let i = 0;
  for (let day = 0; day < DAYS; day++) {
    const variants = ARMS.map((id, j) => ({ id, weight: weights[j]! }));
    for (; i < s.ids.length && s.day[i] === day; i++) {
      const a = assign({ experiment: EXPERIMENT, unit: s.ids[i]!, holdoutShare: 0, variants });
      const j = ARMS.indexOf(a.variant!);
      const x = s.profit[j]![i]!;
      total += x;
      const m = sums[j]!;
      m.n++;
      m.sx += x;
      m.sxx += x * x;
      if (day === DAYS - 1) lastDay[j]!++;
    }
    if (bandit)
      weights = thompsonWeights(sums, { floor: FLOOR, rng: new Rng(seedOf('bandit', seed, day)) }).arms.map(
        (a) => a.weight,
      );
  }
  return { total, lastDay, weights };
}

const t0 = performance.now();
const acc = {
  sessions: 0,
  oracle: 0,
  equal: 0,
  bandit: 0,
  bestShareLast: 0,
  bestWeight: 0,
  worstShareLast: 0,
};
const lines: string[] = [];
for (let seed = 1; seed <= SEEDS; seed++) {
  const s = outcomes(500 + seed);
  const n = s.ids.length;
  const means = s.profit.map((p) => p.reduce((a, x) => a + x, 0) / n);
  const best = means.indexOf(Math.max(...means));
  const worst = means.indexOf(Math.min(...means));
  const oracle = means[best]! * n;
  const equal = run(s, seed, false);
  const bandit = run(s, seed, true);
  const lastN = bandit.lastDay.reduce((a, x) => a + x, 0);
  acc.sessions += n;
  acc.oracle += oracle;
  acc.equal += equal.total;
  acc.bandit += bandit.total;
  acc.bestShareLast += bandit.lastDay[best]! / lastN;
  acc.worstShareLast += bandit.lastDay[worst]! / lastN;
  acc.bestWeight += bandit.weights[best]!;
  lines.push(
    `  seed ${500 + seed}: true profit/session ${means.map((m, j) => `${ARMS[j]} ${(m / 100).toFixed(4)}`).join(', ')}` +
      ` (best ${ARMS[best]}); regret/session equal ${((oracle - equal.total) / n).toFixed(2)}¢, bandit ` +
      `${((oracle - bandit.total) / n).toFixed(2)}¢; last day on best ${((bandit.lastDay[best]! / lastN) * 100).toFixed(0)}%`,
  );
}
const dollars = (minor: number) => `$${(minor / 100).toFixed(0)}`;
const cents = (minor: number) => `${(minor / acc.sessions).toFixed(2)}¢`;
const rEqual = acc.oracle - acc.equal;
const rBandit = acc.oracle - acc.bandit;
console.log(
  `bandit on profit per session, ${SEEDS} seeds × ${DAYS} days × ${PER_DAY} sessions, free-shipping arms ` +
    `${ARMS.join(' / ')}, floor ${FLOOR}, weights recomputed daily`,
);
for (const l of lines) console.log(l);
console.log(
  `  regret against the oracle (always the best arm), all seeds: equal split ${dollars(rEqual)} ` +
    `(${cents(rEqual)} per session), bandit ${dollars(rBandit)} (${cents(rBandit)} per session): ` +
    `${((1 - rBandit / rEqual) * 100).toFixed(0)}% less regret with the bandit`,
);
console.log(
  `  bandit's extra profit over the equal split: ${dollars(acc.bandit - acc.equal)} ` +
    `(${cents(acc.bandit - acc.equal)} per session); last day: ${((acc.bestShareLast / SEEDS) * 100).toFixed(0)}% of sessions ` +
    `on the best arm (weight ${(acc.bestWeight / SEEDS).toFixed(2)}), ${((acc.worstShareLast / SEEDS) * 100).toFixed(0)}% on the worst`,
);
console.log(`(${((performance.now() - t0) / 1000).toFixed(0)} s)`);
