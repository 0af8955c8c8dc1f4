import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter } from './rate-limit.js';

test('rate limiter: max per key per window, keys apart, a fresh window forgets, retry time counts down', () => {
  let now = 120_000 + 15_000;
  const rl = new RateLimiter(() => now);
  assert.equal(rl.hit('a', 2), null);
  assert.equal(rl.hit('a', 2), null);
  assert.equal(rl.hit('a', 2), 45, 'the third in the window waits for the next one, 45 s away');
  assert.equal(rl.hit('b', 2), null, 'another key has its own count');
  now += 44_500;
  assert.equal(rl.hit('a', 2), 1);
  now += 500;
  assert.equal(rl.hit('a', 2), null, 'a new window');
});
