import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkThreshold } from '../bench/validate-threshold.js';

/**
 * Issue 12's free-shipping check, on the bench's own store (84 days × 4,000 sessions, seed 9, a $50 threshold in
 * force): shoppers who top up 0.4×, 1× and 1.5× as often as the simulator's model, the report knowing nothing of the
 * factor. The simulator's truth replays the same shoppers under every threshold from $40 to $120.
 */
for (const factor of [0.4, 1, 1.5]) {
  test(`free-shipping threshold at ${factor}× the top-up response: the recommendation and its gain follow the truth`, async () => {
    const c = await checkThreshold(factor, 84, 4000, 9);
    const steps = Math.abs(c.recommended - c.trueBest) / 5;
    // One price step of the true optimum, or (where the true curve is flat) a threshold earning 90% of its gain.
    assert.ok(
      steps <= 1 || c.trueGainAtRecommended >= 0.9 * c.trueBestGain,
      `recommended $${c.recommended}, true best $${c.trueBest} (${c.trueGainAtRecommended} vs ${c.trueBestGain})`,
    );
    assert.ok(c.predictedRange, 'the gain comes with its range over the response intervals');
    assert.ok(
      c.predictedRange.low <= c.trueGainAtRecommended && c.trueGainAtRecommended <= c.predictedRange.high,
      `true gain ${c.trueGainAtRecommended} outside [${c.predictedRange.low}, ${c.predictedRange.high}]`,
    );
    assert.ok(
      Math.abs(c.predictedGain / c.trueGainAtRecommended - 1) <= 0.3,
      `predicted ${c.predictedGain} vs true ${c.trueGainAtRecommended}`,
    );
  });
}
