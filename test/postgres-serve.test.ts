import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { cli, cliJson, type Running, startCli, tempDir } from './helpers.js';
import { SKIP_NO_POSTGRES, startPostgres, type TestPostgres } from './postgres.js';

const PUB = 'pk_test_0123456789abcdef';

const batch = (name: string, n = 10) => ({
  events: Array.from({ length: n }, (_, i) => ({
    idempotencyKey: `${name}-${i}`,
    type: 'page_view',
    sessionId: `s-${name}`,
    occurredAt: '2026-01-05T10:00:00Z',
  })),
});

function post(url: string, path: string, body: object, key = PUB) {
  return fetch(`${url}${path}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

// biome-ignore lint/suspicious/noExplicitAny: the health answer read field by field
async function healthUntil(url: string, ok: (h: any) => boolean, ms = 10_000): Promise<any> {
  const t0 = Date.now();
  for (;;) {
    const h = await (await fetch(`${url}/healthz`)).json();
    if (ok(h) || Date.now() - t0 > ms) return h;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('levers serve over PostgreSQL', { skip: SKIP_NO_POSTGRES }, () => {
  let server: TestPostgres;
  let url: string;
  let store: string;
  let config: string;
  const serving: Running[] = [];
  before(async () => {
    server = await startPostgres();
    url = await server.createDatabase('serve');
    store = tempDir();
    const on = ['--store', store, '--database', url];
    for (const args of [
      ['db', 'migrate'],
      ['simulate', '--seed', '2', '--days', '7', '--sessions-per-day', '300'],
      ['mine', '--min-support', '0.01'],
    ]) {
      const r = await cli([...on, ...args]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    config = join(store, 'levers.config.json');
    writeFileSync(
      config,
      JSON.stringify({
        eventTimeWindow: { pastDays: 36500 },
        publishableKeys: [PUB],
        secretKeys: ['sk_test_0123456789abcdef01234567'],
      }),
    );
  });
  after(async () => {
    for (const s of serving) await s.stop();
    server?.destroy();
  });

  const start = async (file = config, extra: string[] = []) => {
    const s = await startCli([
      ...['--store', store, '--database', url, 'serve', '--port', '0', '--config', file],
      ...extra,
    ]);
    serving.push(s);
    return s.url;
  };

  test('two servers store an event sent to both once; each request is answered after its commit', async () => {
    const [a, b] = [await start(), await start()];
    const first = await post(a, '/v1/events', batch('x'));
    assert.equal(first.status, 202);
    assert.deepEqual(await first.json(), { accepted: 10, duplicates: 0 });
    const again = await post(b, '/v1/events', batch('x'));
    assert.deepEqual(await again.json(), { accepted: 0, duplicates: 10 });

    // 60 batches, each sent to both servers at once by 12 senders: every key acknowledged as new exactly once.
    const names = Array.from({ length: 60 }, (_, i) => `c${i}`);
    const sends = names.flatMap((n) => [a, b].map((u) => () => post(u, '/v1/events', batch(n))));
    let accepted = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 12 }, async () => {
        while (next < sends.length) {
          const r = await sends[next++]!();
          assert.equal(r.status, 202);
          accepted += ((await r.json()) as { accepted: number }).accepted;
        }
      }),
    );
    assert.equal(accepted, 600);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query(`SELECT count(*)::INTEGER AS n, count(DISTINCT idempotency_key)::INTEGER AS k
      FROM api_events`);
    await c.end();
    assert.deepEqual(rows.rows[0], { n: 610, k: 610 });
    const h = await (await fetch(`${b}/healthz`)).json();
    assert.deepEqual([h.status, h.database, h.eventsWritable], ['ok', 'reachable', true]);

    // levers ingest api-events reads the shared log from the database.
    const load = await cliJson(['--store', store, '--database', url, 'ingest', 'api-events']);
    assert.equal(load.code, 0, load.stderr);
    assert.equal(load.json.rows.read, 610, JSON.stringify(load.json));
    assert.equal(load.json.tables.events.inserted, 610);
  });

  test('one server killed with SIGKILL mid-load, the client retrying on the other: every event stored exactly once', async () => {
    const [a, b] = [await start(), await start()];
    const victim = serving[serving.length - 2]!;
    const names = Array.from({ length: 300 }, (_, i) => `k${i}`);
    const acked = new Set<string>();
    let next = 0;
    let killed = false;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < names.length) {
          const name = names[next++]!;
          // To A until it dies, then to B: a batch whose answer was lost is sent again, as a client retries.
          for (const u of killed ? [b] : [a, b]) {
            const r = await post(u, '/v1/events', batch(name)).catch(() => null);
            if (r?.status === 202) {
              acked.add(name);
              break;
            }
          }
          if (acked.size >= 100 && !killed) {
            killed = true;
            victim.child.kill('SIGKILL');
          }
        }
      }),
    );
    assert.ok(killed);
    assert.equal(acked.size, names.length);
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const rows = await c.query(
      `SELECT count(*)::INTEGER AS n, count(DISTINCT idempotency_key)::INTEGER AS k FROM api_events
       WHERE idempotency_key LIKE 'k%'`,
    );
    await c.end();
    assert.deepEqual(rows.rows[0], { n: 3000, k: 3000 });
  });

  test('a cluster (--workers 2) over PostgreSQL: each worker appends and probes the database itself', async () => {
    const u = await start(config, ['--workers', '2']);
    const answers = [];
    for (let i = 0; i < 6; i++) answers.push(await (await post(u, '/v1/events', batch('w'))).json());
    assert.deepEqual(answers[0], { accepted: 10, duplicates: 0 });
    for (const a of answers.slice(1)) assert.deepEqual(a, { accepted: 0, duplicates: 10 });
    for (let i = 0; i < 4; i++) {
      const h = await (await fetch(`${u}/healthz`)).json();
      assert.deepEqual([h.status, h.database], ['ok', 'reachable']);
    }
  });

  test('a rate limit of N a minute holds for the sum over two servers, not N each', async () => {
    const limited = join(store, 'limited.config.json');
    // A key of its own: the counts are the store's, so the other tests' requests this minute would count too.
    const key = 'pk_test_ratelimit_000000';
    writeFileSync(
      limited,
      JSON.stringify({
        publishableKeys: [key],
        secretKeys: ['sk_test_0123456789abcdef01234567'],
        rateLimitPerMinute: { publishable: 40, secret: 100 },
      }),
    );
    const [a, b] = [await start(limited), await start(limited)];
    // The limit counts per minute: start well inside one, so the 100 requests (about 3 s) stay in it.
    const second = new Date().getUTCSeconds();
    if (second > 45) await new Promise((r) => setTimeout(r, (61 - second) * 1000));
    const answered = { a: { ok: 0, limited: 0 }, b: { ok: 0, limited: 0 } };
    for (let i = 0; i < 100; i++) {
      const [name, u] = i % 2 ? (['b', b] as const) : (['a', a] as const);
      const r = await post(u, '/v1/decide', { page: 'cart', sessionId: `rl-${i}`, cart: [] }, key);
      await r.body?.cancel();
      if (r.status === 200) answered[name].ok++;
      else if (r.status === 429) answered[name].limited++;
      else assert.fail(`status ${r.status}`);
      await new Promise((res) => setTimeout(res, 25));
    }
    const ok = answered.a.ok + answered.b.ok;
    // Each server alone would let 40 through (80 in all); shared, 40 give or take what one sync (250 ms) lets by.
    assert.ok(ok >= 40 && ok <= 52, JSON.stringify(answered));
    assert.ok(answered.a.limited > 0 && answered.b.limited > 0, JSON.stringify(answered));
    const c = new pg.Client({ connectionString: url });
    await c.connect();
    const keys = await c.query(`SELECT key_hash FROM rate_counts`);
    await c.end();
    // The API key is not in the database, only its hash.
    assert.ok(keys.rows.length > 0 && keys.rows.every((r) => /^[0-9a-f]{64}$/.test(r.key_hash)));
  });

  test('the database down: decisions answer from memory, events get 503 with Retry-After; back up, they flow', async () => {
    const a = await start();
    server.stop();
    try {
      const h = await healthUntil(a, (x) => x.database === 'unreachable');
      assert.deepEqual([h.status, h.database, h.eventsWritable], ['degraded', 'unreachable', false]);
      assert.match(h.problem, /^events cannot be stored: the database is unreachable/);
      const refused = await post(a, '/v1/events', batch('outage'));
      assert.equal(refused.status, 503);
      assert.ok(Number(refused.headers.get('retry-after')) > 0);
      assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'EVENTS_UNAVAILABLE');
      const decide = await post(a, '/v1/decide', {
        page: 'cart',
        sessionId: 'outage-1',
        cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 }],
      });
      assert.equal(decide.status, 200);
      assert.ok(typeof ((await decide.json()) as { reasonCode: string }).reasonCode === 'string');
    } finally {
      server.start();
    }
    const back = await healthUntil(a, (x) => x.status === 'ok');
    assert.deepEqual([back.status, back.database], ['ok', 'reachable']);
    // The refused batch, sent again, is stored: nothing was acknowledged and lost, nothing is counted twice.
    const retried = await post(a, '/v1/events', batch('outage'));
    assert.equal(retried.status, 202);
    assert.deepEqual(await retried.json(), { accepted: 10, duplicates: 0 });
  });
});
