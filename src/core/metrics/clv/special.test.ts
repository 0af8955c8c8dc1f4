import assert from 'node:assert/strict';
import { test } from 'node:test';
import { digamma, gammaln, hyp2f1, logAddExp } from './special.js';

const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

test('gammaln: ln Γ at integers and at ½', () => {
  close(gammaln(1), 0, 1e-12, 'ln Γ(1) = ln 0! = 0');
  close(gammaln(5), Math.log(24), 1e-12, 'ln Γ(5) = ln 4!');
  close(gammaln(0.5), 0.5 * Math.log(Math.PI), 1e-12, 'ln Γ(½) = ln √π');
  // Γ(171) ≈ 7.3e306 is near the largest double; its log is still exact enough: ln 170! = Σ ln k.
  let lnFact = 0;
  for (let k = 2; k <= 170; k++) lnFact += Math.log(k);
  close(gammaln(171), lnFact, 1e-12, 'ln Γ(171)');
});

test('hyp2f1 against closed forms: −ln(1 − z)/z and (1 − z)^−a', () => {
  // 2F1(1, 1; 2; z) = −ln(1 − z) / z; at z = ½ that is 2 ln 2 ≈ 1.3863.
  close(hyp2f1(1, 1, 2, 0.5), 2 * Math.log(2), 1e-12, '2F1(1,1;2;½)');
  close(hyp2f1(1, 1, 2, 0.9), -Math.log(0.1) / 0.9, 1e-12, '2F1(1,1;2;0.9)');
  // 2F1(a, b; b; z) = (1 − z)^−a.
  close(hyp2f1(2.5, 3, 3, 0.3), 0.7 ** -2.5, 1e-12, '2F1(2.5,3;3;0.3)');
  // At z = 0 only the leading 1 is left.
  assert.equal(hyp2f1(7, 9, 3, 0), 1);
});

test('hyp2f1 outside its domain throws rather than return a wrong number', () => {
  // At z = 1 the series 2F1(1, 1; 1; z) = Σ z^k never settles.
  assert.throws(() => hyp2f1(1, 1, 1, 1), RangeError);
  assert.throws(() => hyp2f1(1, 1, 1, 1), /did not converge \(z = 1\)/);
});

test('logAddExp: ln(eˣ + eʸ) without overflow, −∞ as the neutral element', () => {
  close(logAddExp(Math.log(2), Math.log(3)), Math.log(5), 1e-15, 'ln(2 + 3)');
  // e^1000 overflows a double; ln(2 e^1000) = 1000 + ln 2 does not.
  close(logAddExp(1000, 1000), 1000 + Math.log(2), 1e-15, 'ln(2 e^1000)');
  close(logAddExp(-1000, -1000), -1000 + Math.log(2), 1e-15, 'ln(2 e^−1000)');
  assert.equal(logAddExp(-Infinity, 2), 2);
  assert.equal(logAddExp(2, -Infinity), 2);
  assert.equal(logAddExp(-Infinity, -Infinity), -Infinity);
  // A term 800 below the other vanishes: the larger one is returned as it is.
  assert.equal(logAddExp(0, -800), 0);
});

test('digamma: ψ(1) = −γ, ψ(½) = −γ − 2 ln 2, the recurrence, and the derivative of ln Γ', () => {
  const eulerGamma = 0.5772156649015329;
  close(digamma(1), -eulerGamma, 1e-14, 'ψ(1)');
  close(digamma(0.5), -eulerGamma - 2 * Math.log(2), 1e-14, 'ψ(½)');
  for (const x of [0.01, 0.3, 2.5, 7, 123.4]) {
    close(digamma(x + 1) - digamma(x), 1 / x, 1e-12, `ψ(${x} + 1) − ψ(${x})`);
    const h = 1e-5 * x;
    close(digamma(x), (gammaln(x + h) - gammaln(x - h)) / (2 * h), 1e-6, `ψ(${x}) against ln Γ'`);
  }
});
