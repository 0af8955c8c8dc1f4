import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fitPositive } from './fit.js';

test('finds the maximum of a smooth log-likelihood over positive parameters', () => {
  // −(p₀ − 3)² − (p₁ − 0.5)² peaks at (3, 0.5) with value 0.
  const f = fitPositive((p) => -((p[0]! - 3) ** 2) - (p[1]! - 0.5) ** 2, [[1, 1]]);
  assert.ok(Math.abs(f.params[0]! - 3) < 1e-6, `p0 ${f.params[0]}`);
  assert.ok(Math.abs(f.params[1]! - 0.5) < 1e-6, `p1 ${f.params[1]}`);
  assert.ok(Math.abs(f.logLik) < 1e-9, `logLik ${f.logLik}`);
  assert.ok(f.iterations > 0);
});

test('several starts: the best maximum wins', () => {
  // Two peaks in log p: a low one at p = 1 (height −1) and the global one at p = 100 (height 0).
  const ll = ([p]: number[]) => {
    const l = Math.log(p!);
    return Math.max(-1 - (l - 0) ** 2, -((l - Math.log(100)) ** 2));
  };
  const one = fitPositive(ll, [[1]]);
  assert.ok(Math.abs(one.params[0]! - 1) < 1e-4, 'a single start at the low peak stays there');
  const both = fitPositive(ll, [[1], [50]]);
  assert.ok(Math.abs(both.params[0]! - 100) < 1e-3, `best of two starts: ${both.params[0]}`);
  assert.ok(both.logLik > one.logLik);
});

test('no finite likelihood, or an optimum outside [1e-4, 1e4]: an error, never a made-up fit', () => {
  assert.throws(() => fitPositive(() => Number.NaN, [[1], [2]]), /did not converge from any start/);
  // The peak is at p = e^20 ≈ 4.9e8, far beyond the 1e4 bound: the search ends at the wall and is refused.
  assert.throws(() => fitPositive(([p]) => -((Math.log(p!) - 20) ** 2), [[1]]), RangeError);
});
