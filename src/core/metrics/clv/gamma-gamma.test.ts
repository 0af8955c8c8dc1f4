import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  conditionalExpectedSpend,
  fitGammaGamma,
  gammaGammaLogLik,
  type SpendSummary,
} from './gamma-gamma.js';

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

/** Spend drawn from the model itself: ν ~ Gamma(q = 4, rate γ = 20), each spend ~ Gamma(p = 3, rate ν). */
function simulate(n: number, seed: number): SpendSummary[] {
  const rnd = lcg(seed);
  const expo = (rate: number) => -Math.log(1 - rnd()) / rate;
  const gamma = (shape: number, rate: number) => {
    let s = 0;
    for (let i = 0; i < shape; i++) s += expo(rate);
    return s;
  };
  return Array.from({ length: n }, () => {
    const nu = gamma(4, 20);
    const x = 1 + Math.floor(rnd() * 4);
    let total = 0;
    for (let j = 0; j < x; j++) total += gamma(3, nu);
    return { x, mean: total / x };
  });
}

test('the log-likelihood of one customer by hand', () => {
  // p = 1, q = 2, γ = 1, x = 1, z̄ = 1: the marginal density Γ(3)/(Γ(1)Γ(2)) · γ^q z^(p−1) / (γ + z)^(p+q)
  // = 2 · 1 · 1 / 2³ = 1/4, so ln L = −2 ln 2.
  const ll = gammaGammaLogLik({ p: 1, q: 2, gamma: 1 }, [{ x: 1, mean: 1 }]);
  assert.ok(Math.abs(ll - -2 * Math.log(2)) < 1e-12, `${ll}`);
  // Customers without repeats, or with no spend, are not in the likelihood.
  const with0 = gammaGammaLogLik({ p: 1, q: 2, gamma: 1 }, [
    { x: 1, mean: 1 },
    { x: 0, mean: 5 },
    { x: 3, mean: 0 },
  ]);
  assert.equal(with0, ll);
  assert.equal(gammaGammaLogLik({ p: 1, q: 2, gamma: 1 }, []), 0);
});

test('expected spend shrinks a customer’s mean toward the population mean by p x / (p x + q − 1)', () => {
  const g = { p: 2, q: 3, gamma: 10 };
  // Population mean p γ / (q − 1) = 2 · 10 / 2 = 10, for a customer with no repeat.
  assert.equal(conditionalExpectedSpend(g, { x: 0, mean: 0 }), 10);
  // x = 2, z̄ = 20: (γ + x z̄) p / (p x + q − 1) = 50 · 2 / 6 = 16.67 = (4/6) · 20 + (2/6) · 10.
  const e = conditionalExpectedSpend(g, { x: 2, mean: 20 });
  assert.ok(Math.abs(e - 100 / 6) < 1e-12, `${e}`);
  // More repeats weigh the customer's own mean more: x = 20 lands closer to 20.
  const many = conditionalExpectedSpend(g, { x: 20, mean: 20 });
  assert.ok(many > e && many < 20, `${many}`);
});

test('the fit maximises the published likelihood and recovers the population mean spend', () => {
  const data = simulate(300, 11);
  const f = fitGammaGamma([...data, { x: 0, mean: 0 }, { x: 2, mean: 0 }]);
  assert.equal(f.n, 300, 'customers without repeats or spend are left out');
  // The optimiser's rearranged likelihood is the same function as gammaGammaLogLik.
  const ll = gammaGammaLogLik(f.params, data);
  assert.ok(Math.abs(f.logLik - ll) < 1e-8 * Math.abs(ll), `${f.logLik} vs ${ll}`);
  // A maximum: moving any parameter by ±5% lowers the likelihood.
  for (const k of ['p', 'q', 'gamma'] as const) {
    for (const m of [0.95, 1.05]) {
      assert.ok(gammaGammaLogLik({ ...f.params, [k]: f.params[k] * m }, data) < ll, `${k} × ${m}`);
    }
  }
  // Simulated with mean spend p γ / (q − 1) = 3 · 20 / 3 = 20; the fit's within 10% of it.
  const mean = (f.params.p * f.params.gamma) / (f.params.q - 1);
  assert.ok(Math.abs(mean / 20 - 1) < 0.1, `population mean ${mean}`);
});
