import assert from 'node:assert/strict';
import { test } from 'node:test';
import { replaySessions } from './replay.js';

const DAY = Date.UTC(2026, 1, 2);
const ids = (o: { seed: number; dayMs: number }) =>
  new Set(replaySessions({ ...o, sessions: 200, concurrency: 1 }).map((s) => s.session.session_id));

test('replays of other seeds or days are other shoppers with other ids; the same replay is the same ids', () => {
  const a = ids({ seed: 7, dayMs: DAY });
  // The server keeps one event per idempotency key: shared ids would drop the second replay's events as repeats.
  for (const other of [ids({ seed: 8, dayMs: DAY }), ids({ seed: 7, dayMs: DAY + 86_400_000 })])
    assert.equal([...other].filter((x) => a.has(x)).length, 0);
  assert.deepEqual(ids({ seed: 7, dayMs: DAY }), a);
});
