import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { thresholdExperiment, weightsFixture } from '../../../test/experiment-fixture.js';
import { ROOT } from '../../../test/helpers.js';
import { parseOfferConfig, withBanditWeights } from '../offers/config.js';
import { decide } from '../offers/decide.js';
import type { RecsModel } from '../recs/model.js';
import { checkBanditWeights } from './bandit-snapshot.js';

const model = JSON.parse(
  readFileSync(join(ROOT, 'test', 'golden', 'decide-model.json'), 'utf8'),
) as RecsModel;
const TODAY = Date.parse('2026-12-05T00:00:00Z') / 86_400_000;
const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 6000 }];

const config = parseOfferConfig({
  holdoutShare: 0.05,
  freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
  experiments: [thresholdExperiment({ bandit: { floor: 0.1 } })],
});

function arms(c: typeof config) {
  const out = new Map<string, string>();
  for (let i = 0; i < 2000; i++) {
    const d = decide(model, c, { page: 'cart', sessionId: `u${i}`, cart, today: TODAY });
    if (d.assignment.inHoldout) {
      assert.deepEqual(d.experiments, [], 'a held-out unit never enters the bandit');
      continue;
    }
    out.set(`u${i}`, d.experiments[0]!.variant);
  }
  return out;
}

test('decisions follow the published weights; a weights change moves only the units an edge passed', () => {
  const before = arms(config);
  const published = withBanditWeights(config, [weightsFixture(0.9)]);
  assert.deepEqual(published.applied, [{ experiment: 'ship-50-75', version: 2 }]);
  const after = arms(published.config);
  assert.equal(after.size, before.size, 'the holdout is the same units whatever the weights');
  const n = after.size;
  const control = [...after.values()].filter((v) => v === 'control').length;
  // Binomial: n ≈ 1,900 treated units at p = 0.9 have σ = √(n p (1 − p)) ≈ 13; allow 4σ.
  const sigma = Math.sqrt(n * 0.9 * 0.1);
  assert.ok(Math.abs(control - 0.9 * n) < 4 * sigma, `${control} of ${n}`);
  // Buckets keep their order: control grew from [0, 0.5) to [0, 0.9), so units only moved t75 → control.
  for (const [u, v] of before) if (v === 'control') assert.equal(after.get(u), 'control', u);
  // The variants' overrides still apply under the new weights.
  const t75 = [...after].find(([, v]) => v === 't75')![0];
  const d = decide(model, published.config, { page: 'cart', sessionId: t75, cart, today: TODAY });
  assert.match(d.info.shipping!, /free on orders over \$75\.00/);
});

test('stale or foreign weights are not applied, and say why', () => {
  const renamed = weightsFixture(0.9);
  renamed.arms[1]!.id = 't80';
  const r = withBanditWeights(config, [renamed]);
  assert.equal(r.applied.length, 0);
  assert.match(
    r.ignored[0]!.problem,
    /arms \(control, t80\) are not the configured variants \(control, t75\)/,
  );
  assert.deepEqual(
    r.config.experiments[0]!.variants.map((v) => v.weight),
    [0.5, 0.5],
  );
  const plain = parseOfferConfig({
    holdoutShare: 0.05,
    freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
    experiments: [thresholdExperiment()],
  });
  const notBandit = withBanditWeights(plain, [weightsFixture(0.9)]);
  assert.equal(notBandit.ignored[0]!.problem, 'the experiment is not a bandit');
  assert.deepEqual(
    notBandit.config.experiments[0]!.variants.map((v) => v.weight),
    [0.5, 0.5],
  );
});

test('a weights snapshot is checked: weights that do not sum to 1 are refused with the reason', () => {
  assert.ok(checkBanditWeights(weightsFixture(0.9)).ok);
  const bad = weightsFixture(0.9);
  bad.arms[0]!.weight = 0.5;
  const c = checkBanditWeights(bad);
  assert.ok(!c.ok && /must sum to 1/.test(c.problem));
  const c2 = checkBanditWeights({ ...weightsFixture(0.9), extra: 1 });
  assert.ok(!c2.ok && /extra/.test(c2.problem));
});
