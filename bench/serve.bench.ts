import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import autocannon from 'autocannon';
import { BIN } from '../test/helpers.js';

/**
 * The decide endpoint under autocannon (loopback, 50 connections, 10 s) beside a hello-world Fastify route
 * measured in the same run, each in its own process.
 */
const PUB = 'pk_bench_0123456789abcdef';

function waitFor(child: ChildProcess, re: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    const on = (d: Buffer) => {
      out += d;
      const m = re.exec(out);
      if (m) resolve(m[1]!);
    };
    child.stdout?.on('data', on);
    child.stderr?.on('data', on);
    child.on('exit', (c) => reject(new Error(`exited ${c}: ${out}`)));
  });
}

async function run(name: string, opts: autocannon.Options): Promise<void> {
  const r = await autocannon({ connections: 50, duration: 10, ...opts });
  console.log(`  ${name.padEnd(34)} ${Math.round(r.requests.average).toLocaleString('en-US').padStart(7)} req/s, p50 ${r.latency.p50} ms, p99 ${r.latency.p99} ms, non-2xx ${r.non2xx}, errors ${r.errors}`);
}

const dir = mkdtempSync(join(tmpdir(), 'levers-bench-serve-'));
const sh = (args: string[]) => new Promise<void>((res, rej) => spawn(process.execPath, [BIN, '--store', dir, ...args], { stdio: 'ignore' }).on('exit', (c) => (c === 0 ? res() : rej(new Error(args.join(' '))))));
await sh(['simulate', '--seed', '1', '--days', '28', '--sessions-per-day', '2000']);
await sh(['mine', '--min-support', '0.005']);
const config = join(dir, 'levers.config.json');
writeFileSync(config, JSON.stringify({ publishableKeys: [PUB], secretKeys: ['sk_bench_0123456789abcdef01234567'], rateLimitPerMinute: { publishable: 10_000_000, secret: 100 },
  offers: { freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 }, volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
    bundles: [{ id: 'brew', title: 'Brew set', items: ['cm-basic', 'filters-100', 'beans-house'], percentOff: 10 }] } }));
const levers = spawn(process.execPath, [BIN, '--store', dir, 'serve', '--port', '0', '--config', config], { stdio: ['ignore', 'ignore', 'pipe'] });
const hello = spawn(process.execPath, ['--input-type=module', '-e', `
  import Fastify from 'fastify';
  const app = Fastify();
  app.post('/hello', async () => ({ hello: 'world' }));
  console.log('hello on ' + await app.listen({ port: 0, host: '127.0.0.1' }));`], { stdio: ['ignore', 'pipe', 'pipe'], cwd: process.cwd() });
try {
  const leversUrl = await waitFor(levers, /levers serve: (http:\/\/\S+)/);
  const helloUrl = await waitFor(hello, /hello on (http:\/\/\S+)/);
  const body = JSON.stringify({ page: 'cart', sessionId: 's-1', cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 }, { productId: 'mug', quantity: 1, unitPriceMinor: 1200 }], visitorType: 'new' });
  console.log('HTTP on loopback, 50 connections, 10 s each');
  await run('baseline: hello-world Fastify route', { url: `${helloUrl}/hello`, method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  await run('POST /v1/decide', { url: `${leversUrl}/v1/decide`, method: 'POST', headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' }, body });
} finally {
  levers.kill('SIGTERM');
  hello.kill('SIGTERM');
  rmSync(dir, { recursive: true, force: true });
}
