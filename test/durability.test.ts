import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BIN, cli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';

function start(store: string, config: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, [BIN, '--store', store, 'serve', '--port', '0', '--config', config], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let err = '';
    child.stderr!.on('data', (d) => {
      err += d;
      const m = /levers serve: (http:\/\/[^ ]+)/.exec(err);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
}

test(
  'an event acknowledged with 2xx is never lost: SIGKILL under load, restart, every acknowledged event ' +
    'exactly once',
  async () => {
    const store = tempDir();
    await cli(['--store', store, 'simulate', '--seed', '2', '--days', '7', '--sessions-per-day', '500']);
    await cli(['--store', store, 'mine', '--min-support', '0.01']);
    const config = join(store, 'levers.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        eventTimeWindow: { pastDays: 36500 },
        publishableKeys: [PUB],
        secretKeys: ['sk_test_0123456789abcdef01234567'],
        rateLimitPerMinute: { publishable: 100000, secret: 100 },
      }),
    );
    const batches = Array.from({ length: 400 }, (_, b) => ({
      events: Array.from({ length: 10 }, (_, i) => ({
        idempotencyKey: `b${b}-e${i}`,
        type: 'page_view',
        sessionId: `s${b}`,
        occurredAt: '2026-01-05T10:00:00Z',
      })),
    }));
    const send = (url: string, body: object) =>
      fetch(`${url}/v1/events`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    let { child, url } = await start(store, config);
    const acked = new Set<number>();
    let killed = false;
    // 8 concurrent senders; the server is killed with SIGKILL once 150 batches are acknowledged.
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < batches.length) {
          const b = next++;
          try {
            const r = await send(url, batches[b]!);
            if (r.status === 202) acked.add(b);
          } catch {
            // connection refused or reset: the server is gone, this batch was not acknowledged
          }
          if (acked.size >= 150 && !killed) {
            killed = true;
            child.kill('SIGKILL');
          }
        }
      }),
    );
    assert.ok(killed && acked.size >= 150 && acked.size < batches.length, `acknowledged ${acked.size}`);
    await new Promise((r) =>
      child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r),
    );
    ({ child, url } = await start(store, config));
    try {
      // The client retries everything; idempotency keys keep the log exactly-once.
      for (let b = 0; b < batches.length; b++) {
        const r = await send(url, batches[b]!);
        assert.equal(r.status, 202);
      }
    } finally {
      child.kill('SIGTERM');
    }
    await new Promise((r) => child.on('exit', r));
    const keys = readFileSync(join(store, 'events', 'events.jsonl'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .flatMap((l) => {
        try {
          return [(JSON.parse(l) as { idempotencyKey: string }).idempotencyKey];
        } catch {
          return [];
        }
      });
    const count = new Map<string, number>();
    for (const k of keys) count.set(k, (count.get(k) ?? 0) + 1);
    for (const b of acked)
      for (let i = 0; i < 10; i++) assert.equal(count.get(`b${b}-e${i}`), 1, `acknowledged b${b}-e${i}`);
    assert.equal(count.size, 4000);
    assert.ok(
      [...count.values()].every((n) => n === 1),
      'no event twice',
    );
  },
);
