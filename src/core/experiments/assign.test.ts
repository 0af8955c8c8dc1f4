import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../../test/helpers.js';
import { assign, HOLDOUT_NAMESPACE } from './assign.js';
import { bucketOf, fnv1a32 } from './hash.js';

const golden = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'assignment-cases.json'), 'utf8'));
const VARIANTS = [
  { id: 'control', weight: 1 },
  { id: 'treatment', weight: 1 },
];

test('FNV-1a matches the published test vectors', () => {
  // 0xe40c292c and 0xbf9cf968 are the reference values for "a" and "foobar".
  assert.equal(fnv1a32('a'), 0xe40c292c);
  assert.equal(fnv1a32('foobar'), 0xbf9cf968);
  for (const c of golden.fnv1a32) assert.equal(fnv1a32(c.text), c.fnv1a32, c.text);
});

test('golden assignment cases, shared with every implementation', () => {
  assert.ok(golden.cases.length >= 30);
  for (const c of golden.cases) {
    assert.equal(bucketOf(c.experiment, c.unit), c.bucket, `${c.experiment}/${c.unit}`);
    assert.equal(bucketOf(HOLDOUT_NAMESPACE, c.unit), c.holdoutBucket);
    const a = assign({ experiment: c.experiment, unit: c.unit, holdoutShare: 0.05, variants: VARIANTS });
    assert.deepEqual(
      { inHoldout: a.inHoldout, variant: a.variant },
      c.assignment,
      `${c.experiment}/${c.unit}`,
    );
  }
});

test('bucketOf hashes in place what FNV-1a of the decimal FNV-1a of "experiment:unit" gives', () => {
  const units = ['', 'a', 's1', 'c-00042', 'b0-17', 'Zoë ☕ \ud83d\ude00', 'x'.repeat(300), '\ud800', '0'];
  for (let i = 0; i < 2000; i++) units.push(`s${i}-${(i * 7919) % 1000}`);
  for (const experiment of [HOLDOUT_NAMESPACE, 'offers-v1', 'fs-test', '', 'ü:']) {
    for (const unit of units) {
      const spelled = (fnv1a32(String(fnv1a32(`${experiment}:${unit}`))) % 10_000) / 10_000;
      assert.equal(bucketOf(experiment, unit), spelled, `${experiment}/${unit}`);
    }
  }
});
test(
  'over a million units the split is within sampling error, and the holdout is the same in every ' +
    'experiment',
  () => {
    const n = 1_000_000;
    let held = 0;
    let treated = 0;
    let heldBoth = 0;
    for (let u = 0; u < n; u++) {
      const unit = `c${u}`;
      const a = assign({ experiment: 'xsell-v1', unit, holdoutShare: 0.05, variants: VARIANTS });
      const b = assign({ experiment: 'bundle-v2', unit, holdoutShare: 0.05, variants: VARIANTS });
      if (a.inHoldout) held++;
      else if (a.variant === 'treatment') treated++;
      if (a.inHoldout && b.inHoldout) heldBoth++;
    }
    const sigma = (p: number, m: number) => Math.sqrt(p * (1 - p) * m);
    assert.ok(Math.abs(held - 0.05 * n) < 4 * sigma(0.05, n), `holdout ${held}`);
    const rest = n - held;
    assert.ok(Math.abs(treated - rest / 2) < 4 * sigma(0.5, rest), `treatment ${treated} of ${rest}`);
    assert.equal(heldBoth, held, 'a held-out unit is held out of every experiment');
  },
);

test('weights are honoured and a degenerate configuration says why', () => {
  let big = 0;
  for (let u = 0; u < 100_000; u++)
    if (
      assign({
        experiment: 'w',
        unit: `u${u}`,
        holdoutShare: 0,
        variants: [
          { id: 'a', weight: 9 },
          { id: 'b', weight: 1 },
        ],
      }).variant === 'a'
    )
      big++;
  assert.ok(Math.abs(big - 90_000) < 4 * Math.sqrt(0.09 * 100_000), `${big}`);
  assert.equal(assign({ experiment: 'w', unit: 'u', holdoutShare: 0, variants: [] }).reason, 'no variants');
  assert.equal(
    assign({ experiment: 'w', unit: 'u', holdoutShare: 1, variants: VARIANTS }).reason,
    'global holdout',
  );
});
