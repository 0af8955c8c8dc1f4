import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bfgs } from './bfgs.js';

test('BFGS finds the minimum of the Rosenbrock function from the textbook start', () => {
  // f = 100 (y − x²)² + (1 − x)², minimum 0 at (1, 1); N&W start (−1.2, 1).
  const r = bfgs(
    ([x, y], g) => {
      g[0] = -400 * x! * (y! - x! * x!) - 2 * (1 - x!);
      g[1] = 200 * (y! - x! * x!);
      return 100 * (y! - x! * x!) ** 2 + (1 - x!) ** 2;
    },
    [-1.2, 1],
  );
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6 && Math.abs(r.x[1]! - 1) < 1e-6, `${r.x}`);
  assert.ok(r.f < 1e-12, `f ${r.f}`);
});

test('BFGS on an ill-conditioned quadratic reaches the minimum to the gradient tolerance', () => {
  const scale = [1, 1e3, 1e-2];
  const r = bfgs(
    (x, g) => {
      let f = 0;
      for (let i = 0; i < 3; i++) {
        g[i] = 2 * scale[i]! * (x[i]! - i);
        f += scale[i]! * (x[i]! - i) ** 2;
      }
      return f;
    },
    [5, 5, 5],
  );
  assert.ok(r.converged);
  for (let i = 0; i < 3; i++) assert.ok(Math.abs(r.x[i]! - i) < 1e-4, `x${i} ${r.x[i]}`);
});

test('a non-finite value is outside the domain: the line search steps back from it', () => {
  // f = x − ln x on x > 0 (minimum at 1); Infinity for x ≤ 0, where a full steepest-descent step would land.
  const r = bfgs(
    ([x], g) => {
      if (x! <= 0) return Number.POSITIVE_INFINITY;
      g[0] = 1 - 1 / x!;
      return x! - Math.log(x!);
    },
    [0.05],
  );
  assert.ok(r.converged);
  assert.ok(Math.abs(r.x[0]! - 1) < 1e-6, `${r.x}`);
});

test('no finite value at the start: not converged, never a made-up minimum', () => {
  const r = bfgs(() => Number.NaN, [1]);
  assert.equal(r.converged, false);
});
