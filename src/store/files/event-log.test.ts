import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { isLeversError } from '../../core/errors.js';
import { JsonlEventLog, segmentFiles, type LogFs } from './event-log.js';
import { forEachLine } from './lines.js';

const ev = (k: string) => ({
  idempotencyKey: k,
  type: 'page_view',
  sessionId: 's',
  occurredAt: '2026-01-05T10:00:00Z',
  pad: 'x'.repeat(60),
});
const keysIn = (dir: string) => {
  const out: string[] = [];
  for (const f of segmentFiles(dir))
    forEachLine(f, (l) => {
      try {
        out.push(JSON.parse(l).idempotencyKey);
      } catch {
        /* torn */
      }
    });
  return out;
};

/**
 * An fs whose writes stop short after `budget` bytes, as a disk filling up does (a short write, then ENOSPC).
 */
function fillingDisk(budget: { left: number }): LogFs {
  return {
    ...fs,
    writeSync: ((fd: number, buf: Buffer, off: number, len: number) => {
      if (budget.left <= 0)
        throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
      const n = Math.min(len, budget.left);
      budget.left -= n;
      return fs.writeSync(fd, buf, off, n);
    }) as LogFs['writeSync'],
  };
}

test(
  'a full disk: a batch is stored whole or not at all, its keys stay unseen, the retry is stored once ' +
    'room is back',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'levers-log-'));
    const budget = { left: 1000 };
    const log = new JsonlEventLog(join(dir, 'events.jsonl'), { fs: fillingDisk(budget) });
    const acked: string[] = [];
    let refused = 0;
    for (let b = 0; b < 10; b++) {
      const batch = [0, 1, 2, 3].map((i) => ev(`b${b}-${i}`));
      try {
        const r = log.append(batch);
        assert.equal(r.accepted, 4);
        acked.push(...batch.map((e) => e.idempotencyKey));
      } catch (e) {
        assert.ok(isLeversError(e) && e.code === 'EVENTS_UNAVAILABLE', String(e));
        refused++;
        assert.match(log.degraded ?? '', /disk is full/);
      }
    }
    assert.ok(acked.length > 0 && refused > 0, `${acked.length} acknowledged, ${refused} batches refused`);
    assert.deepEqual(
      keysIn(dir),
      acked,
      'exactly the acknowledged events are in the log, nothing of a refused batch',
    );
    budget.left = 1e9;
    const retry = log.append([0, 1, 2, 3].map((i) => ev(`b9-${i}`)));
    assert.deepEqual(
      retry,
      { accepted: 4, duplicates: 0 },
      'a refused batch is stored when sent again, not called a duplicate',
    );
    assert.equal(log.degraded, null);
    log.close();
    assert.equal(new JsonlEventLog(join(dir, 'events.jsonl')).size, acked.length + 4);
  },
);

test(
  'a real full disk (a tiny tmpfs, where the test may mount one): acknowledged events survive, refused ' +
    'ones are absent',
  (t) => {
    const mnt = mkdtempSync(join(tmpdir(), 'levers-tmpfs-'));
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=48k', 'tmpfs', mnt], { stdio: 'ignore' });
    } catch {
      return t.skip(
        'cannot mount a tmpfs here (needs root); the simulated short write above covers the same path',
      );
    }
    try {
      const log = new JsonlEventLog(join(mnt, 'events', 'events.jsonl'));
      const acked: string[] = [];
      let refused = 0;
      for (let b = 0; b < 400 && refused < 3; b++) {
        const batch = [0, 1, 2, 3, 4].map((i) => ev(`t${b}-${i}`));
        try {
          log.append(batch);
          acked.push(...batch.map((e) => e.idempotencyKey));
        } catch (e) {
          assert.ok(isLeversError(e) && e.code === 'EVENTS_UNAVAILABLE');
          refused++;
        }
      }
      assert.ok(refused > 0 && acked.length > 50, `${acked.length} acknowledged, ${refused} refused`);
      log.close();
      assert.deepEqual(keysIn(join(mnt, 'events')), acked);
    } finally {
      execFileSync('umount', [mnt]);
    }
  },
);

test(
  'segments: the log rotates by size, start-up streams every segment, and only the newest keys are ' + 'held',
  () => {
    const dir = mkdtempSync(join(tmpdir(), 'levers-log-'));
    const file = join(dir, 'events.jsonl');
    const log = new JsonlEventLog(file, { segmentBytes: 2000, dedupeKeys: 50 });
    for (let b = 0; b < 30; b++) log.append([0, 1, 2, 3, 4].map((i) => ev(`k${b}-${i}`)));
    log.close();
    const files = segmentFiles(dir);
    assert.ok(files.length >= 10, `${files.length} segments`);
    assert.equal(files[0], file, 'the first segment keeps its old name');
    assert.equal(keysIn(dir).length, 150);
    for (const f of files) assert.equal(fs.statSync(f).mode & 0o777, 0o600);
    // A torn line at the end of the newest segment (a crash mid-write) is skipped, never counted.
    fs.appendFileSync(files[files.length - 1]!, '{"idempotencyKey":"torn');
    const again = new JsonlEventLog(file, { segmentBytes: 2000, dedupeKeys: 50 });
    assert.equal(again.size, 150);
    const held = (again as unknown as { seen: Map<string, true> }).seen;
    assert.equal(held.size, 50, 'memory holds the newest 50 keys, not all 150');
    assert.ok(held.has('k29-4') && !held.has('k0-0'));
    assert.deepEqual(again.append([ev('k29-4'), ev('new')]), { accepted: 1, duplicates: 1 });
    again.close();
    assert.equal(
      readFileSync(segmentFiles(dir).at(-1)!, 'utf8')
        .split('\n')
        .filter((l) => l.includes('"new"')).length,
      1,
    );
  },
);
