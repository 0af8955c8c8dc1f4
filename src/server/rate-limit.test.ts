import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RateLimiter, RateTotals } from './rate-limit.js';

test(
  'rate limiter: max per key per window, keys apart, a fresh window forgets, retry time counts ' + 'down',
  () => {
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
  },
);

test('rate limiter shared by two workers: the limit holds for the sum once counts are synced', () => {
  let now = 60_000;
  const totals = new RateTotals();
  const listeners: ((w: number, t: [string, number][]) => void)[] = [];
  // The primary sums what each worker publishes and tells every worker the new totals (IPC in production).
  const share = () => ({
    publish: (w: number, d: [string, number][]) => {
      const t = totals.add(w, d);
      for (const l of listeners) l(w, t);
    },
    onTotals: (fn: (w: number, t: [string, number][]) => void) => void listeners.push(fn),
  });
  const a = new RateLimiter(() => now, share());
  const b = new RateLimiter(() => now, share());
  for (let i = 0; i < 6; i++) assert.equal(a.hit('k', 10), null);
  a.sync();
  for (let i = 0; i < 4; i++) assert.equal(b.hit('k', 10), null, `b's request ${i + 1}: 6 + ${i + 1} of 10`);
  assert.notEqual(b.hit('k', 10), null, 'the eleventh request over both workers is refused');
  b.sync();
  assert.notEqual(a.hit('k', 10), null, 'and a knows it too once b has synced');
  assert.equal(a.hit('other', 10), null, 'keys stay apart');
  now += 60_000;
  assert.equal(a.hit('k', 10), null, 'a new window forgets');
  a.sync();
  assert.equal(totals.current, 120_000);
});
