import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveStats, sumSnapshots } from './live-stats.js';

test('counts per minute over the last minutes, totals since start, refusals by code', () => {
  let t = Date.parse('2026-03-01T10:00:30Z');
  const s = new LiveStats(() => t);
  s.decision(
    '{"offers":[],"reasonCode":"OFFERS","refused":[{"id":"a","code":"FAILS_RPS_TEST","reason":"x"},{"id":"b","code":"OVER_MAX_OFFERS","reason":"\\"code\\":\\"FAKE\\""}],"notes":[{"code":"UNKNOWN_PRODUCT"}]}',
  );
  s.add('events', 3);
  t += 60_000;
  s.decision('{"offers":[],"refused":[{"id":"a","code":"FAILS_RPS_TEST"}],"notes":[]}');
  s.add('serverErrors');
  const snap = s.snapshot({ hits: 3, misses: 1 }, 3);
  assert.deepEqual(
    snap.minutes.map((m) => [m.minute.slice(11, 16), m.decisions, m.events, m.serverErrors]),
    [
      ['09:59', 0, 0, 0],
      ['10:00', 1, 3, 0],
      ['10:01', 1, 0, 1],
    ],
  );
  assert.deepEqual(snap.totals, { decisions: 2, events: 3, clientErrors: 0, serverErrors: 1 });
  assert.deepEqual(snap.refusedByCode, [
    { code: 'FAILS_RPS_TEST', count: 2 },
    { code: 'OVER_MAX_OFFERS', count: 1 },
  ]);
  assert.equal(snap.cache.hitRate, 0.75);
  assert.equal(s.snapshot({ hits: 0, misses: 0 }).cache.hitRate, null, 'unknown, not 0%');
  t += 3 * 3_600_000;
  assert.equal(
    s.snapshot({ hits: 0, misses: 0 }).minutes.every((m) => m.decisions === 0),
    true,
    'an hour on, gone',
  );
  assert.equal(s.snapshot({ hits: 0, misses: 0 }).totals.decisions, 2, 'totals stay');
});

test("a cluster's primary sums its workers' snapshots minute by minute", () => {
  let t = Date.parse('2026-03-01T10:00:30Z');
  const a = new LiveStats(() => t);
  const b = new LiveStats(() => t);
  a.decision('{"refused":[{"code":"FAILS_RPS_TEST"}],"notes":[]}');
  b.decision('{"refused":[{"code":"FAILS_RPS_TEST"}],"notes":[]}');
  b.add('events', 5);
  t += 60_000;
  b.add('clientErrors');
  const sum = sumSnapshots([a.snapshot({ hits: 1, misses: 1 }), b.snapshot({ hits: 2, misses: 0 })], t, 2);
  assert.equal(sum.workers, 2);
  assert.deepEqual(
    sum.minutes.map((m) => [m.minute.slice(11, 16), m.decisions, m.events, m.clientErrors]),
    [
      ['10:00', 2, 5, 0],
      ['10:01', 0, 0, 1],
    ],
  );
  assert.deepEqual(sum.totals, { decisions: 2, events: 5, clientErrors: 1, serverErrors: 0 });
  assert.deepEqual(sum.refusedByCode, [{ code: 'FAILS_RPS_TEST', count: 2 }]);
  assert.equal(sum.cache.hitRate, 0.75);
  const none = sumSnapshots([], t);
  assert.equal(none.minutes.length, 30);
  assert.equal(none.cache.hitRate, null, 'before any worker reported: unknown, not 0%');
});
