import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeversError } from '../errors.js';
import { Rng } from '../rng.js';
import { normalCdf } from '../stats/normal.js';
import { type ArmSums, MIN_UNITS, thompsonWeights } from './bandit.js';

/** Sums of n units whose mean is m and whose sample variance (n − 1 in the denominator) is v. */
const arm = (id: string, n: number, m: number, v: number): ArmSums => ({
  id,
  n,
  sx: n * m,
  sxx: (n - 1) * v + n * m * m,
});
const sum = (xs: readonly number[]) => xs.reduce((s, x) => s + x, 0);
const normalPdf = (z: number) => Math.exp((-z * z) / 2) / Math.sqrt(2 * Math.PI);

test('a clear winner takes all but the floor; the others keep exactly the floor, and the weights sum to 1', () => {
  const r = thompsonWeights(
    [arm('control', 5000, 120, 400 ** 2), arm('t75', 5000, 160, 400 ** 2), arm('t100', 5000, 90, 400 ** 2)],
    { floor: 0.1, rng: new Rng(1) },
  );
  assert.equal(r.code, 'THOMPSON');
  const w = Object.fromEntries(r.arms.map((a) => [a.id, a.weight]));
  // t75 is 40 minor units ahead with a standard error of 8: P(best) ≈ 1.
  assert.ok(w.t75! > 0.79 && w.t75! <= 0.8, JSON.stringify(w));
  assert.ok(w.control! >= 0.1 && w.control! < 0.101, JSON.stringify(w));
  assert.ok(w.t100! >= 0.1 && w.t100! < 0.101, JSON.stringify(w));
  assert.ok(Math.abs(sum(r.arms.map((a) => a.weight)) - 1) < 1e-12);
  const best = r.arms.find((a) => a.id === 't75')!;
  assert.ok(best.expectedLoss! < 0.01, `the winner loses nothing: ${best.expectedLoss}`);
  // Choosing the control would cost about the gap, 40 per unit.
  const control = r.arms.find((a) => a.id === 'control')!;
  assert.ok(Math.abs(control.expectedLoss! - 40) < 1, String(control.expectedLoss));
  assert.match(r.reason, /t75 is best with probability 1\.000/);
});

test('equal arms get near-equal weights', () => {
  const r = thompsonWeights([arm('a', 3000, 150, 500 ** 2), arm('b', 3000, 150, 500 ** 2)], {
    floor: 0.05,
    rng: new Rng(7),
    draws: 20_000,
  });
  // P(best) is 1/2 for each; with 20,000 draws its standard error is 0.0035.
  for (const a of r.arms) assert.ok(Math.abs(a.probabilityBest - 0.5) < 0.015, String(a.probabilityBest));
  for (const a of r.arms) assert.ok(Math.abs(a.weight - 0.5) < 0.015, String(a.weight));
});

test('deterministic for a seed, and the seed is what varies it', () => {
  const arms = [arm('a', 800, 150, 500 ** 2), arm('b', 800, 160, 500 ** 2)];
  const once = thompsonWeights(arms, { floor: 0.1, rng: new Rng(42), draws: 2000 });
  assert.deepEqual(thompsonWeights(arms, { floor: 0.1, rng: new Rng(42), draws: 2000 }), once);
  const other = thompsonWeights(arms, { floor: 0.1, rng: new Rng(43), draws: 2000 });
  assert.notEqual(other.arms[0]!.probabilityBest, once.arms[0]!.probabilityBest);
});

test('probability best matches Φ((μA − μB)/√(σA² + σB²)) for two normal arms, and the loss its closed form', () => {
  const cases = [
    { a: [1000, 150, 400 ** 2], b: [1200, 140, 450 ** 2] },
    { a: [500, 80, 300 ** 2], b: [500, 95, 200 ** 2] },
    { a: [20_000, 30.2, 150 ** 2], b: [20_000, 30, 150 ** 2] },
  ] as const;
  for (const [i, c] of cases.entries()) {
    const A = arm('A', c.a[0], c.a[1], c.a[2]);
    const B = arm('B', c.b[0], c.b[1], c.b[2]);
    const r = thompsonWeights([A, B], { floor: 0, rng: new Rng(100 + i), draws: 40_000 });
    const sa = Math.sqrt(c.a[2] / c.a[0]);
    const sb = Math.sqrt(c.b[2] / c.b[0]);
    const s = Math.sqrt(sa * sa + sb * sb);
    const delta = c.a[1] - c.b[1];
    const pA = normalCdf(delta / s);
    const [ra, rb] = r.arms as [(typeof r.arms)[0], (typeof r.arms)[0]];
    assert.ok(Math.abs(ra.sd! - sa) < 1e-9, 'the posterior sd is s/√n');
    // 40,000 draws: the standard error of a share is at most 0.0025, so 1e-2 is four of them.
    assert.ok(Math.abs(ra.probabilityBest - pA) < 1e-2, `case ${i}: ${ra.probabilityBest} vs ${pA}`);
    assert.ok(Math.abs(rb.probabilityBest - (1 - pA)) < 1e-2);
    // With floor 0 the weights are the probabilities themselves.
    assert.equal(ra.weight, ra.probabilityBest);
    // Loss of choosing A: E[max(B − A, 0)] with B − A ~ N(−δ, s²) is −δ Φ(−δ/s) + s φ(δ/s).
    const lossA = -delta * normalCdf(-delta / s) + s * normalPdf(delta / s);
    assert.ok(Math.abs(ra.expectedLoss! - lossA) < 0.03 * s, `case ${i}: ${ra.expectedLoss} vs ${lossA}`);
  }
});

test('too few units: equal weights with the reason; a floor over 1 in total is refused', () => {
  const r = thompsonWeights([arm('a', MIN_UNITS - 1, 10, 100), arm('b', 5000, 99, 100)], {
    floor: 0.1,
    rng: new Rng(1),
  });
  assert.equal(r.code, 'TOO_FEW_UNITS');
  assert.deepEqual(
    r.arms.map((a) => a.weight),
    [0.5, 0.5],
  );
  assert.match(r.reason, /a has 99 unit\(s\), under the 100 an arm needs/);
  assert.throws(
    () =>
      thompsonWeights([arm('a', 500, 1, 1), arm('b', 500, 1, 1), arm('c', 500, 1, 1)], {
        floor: 0.4,
        rng: new Rng(1),
      }),
    (e) => e instanceof LeversError && /0\.4 × 3 arms is over 1/.test(JSON.stringify(e.details)),
  );
});

test('arms with no variance (no orders yet on one side) still give weights that respect the floor', () => {
  const r = thompsonWeights([arm('a', 400, 0, 0), arm('b', 400, 0, 0), arm('c', 400, 12, 90_000)], {
    floor: 0.1,
    rng: new Rng(3),
    draws: 4000,
  });
  const [a, b, c] = r.arms.map((x) => x.weight) as [number, number, number];
  // a and b tie on every draw where c falls below 0; the tie is split evenly.
  assert.ok(Math.abs(a - b) < 1e-12);
  assert.ok(a >= 0.1 && c > a);
  assert.ok(Math.abs(a + b + c - 1) < 1e-12);
});
