import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyseExperiment, type VariantSums } from '../core/experiments/analysis.js';
import { renderExperiment } from './experiment.js';

const v = (id: string, n: number, cvr: number, aov: number): VariantSums => {
  const so = n * cvr;
  const sr = so * aov;
  return { id, weight: 1 / 3, n, so, soo: so, sr, srr: so * aov * aov * 1.25, sor: sr };
};

test('several variants: each against the control, with the Bonferroni level said and a verdict each', () => {
  const analysis = analyseExperiment(
    [v('control', 100_000, 0.03, 6000), v('t60', 100_000, 0.03, 6000), v('t75', 100_000, 0.034, 6000)],
    { guardrails: ['cvr', 'acceptance'] },
  );
  const text = renderExperiment({
    experiment: 'ship',
    description: 'thresholds',
    window: { from: '2026-03-01', to: '2026-03-28' },
    currency: 'USD',
    analysis,
  });
  assert.match(text, /2 variants against control: each interval at 97\.5% \(Bonferroni\)/);
  assert.match(text, /^ {2}t60 against control:$/m);
  assert.match(text, /^ {2}t75 against control:$/m);
  assert.equal(text.match(/^ {4}verdict /gm)?.length, 2);
  assert.match(text, /^ {4}verdict SHIP: ship: revenue per session \+13\.3%/m);
  // A guardrail without data says why it has no interval; the refund share is no guardrail here, so not shown.
  assert.match(text, /offer acceptance +unknown +unknown +unknown: fewer than 30 sessions shown an offer/);
  assert.doesNotMatch(text, /refund share/);
});
