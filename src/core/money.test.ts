import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currencyExponent, decimalToMinor, minorToDecimal, parseMoney } from './money.js';

test('currency exponents come from ISO 4217', () => {
  assert.equal(currencyExponent('USD'), 2);
  assert.equal(currencyExponent('JPY'), 0);
  assert.equal(currencyExponent('KWD'), 3);
});

test('parses decimal text straight into integer minor units', () => {
  assert.deepEqual(parseMoney('12.34', 2), { ok: true, minor: 1234, rounded: false });
  assert.deepEqual(parseMoney('1,250.00', 2), { ok: true, minor: 125000, rounded: false });
  assert.deepEqual(parseMoney('-3.2', 2), { ok: true, minor: -320, rounded: false });
  assert.deepEqual(parseMoney('7', 2), { ok: true, minor: 700, rounded: false });
  assert.deepEqual(parseMoney('3500', 0), { ok: true, minor: 3500, rounded: false });
  assert.deepEqual(parseMoney('0.1', 3), { ok: true, minor: 100, rounded: false });
  // 0.1 + 0.2 style float error cannot happen: 0.29 stays 29 cents.
  assert.equal((parseMoney('0.29', 2) as { minor: number }).minor, 29);
});

test('extra digits round half to even and are flagged', () => {
  assert.deepEqual(parseMoney('0.001', 2), { ok: true, minor: 0, rounded: true });
  assert.deepEqual(parseMoney('0.005', 2), { ok: true, minor: 0, rounded: true });
  assert.deepEqual(parseMoney('0.015', 2), { ok: true, minor: 2, rounded: true });
  assert.deepEqual(parseMoney('0.0051', 2), { ok: true, minor: 1, rounded: true });
  assert.deepEqual(parseMoney('-1.006', 2), { ok: true, minor: -101, rounded: true });
});

test('rejects what is not an amount', () => {
  for (const bad of ['', 'abc', '99,90 EUR', '1e3', '$5', '1.2.3', '--1'])
    assert.equal(parseMoney(bad, 2).ok, false, bad);
});

test('minorToDecimal and decimalToMinor are inverses', () => {
  let x = 12345;
  for (let i = 0; i < 2000; i++) {
    x = (x * 1103515245 + 12345) % 2147483648;
    const minor = (x % 2 ? -1 : 1) * (x % 100000000);
    for (const exp of [0, 2, 3]) assert.equal(decimalToMinor(minorToDecimal(minor, exp), exp), minor);
  }
  assert.equal(minorToDecimal(5, 2), '0.05');
  assert.equal(minorToDecimal(-5, 2), '-0.05');
  assert.equal(minorToDecimal(123456, 0), '123456');
});
