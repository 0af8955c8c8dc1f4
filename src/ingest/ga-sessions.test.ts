import assert from 'node:assert/strict';
import { test } from 'node:test';
import { microsToMinor } from './ga-sessions.js';

test('micros convert exactly to minor units, rounding half to even', () => {
  assert.deepEqual(microsToMinor(200_000_000, 2), { minor: 20000, rounded: false });
  assert.deepEqual(microsToMinor(58_656_666, 2), { minor: 5866, rounded: true });
  assert.deepEqual(microsToMinor(5_000, 2), { minor: 0, rounded: true });
  assert.deepEqual(microsToMinor(15_000, 2), { minor: 2, rounded: true });
  assert.deepEqual(microsToMinor(-15_000, 2), { minor: -2, rounded: true });
  assert.deepEqual(microsToMinor(1_000_000, 0), { minor: 1, rounded: false });
});
