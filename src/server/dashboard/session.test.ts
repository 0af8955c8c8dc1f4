import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MemorySessions, sameToken } from './session.js';

const clock = () => {
  let t = Date.parse('2026-03-01T10:00:00Z');
  return { now: () => t, advance: (ms: number) => (t += ms) };
};

test('a session is found by its id until it expires, then never again', async () => {
  const c = clock();
  const s = new MemorySessions(c.now);
  const a = await s.create(60_000);
  assert.match(a.id, /^[A-Za-z0-9_-]{43}$/, '32 random bytes, base64url');
  assert.match(a.csrf, /^[A-Za-z0-9_-]{43}$/);
  assert.notEqual(a.id, a.csrf, 'the CSRF token is not the session id');
  assert.deepEqual(await s.get(a.id), a);
  c.advance(59_999);
  assert.ok(await s.get(a.id), 'alive a millisecond before its end');
  c.advance(1);
  assert.equal(await s.get(a.id), null, 'expired at its end');
  assert.equal(s.size, 0, 'and forgotten');
});

test('forged, malformed and deleted ids open nothing', async () => {
  const s = new MemorySessions(clock().now);
  const a = await s.create(60_000);
  const forged = `${a.id.slice(0, -1)}${a.id.endsWith('A') ? 'B' : 'A'}`;
  for (const id of [forged, '', null, undefined, 'x', `${a.id}=`, a.csrf])
    assert.equal(await s.get(id), null, String(id));
  await s.delete(a.id);
  assert.equal(await s.get(a.id), null, 'signed out');
});

test('ids come from the random source, and the table holds at most max sessions (oldest out)', async () => {
  let n = 0;
  const random = (k: number) => Buffer.alloc(k, ++n);
  const s = new MemorySessions(clock().now, random, 2);
  const a = await s.create(60_000);
  const b = await s.create(60_000);
  assert.equal(a.id, Buffer.alloc(32, 1).toString('base64url'));
  const c = await s.create(60_000);
  assert.equal(await s.get(a.id), null, 'the oldest went first');
  assert.ok((await s.get(b.id)) && (await s.get(c.id)));
  assert.equal(s.size, 2);
});

test('tokens compare equal only when identical, whatever their length or type', () => {
  assert.ok(sameToken('abc', 'abc'));
  assert.ok(!sameToken('abc', 'abd'));
  assert.ok(!sameToken('abc', 'abcd'));
  assert.ok(!sameToken('abc', ''));
  assert.ok(!sameToken('abc', undefined));
  assert.ok(!sameToken('abc', ['abc']));
});
