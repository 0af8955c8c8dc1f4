import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { thresholdExperiment } from '../../../test/experiment-fixture.js';
import { ROOT } from '../../../test/helpers.js';
import { LeversError } from '../errors.js';
import { everyMs, overlaps, statusOn } from './config.js';
import { configUnderVariant, parseOfferConfig } from '../offers/config.js';
import { decide } from '../offers/decide.js';
import type { RecsModel } from '../recs/model.js';

const model = JSON.parse(
  readFileSync(join(ROOT, 'test', 'golden', 'decide-model.json'), 'utf8'),
) as RecsModel;
const DAY = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 86_400_000;

const threshold = (extra: Record<string, unknown> = {}) =>
  thresholdExperiment({ end: '2026-12-28', ...extra });
const base = {
  holdoutShare: 0.05,
  freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
};

/** The first problem of the base configuration with one experiment whose variants are these. */
const withVariants = (...variants: unknown[]) => problem({ ...base, experiments: [threshold({ variants })] });

function problem(raw: unknown): { path: string; problem: string } {
  try {
    parseOfferConfig(raw);
  } catch (e) {
    assert.ok(e instanceof LeversError && e.code === 'CONFIG_INVALID', String(e));
    return e.details as { path: string; problem: string };
  }
  assert.fail('the configuration was accepted');
}

test('a variant overrides the threshold: its units see the $75 bar, the control’s do not, both exposed', () => {
  const config = parseOfferConfig({ ...base, experiments: [threshold()] });
  // A $60 cart: free shipping under the control's $50, a $15 gap under the variant's $75.
  const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 6000 }];
  const seen = { control: 0, t75: 0, holdout: 0 };
  for (let i = 0; i < 2000; i++) {
    const d = decide(model, config, { page: 'cart', sessionId: `s${i}`, cart, today: DAY('2026-12-05') });
    if (d.assignment.inHoldout) {
      seen.holdout++;
      assert.deepEqual(d.experiments, [], 'the global holdout stays outside every experiment');
      continue;
    }
    const [e] = d.experiments;
    assert.equal(e?.experiment, 'ship-50-75');
    const bar = d.offers.some((o) => o.type === 'free-shipping-progress');
    if (e!.variant === 't75') {
      seen.t75++;
      assert.ok(bar, 'the variant shows the progress bar');
      assert.match(d.info.shipping!, /free on orders over \$75\.00/);
    } else {
      seen.control++;
      assert.ok(!bar, 'the control reached free shipping');
      assert.equal(d.info.shipping, 'Free shipping on this order');
    }
  }
  // 50/50 of the treated units: 1,900 expected, σ ≈ 22 per arm.
  assert.ok(Math.abs(seen.control - seen.t75) < 200, JSON.stringify(seen));
  // The same unit keeps its variant; outside the dates nobody is exposed.
  const ctx = { page: 'cart' as const, sessionId: 's7', cart, today: DAY('2026-12-05') };
  assert.deepEqual(decide(model, config, ctx).experiments, decide(model, config, ctx).experiments);
  assert.deepEqual(decide(model, config, { ...ctx, today: DAY('2026-12-29') }).experiments, []);
  assert.deepEqual(decide(model, config, { ...ctx, today: undefined }).experiments, []);
});

test('bad experiment configurations are refused with the path and what to fix', () => {
  const weights = withVariants({ id: 'a', weight: 0.5 }, { id: 'b', weight: 0.4 });
  assert.deepEqual(weights, {
    path: 'experiments.0.variants',
    problem: 'weights sum to 0.9; they must sum to 1 (e.g. 0.5 and 0.5, or 0.3334, 0.3333 and 0.3333)',
  });
  // Three ways written to four decimals are a split, not an error; a sum off by more is refused.
  const thirds = [0.3333, 0.3333, 0.3333].map((weight, i) => ({ id: `v${i}`, weight }));
  assert.equal(
    parseOfferConfig({ ...base, experiments: [threshold({ variants: thirds })] }).experiments[0]!.variants
      .length,
    3,
  );
  assert.match(
    withVariants({ id: 'a', weight: 0.5 }, { id: 'b', weight: 0.4985 })!.problem,
    /^weights sum to 0\.9985;/,
  );
  // "holdout" names the global holdout.
  const reserved = problem({ ...base, experiments: [threshold({ id: 'holdout' })] });
  assert.equal(reserved.path, 'experiments.0.id');
  assert.match(reserved.problem, /global holdout/);
  const unknown = withVariants(
    { id: 'a', weight: 0.5 },
    { id: 'b', weight: 0.5, overrides: { freeShiping: { thresholdMinor: 7500 } } },
  );
  assert.deepEqual(unknown, {
    path: 'experiments.0.variants.1.overrides',
    problem: 'unknown key(s) freeShiping',
  });
  const value = withVariants(
    { id: 'a', weight: 0.5 },
    { id: 'b', weight: 0.5, overrides: { freeShipping: { thresholdMinor: -1 } } },
  );
  assert.equal(value.path, 'experiments.0.variants.1.overrides.freeShipping.thresholdMinor');
  const fixed = withVariants(
    { id: 'a', weight: 0.5 },
    { id: 'b', weight: 0.5, overrides: { holdoutShare: 0 } },
  );
  assert.equal(fixed.path, 'experiments.0.variants.1.overrides.holdoutShare');
  assert.match(fixed.problem, /cannot be changed by an experiment/);
  const overlap = problem({
    ...base,
    experiments: [threshold(), threshold({ id: 'ship-60', start: '2026-12-20', end: undefined })],
  });
  assert.equal(overlap.path, 'experiments.1');
  assert.match(overlap.problem, /ship-60 and ship-50-75 both change freeShipping on overlapping days/);
  // One after the other is fine.
  parseOfferConfig({
    ...base,
    experiments: [threshold(), threshold({ id: 'ship-60', start: '2026-12-29', end: undefined })],
  });
  assert.match(
    problem({ ...base, experiments: [threshold({ end: '2026-11-30' })] }).problem,
    /ends .* before/,
  );
  assert.match(
    problem({ ...base, experiments: [threshold({ start: '2026-02-30' })] }).problem,
    /calendar date/,
  );
  assert.match(
    problem({ ...base, experiments: [threshold({ variants: [{ id: 'a', weight: 1 }] })] }).problem,
    /at least two variants/,
  );
  assert.match(
    withVariants({ id: 'a', weight: 0.5 }, { id: 'a', weight: 0.5 }).problem,
    /variant a appears twice/,
  );
});

test('a bandit experiment: defaults filled, and bad bandit settings refused with the path', () => {
  const ok = parseOfferConfig({ ...base, experiments: [threshold({ bandit: {} })] });
  assert.deepEqual(ok.experiments[0]!.bandit, { floor: 0.1, reward: 'profit', every: '1d' });
  assert.equal(everyMs('12h'), 12 * 3_600_000);
  assert.equal(everyMs('2d'), 2 * 86_400_000);
  const three = [
    { id: 'a', weight: 0.4 },
    { id: 'b', weight: 0.3, overrides: { freeShipping: { thresholdMinor: 7500 } } },
    { id: 'c', weight: 0.3, overrides: { freeShipping: { thresholdMinor: 10000 } } },
  ];
  assert.deepEqual(
    problem({ ...base, experiments: [threshold({ variants: three, bandit: { floor: 0.4 } })] }),
    {
      path: 'experiments.0.bandit.floor',
      problem:
        '0.4 × 3 variants is over 1: the floors alone would take more than all the traffic (at most 0.333)',
    },
  );
  const every = problem({ ...base, experiments: [threshold({ bandit: { every: '1w' } })] });
  assert.equal(every.path, 'experiments.0.bandit.every');
  assert.match(every.problem, /whole hours or days, such as 12h or 1d/);
  const reward = problem({ ...base, experiments: [threshold({ bandit: { reward: 'revenue' } })] });
  assert.equal(reward.path, 'experiments.0.bandit.reward');
  assert.match(reward.problem, /profit.*rps/);
  const unknown = problem({ ...base, experiments: [threshold({ bandit: { flor: 0.1 } })] });
  assert.equal(unknown.path, 'experiments.0.bandit');
  assert.match(unknown.problem, /flor/);
  assert.equal(
    problem({ ...base, experiments: [threshold({ bandit: { floor: 0.6 } })] }).path,
    'experiments.0.bandit.floor',
  );
});

test('an experiment is scheduled before its start, running through its last day, ended after; overlap includes both ends', () => {
  const e = { start: '2026-12-01', end: '2026-12-14' };
  assert.deepEqual(
    ['2026-11-30', '2026-12-01', '2026-12-14', '2026-12-15'].map((d) => statusOn(e, d)),
    ['scheduled', 'running', 'running', 'ended'],
  );
  assert.equal(statusOn({ start: '2026-12-01' }, '2099-01-01'), 'running', 'without an end it runs on');
  assert.equal(overlaps(e, { from: '2026-11-01', to: '2026-12-01' }), true);
  assert.equal(overlaps(e, { from: '2026-12-14', to: '2026-12-31' }), true);
  assert.equal(overlaps(e, { from: '2026-11-01', to: '2026-11-30' }), false);
  assert.equal(overlaps(e, { from: '2026-12-15', to: '2026-12-31' }), false);
  assert.equal(overlaps({ start: '2026-12-01' }, { from: '2030-01-01', to: '2030-01-31' }), true);
});

test('configUnderVariant: every unit sees the variant, as its own units do, and the other experiments still run', () => {
  const tiers = {
    id: 'tiers',
    hypothesis: 'a volume tier lifts order value',
    start: '2026-12-01',
    variants: [
      { id: 'none', weight: 0.5, overrides: { volumeTiers: [] } },
      { id: 'tier', weight: 0.5, overrides: { volumeTiers: [{ minQuantity: 2, percentOff: 10 }] } },
    ],
  };
  const config = parseOfferConfig({ ...base, experiments: [threshold(), tiers] });
  const t75 = configUnderVariant(config, 'ship-50-75', 't75');
  const control = configUnderVariant(config, 'ship-50-75', 'control');
  assert.equal(t75.freeShipping!.thresholdMinor, 7500);
  assert.equal(control.freeShipping!.thresholdMinor, 5000);
  assert.deepEqual(
    t75.experiments.map((e) => e.id),
    ['tiers'],
  );
  const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 6000 }];
  for (let i = 0; i < 300; i++) {
    const ctx = { page: 'cart' as const, sessionId: `s${i}`, cart, today: DAY('2026-12-05') };
    const served = decide(model, config, ctx);
    if (served.assignment.inHoldout) continue;
    const variant = served.experiments.find((e) => e.experiment === 'ship-50-75')!.variant;
    // A unit the server put in a variant gets the same answer from that variant's configuration.
    const alone = decide(model, variant === 't75' ? t75 : control, ctx);
    assert.deepEqual(alone.offers, served.offers, `s${i} in ${variant}`);
    assert.deepEqual(alone.info, served.info);
    assert.deepEqual(
      alone.experiments,
      served.experiments.filter((e) => e.experiment === 'tiers'),
    );
  }
});

test('capping: a percentile as a share of the units that bought; 99 (a percent) or an unknown key refused with the path', () => {
  const ok = parseOfferConfig({ ...base, experiments: [threshold({ capping: { percentile: 0.99 } })] });
  assert.deepEqual(ok.experiments[0]!.capping, { percentile: 0.99 });
  assert.equal(parseOfferConfig({ ...base, experiments: [threshold()] }).experiments[0]!.capping, undefined);
  const percent = problem({ ...base, experiments: [threshold({ capping: { percentile: 99 } })] });
  assert.equal(percent.path, 'experiments.0.capping.percentile');
  assert.match(percent.problem, /0\.99 for the 99th percentile/);
  const unknown = problem({ ...base, experiments: [threshold({ capping: { percentile: 0.99, at: 1 } })] });
  assert.equal(unknown.path, 'experiments.0.capping');
  assert.match(unknown.problem, /at/);
});
