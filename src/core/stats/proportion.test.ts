import assert from 'node:assert/strict';
import { test } from 'node:test';
import { proportion } from './proportion.js';

test('Wilson interval: textbook figures, edges, and unknown for no trials', () => {
  // 81 of 263 (Agresti & Coull's example): 0.2553 to 0.3662 (statsmodels proportion_confint method="wilson").
  const p = proportion(81, 263)!;
  assert.ok(Math.abs(p.low - 0.25527) < 1e-4 && Math.abs(p.high - 0.36621) < 1e-4, JSON.stringify(p));
  const none = proportion(0, 20)!;
  assert.equal(none.low, 0);
  assert.ok(none.high > 0.15 && none.high < 0.17, 'zero successes still has an upper bound');
  assert.equal(proportion(3, 0), null);
});
