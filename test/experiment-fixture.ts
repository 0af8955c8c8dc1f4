import type { BanditWeights } from '../src/core/experiments/bandit-snapshot.js';

/** The offer experiment the tests share: free shipping from $50 (the control) against $75, half and half. */
export function thresholdExperiment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ship-50-75',
    hypothesis: 'a $75 threshold lifts order value more than it costs in conversion',
    start: '2026-12-01',
    variants: [
      { id: 'control', weight: 0.5 },
      { id: 't75', weight: 0.5, overrides: { freeShipping: { thresholdMinor: 7500 } } },
    ],
    ...extra,
  };
}

/** Published bandit weights for the threshold experiment: the control `c`, t75 the rest. */
export function weightsFixture(c: number, extra: Partial<BanditWeights> = {}): BanditWeights {
  const arm = (id: string, weight: number) => ({
    id,
    n: 1000,
    mean: 100,
    sd: 10,
    probabilityBest: weight,
    expectedLoss: 0,
    weight,
  });
  return {
    format: 1,
    experiment: 'ship-50-75',
    version: 2,
    createdAt: '2026-12-05T06:00:00.000Z',
    reward: 'profit',
    rewardNote: null,
    currency: 'USD',
    window: { from: '2026-12-01', to: '2026-12-04' },
    floor: 0.1,
    code: 'THOMPSON',
    reason: 'test',
    seed: 1,
    draws: 10_000,
    arms: [arm('control', c), arm('t75', 1 - c)],
    ...extra,
  };
}

/** A server configuration declaring the simulator's $50 vs $75 threshold experiment with profit per session as primary. */
/** The profit-primary threshold experiment's configuration; `experiment` adds keys to the experiment (e.g. capping). */
export function simProfitConfig(experiment: Record<string, unknown> = {}) {
  return {
    publishableKeys: ['pk_test_profit_0000000000'],
    secretKeys: ['sk_test_profit_0000000000'],
    offers: {
      economics: { defaultMarginPercent: 40 },
      freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
      experiments: [
        {
          id: 'sim-threshold',
          hypothesis: 'a $75 threshold earns more per session than $50',
          unit: 'session',
          start: '2026-01-01',
          primary: 'profit',
          variants: [
            { id: 't50', weight: 0.5, overrides: { freeShipping: { thresholdMinor: 5000 } } },
            { id: 't75', weight: 0.5, overrides: { freeShipping: { thresholdMinor: 7500 } } },
          ],
          ...experiment,
        },
      ],
    },
  };
}

/** The simulator's threshold experiment (levers simulate --experiment-thresholds 50,75) declared as a bandit. */
export const simBandit = (bandit: Record<string, unknown>) => ({
  id: 'sim-threshold',
  hypothesis: 'the better threshold earns more per session',
  unit: 'session',
  start: '2026-01-05',
  variants: [
    { id: 't50', weight: 0.5 },
    { id: 't75', weight: 0.5, overrides: { freeShipping: { thresholdMinor: 7500 } } },
  ],
  bandit,
});
