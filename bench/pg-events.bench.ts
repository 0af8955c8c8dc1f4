import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { cli, type Running, startCli, tempDir } from '../test/helpers.js';
import { SKIP_NO_POSTGRES, startPostgres } from '../test/postgres.js';

/**
 * Events acknowledged per second: two `levers serve` over one PostgreSQL against one `levers serve` on the local
 * fsynced log (the baseline), measured in the same run with the same requests (autocannon, 50 connections in all,
 * 10 events a request, every key new). On a shared 2-core machine the load generator, the servers and PostgreSQL
 * share the cores: the ratio, not the absolute figure, is what this says.
 */
const SECONDS = Number(process.env.SECONDS ?? 8);
const PUB = 'pk_bench_0123456789abcdef';

if (SKIP_NO_POSTGRES) {
  console.log(`skipped: ${SKIP_NO_POSTGRES}`);
  process.exit(0);
}

let seq = 0;
const body = () =>
  JSON.stringify({
    events: Array.from({ length: 10 }, (_, i) => ({
      idempotencyKey: `bench-${process.pid}-${seq}-${i}`,
      type: 'page_view',
      sessionId: `s-${seq++}`,
      occurredAt: new Date().toISOString(),
    })),
  });

async function load(urls: string[]): Promise<{ eventsPerS: number; p99: number; bad: number }> {
  const runs = await Promise.all(
    urls.map((url) =>
      autocannon({
        url: `${url}/v1/events`,
        connections: Math.round(50 / urls.length),
        duration: SECONDS,
        method: 'POST',
        headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
        requests: [{ setupRequest: (req) => ({ ...req, body: body() }) }],
      }),
    ),
  );
  return {
    eventsPerS: runs.reduce((s, r) => s + (r['2xx'] * 10) / SECONDS, 0),
    p99: Math.max(...runs.map((r) => r.latency.p99)),
    bad: runs.reduce((s, r) => s + r.non2xx + r.errors, 0),
  };
}

// fsync on, as the local log does before it acknowledges.
const pg = await startPostgres({ durable: true });
const servers: Running[] = [];
try {
  const url = await pg.createDatabase('bench');
  const store = tempDir('levers-bench-pg-');
  for (const args of [
    ['db', 'migrate'],
    ['simulate', '--seed', '1', '--days', '3', '--sessions-per-day', '300'],
    ['mine', '--min-support', '0.01'],
  ]) {
    const r = await cli(['--store', store, '--database', url, ...args]);
    if (r.code !== 0) throw new Error(`${args.join(' ')}: ${r.stderr}`);
  }
  const config = join(store, 'levers.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      publishableKeys: [PUB],
      secretKeys: ['sk_bench_0123456789abcdef01234567'],
      rateLimitPerMinute: { publishable: 10_000_000, secret: 100 },
    }),
  );
  const serve = async (extra: string[]) => {
    const s = await startCli(['--store', store, ...extra, 'serve', '--port', '0', '--config', config]);
    servers.push(s);
    return s.url;
  };
  const local = await serve([]);
  const baseline = await load([local]);
  await servers.pop()!.stop();
  const shared = await load([await serve(['--database', url]), await serve(['--database', url])]);
  const fmt = (r: typeof baseline) =>
    `${Math.round(r.eventsPerS).toLocaleString('en-US').padStart(7)} events/s acknowledged, p99 ${r.p99} ms, ` +
    `non-2xx/errors ${r.bad}`;
  console.log(`events over ${SECONDS} s, 50 connections, 10 events a request`);
  console.log(`  one server, local fsynced log (baseline)   ${fmt(baseline)}`);
  console.log(`  two servers, one PostgreSQL 15 (fsync on) ${fmt(shared)}`);
  console.log(`  ratio PostgreSQL / local log: ${(shared.eventsPerS / baseline.eventsPerS).toFixed(2)}`);
} finally {
  for (const s of servers) await s.stop();
  pg.destroy();
}
