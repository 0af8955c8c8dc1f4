import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import autocannon from 'autocannon';
import { forEachSession } from '../src/sim/simulate.js';
import { BIN } from '../test/helpers.js';
import { benchRow, ratioOf } from './table.js';

/**
 * The decide endpoint under autocannon (loopback, 50 connections) beside a hello-world Fastify route measured
 * in the same run and sent the same requests, each server in its own process. The two alternate over ROUNDS
 * rounds and the medians are compared: on a shared 2-core machine the load generator competes with the server
 * and neighbours steal time, so one long run each can differ by half between two runs of the same code.
 * Server CPU per request (from /proc) is printed too: it does not depend on how fast the load generator is.
 */
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SECONDS = Number(process.env.SECONDS ?? 5);
const PUB = 'pk_bench_0123456789abcdef';
/**
 * Extra node flags for the levers server only (its cluster workers inherit them), e.g.
 * `SERVE_NODE_FLAGS='--cpu-prof --cpu-prof-dir=/tmp/prof'` to profile it under this bench's load.
 */
/** Which decide workloads to run: the day's carts (day) and carts never seen (new). */
const WORKLOADS = (process.env.WORKLOADS ?? 'day,new').split(',');
// HELLO_NEW=1 adds a control round per round: hello-world sent the carts not seen (printed, not in the table).
const CPU_GOAL = { day: 1.3, new: 2 } as const;
interface Figure {
  procs: string;
  cpu: number;
  base: number;
  p99: number;
}
const figures: Record<'day' | 'new', Figure[]> = { day: [], new: [] };
const SERVE_NODE_FLAGS = (process.env.SERVE_NODE_FLAGS ?? '').split(' ').filter(Boolean);

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

interface Round {
  rps: number;
  p99: number;
  cpuUs: number | null;
  /** The kernel's part of cpuUs (system time: mostly the socket reads and writes). */
  sysUs: number | null;
  /** The JavaScript threads' part of cpuUs; the rest is V8's helper threads (garbage collection, compilers). */
  mainUs: number | null;
  bad: number;
}

/**
 * utime + stime (and stime alone, and the JavaScript threads' alone) of a process and its children (cluster
 * workers) in microseconds (Linux), null elsewhere. The rest of total - main is V8's and libuv's helper threads:
 * concurrent marking and sweeping, parallel scavenges, compilers.
 */
function cpuOf(pid: number | undefined): { total: number; sys: number; main: number } | null {
  try {
    let total = 0;
    let sys = 0;
    let main = 0;
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      let f: string[];
      try {
        f = readFileSync(`/proc/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
      } catch {
        continue;
      }
      // Clock ticks (USER_HZ = 100).
      if (Number(d) === pid || Number(f[1]) === pid) {
        total += ((Number(f[11]) + Number(f[12])) / 100) * 1e6;
        sys += (Number(f[12]) / 100) * 1e6;
        // The main thread's task has the process's id.
        try {
          const t = readFileSync(`/proc/${d}/task/${d}/stat`, 'utf8').split(') ')[1]!.split(' ');
          main += ((Number(t[11]) + Number(t[12])) / 100) * 1e6;
        } catch {}
      }
    }
    return { total, sys, main };
  } catch {
    return null;
  }
}

async function round(pid: number | undefined, opts: autocannon.Options): Promise<Round> {
  const before = cpuOf(pid);
  const r = await autocannon({ connections: 50, duration: SECONDS, ...opts });
  const after = cpuOf(pid);
  return {
    rps: r.requests.average,
    p99: r.latency.p99,
    cpuUs: before != null && after != null ? (after.total - before.total) / r.requests.total : null,
    sysUs: before != null && after != null ? (after.sys - before.sys) / r.requests.total : null,
    mainUs: before != null && after != null ? (after.main - before.main) / r.requests.total : null,
    bad: r.non2xx + r.errors,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
function line(name: string, rs: Round[]): string {
  const cpu = rs.every((r) => r.cpuUs != null)
    ? `, server CPU ${median(rs.map((r) => r.cpuUs!)).toFixed(1)} µs/request (kernel ${median(
        rs.map((r) => r.sysUs!),
      ).toFixed(1)}, helper threads ${median(rs.map((r) => r.cpuUs! - r.mainUs!)).toFixed(1)})`
    : '';
  return `  ${name.padEnd(34)} ${Math.round(median(rs.map((r) => r.rps)))
    .toLocaleString('en-US')
    .padStart(
      7,
    )} req/s, p99 ${median(rs.map((r) => r.p99))} ms${cpu}, non-2xx/errors ${rs.reduce((s, r) => s + r.bad, 0)}  (rounds: ${rs.map((r) => Math.round(r.rps).toLocaleString('en-US')).join(', ')})`;
}

const dir = mkdtempSync(join(tmpdir(), 'levers-bench-serve-'));
const sh = (args: string[]) =>
  new Promise<void>((res, rej) =>
    spawn(process.execPath, [BIN, '--store', dir, ...args], { stdio: 'ignore' }).on('exit', (c) =>
      c === 0 ? res() : rej(new Error(args.join(' '))),
    ),
  );
await sh(['simulate', '--seed', '1', '--days', '28', '--sessions-per-day', '2000']);
await sh(['mine', '--min-support', '0.005']);
const config = join(dir, 'levers.config.json');
writeFileSync(
  config,
  JSON.stringify({
    publishableKeys: [PUB],
    secretKeys: ['sk_bench_0123456789abcdef01234567'],
    rateLimitPerMinute: { publishable: 10_000_000, secret: 100 },
    offers: {
      freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
      volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
      bundles: [
        { id: 'brew', title: 'Brew set', items: ['cm-basic', 'filters-100', 'beans-house'], percentOff: 10 },
      ],
    },
  }),
);
/**
 * levers serve with N workers, and a hello-world Fastify route in as many processes (cluster), for a
 * like-for-like pair.
 */
function servers(workers: number): { levers: ChildProcess; hello: ChildProcess } {
  const levers = spawn(
    process.execPath,
    [
      ...SERVE_NODE_FLAGS,
      BIN,
      '--store',
      dir,
      'serve',
      '--port',
      '0',
      '--config',
      config,
      '--workers',
      String(workers),
      '--log-level',
      'warn',
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const hello = spawn(
    process.execPath,
    [fileURLToPath(new URL('./hello-world.js', import.meta.url)), String(workers)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  return { levers, hello };
}

// Cart-page decisions for the carts of a simulated day (one request per session that added to cart, cycled):
// the expensive page, with carts repeating as often as real shoppers' do.
const carts: string[] = [];
forEachSession(
  {
    seed: 9,
    days: 1,
    sessionsPerDay: 20_000,
    startMs: Date.UTC(2026, 1, 2),
    currency: 'USD',
    scenario: 'baseline',
    idPrefix: 'b',
    organic: true,
  },
  (o) => {
    const cart = o.events
      .filter((e) => e.type === 'add_to_cart')
      .map((e) => ({
        productId: e.product_id!,
        quantity: e.quantity!,
        unitPriceMinor: Math.round(e.value! / e.quantity!),
      }));
    if (cart.length)
      carts.push(
        JSON.stringify({
          page: 'cart',
          sessionId: o.session.session_id,
          cart,
          visitorType: o.session.customer_id ? 'returning' : 'new',
        }),
      );
  },
);
// The worst case for the decision cache: every request a cart it has not seen, as in a large catalogue or
// with sale prices. Each of the day's distinct carts comes back with its first price a cent higher per pass:
// 40,000 bodies, twice what the cache holds, made per request (a 40,000-entry autocannon request list stalls
// the load generator).
const NEW_CARTS = 40_000;
const distinctBodies = [...new Map(carts.map((b) => [JSON.stringify(JSON.parse(b).cart), b])).values()];
let nextNew = 0;
// Each distinct body split around its first price once, so a request's body costs the load generator a string
// concatenation, not a JSON.parse and a JSON.stringify: the load generator shares the two cores with the
// server, and a slow one leaves the server a request per wake-up, which inflates its CPU per request. The
// bodies are the very bytes JSON.stringify wrote before.
const split = distinctBodies.map((body) => {
  const b = JSON.parse(body) as { cart: { unitPriceMinor: number | string }[] };
  const price = b.cart[0]!.unitPriceMinor as number;
  b.cart[0]!.unitPriceMinor = '\u0000';
  const [pre, post] = JSON.stringify(b).split('"\\u0000"') as [string, string];
  return { pre, post, price };
});
const newCart = (): string => {
  const n = nextNew++ % NEW_CARTS;
  const s = split[n % split.length]!;
  return `${s.pre}${s.price + Math.floor(n / split.length) + 1}${s.post}`;
};
console.log(
  `HTTP on loopback, 50 connections, ${ROUNDS} alternating rounds of ${SECONDS} s each (medians); decide ` +
    `over ${carts.length.toLocaleString('en-US')} carts of a simulated day ` +
    `(${distinctBodies.length.toLocaleString('en-US')} distinct), then over ` +
    `${NEW_CARTS.toLocaleString('en-US')} carts it has not seen`,
);

interface Health {
  decisionCache: { hits: number; misses: number };
}
const health = async (url: string) =>
  ((await (await fetch(`${url}/healthz`)).json()) as Health).decisionCache;

for (const workers of (process.env.WORKERS ?? '1,2').split(',').map(Number)) {
  const { levers, hello } = servers(workers);
  try {
    const [leversUrl, helloUrl] = await Promise.all([
      waitFor(levers, /levers serve: (http:\/\/\S+)/),
      waitFor(hello, /hello on (http:\/\/\S+)/),
    ]);
    const post = (url: string, path: string, bodies: string[]) => ({
      url: `${url}${path}`,
      method: 'POST' as const,
      headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
      requests: bodies.map((body) => ({ method: 'POST' as const, path, body })),
    });
    const decideReq = post(leversUrl, '/v1/decide', carts);
    const decideNewReq = {
      ...decideReq,
      requests: [
        {
          method: 'POST' as const,
          path: '/v1/decide',
          setupRequest: (r: object) => ({ ...r, body: newCart() }),
        },
      ],
    };
    // The hello-world route gets the very same requests (cart bodies, key header): the difference is what the
    // endpoint does, not how many bytes the client sends.
    const helloReq = post(helloUrl, '/hello', carts);
    // A control, printed only: hello-world sent the carts not seen, made per request as for decide. The load
    // generator is slower making them, and a server that gets fewer requests per wake-up spends more CPU on each
    // (event-loop turns, epoll and socket calls), whatever its route does.
    const helloNewReq = {
      ...helloReq,
      requests: [
        { method: 'POST' as const, path: '/hello', setupRequest: (r: object) => ({ ...r, body: newCart() }) },
      ],
    };
    const hwNew: Round[] = [];
    const hw: Round[] = [];
    const dec: Round[] = [];
    const fresh: Round[] = [];
    const warm = { connections: 10, duration: 1 };
    await autocannon({ ...warm, ...helloReq });
    await autocannon({ ...warm, ...decideReq });
    // The uncached path is warmed too (compiled before it is timed), as the hello-world route is.
    if (WORKLOADS.includes('new')) await autocannon({ ...warm, ...decideNewReq });
    let cacheNew = { hits: 0, misses: 0 };
    for (let i = 0; i < ROUNDS; i++) {
      hw.push(await round(hello.pid, helloReq));
      if (WORKLOADS.includes('day')) dec.push(await round(levers.pid, decideReq));
      if (!WORKLOADS.includes('new')) continue;
      if (process.env.HELLO_NEW) hwNew.push(await round(hello.pid, helloNewReq));
      const before = workers === 1 ? await health(leversUrl) : null;
      fresh.push(await round(levers.pid, decideNewReq));
      if (before) {
        const after = await health(leversUrl);
        cacheNew = {
          hits: cacheNew.hits + after.hits - before.hits,
          misses: cacheNew.misses + after.misses - before.misses,
        };
      }
    }
    const procs = workers === 1 ? 'one process each' : `${workers} worker processes each (Node cluster)`;
    console.log(`${procs}:`);
    console.log(line('baseline: hello-world Fastify route', hw));
    if (dec.length) console.log(line('POST /v1/decide', dec));
    if (hwNew.length) console.log(line('control: hello-world, carts not seen', hwNew));
    if (fresh.length) console.log(line('POST /v1/decide, carts not seen', fresh));
    if (workers === 1 && dec.length) {
      const all = await health(leversUrl);
      const pct = (h: { hits: number; misses: number }) =>
        `${((100 * h.hits) / Math.max(1, h.hits + h.misses)).toFixed(1)}%`;
      const day = { hits: all.hits - cacheNew.hits, misses: all.misses - cacheNew.misses };
      console.log(
        `  decision cache: ${pct(day)} of the day's decisions (treated and holdout) answered from it ` +
          `(${day.misses.toLocaleString('en-US')} computed); ${pct(cacheNew)} of those on carts not seen`,
      );
    }
    // Each decide round runs right after its hello-world round, so their ratio shares the machine's mood of
    // the moment.
    for (const [key, name, rs] of [
      ['day', 'decide', dec],
      ['new', 'decide, carts not seen', fresh],
    ] as const) {
      if (!rs.length) continue;
      const paired = hw.map((h, i) => rs[i]!.rps / h.rps);
      const ratio = median(rs.map((r) => r.rps)) / median(hw.map((r) => r.rps));
      console.log(
        `  ${name} / hello-world throughput: ${ratio.toFixed(2)} of the medians, ` +
          `${median(paired).toFixed(2)} the median of the rounds' ratios ` +
          `(${paired.map((x) => x.toFixed(2)).join(', ')}) (target ≥ 0.50); p99 ` +
          `${median(rs.map((r) => r.p99))} ms (target < 15 ms)`,
      );
      // The main serving figure: server CPU per request over hello-world's, which does not depend on how fast
      // the load generator (sharing the two cores) can send.
      if (rs.every((r) => r.cpuUs != null) && hw.every((r) => r.cpuUs != null)) {
        const cpu = median(rs.map((r) => r.cpuUs!));
        const base = median(hw.map((r) => r.cpuUs!));
        const pairedCpu = hw.map((h, i) => rs[i]!.cpuUs! / h.cpuUs!);
        console.log(
          `  ${name} / hello-world server CPU per request: ${(cpu / base).toFixed(2)} of the medians ` +
            `(${cpu.toFixed(1)} / ${base.toFixed(1)} µs), ${median(pairedCpu).toFixed(2)} the median of the ` +
            `rounds' ratios (${pairedCpu.map((x) => x.toFixed(2)).join(', ')}) (goal ≤ ${CPU_GOAL[key]}×)`,
        );
        figures[key].push({
          procs: workers === 1 ? '1 process' : `${workers} workers`,
          cpu,
          base,
          p99: median(rs.map((r) => r.p99)),
        });
      }
    }
  } finally {
    levers.kill('SIGTERM');
    hello.kill('SIGTERM');
    await Promise.all(
      [levers, hello].map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.once('exit', r)))),
    );
  }
}
rmSync(dir, { recursive: true, force: true });

// Issue 16's rows: server CPU per request beside hello-world's, measured in the same run, the same rounds each.
const us = (x: number) => `${x.toFixed(0)} µs`;
for (const [key, workload, goal] of [
  ['new', 'decide over HTTP, carts never seen', "CPU per request ≤ 2× hello-world's, p99 < 10 ms"],
  ['day', "decide over HTTP, the day's carts", "CPU per request ≤ 1.3× hello-world's"],
] as const) {
  const fs = figures[key];
  if (!fs.length) continue;
  benchRow({
    workload,
    levers: `CPU ${fs.map((f) => `${us(f.cpu)}/request (${f.procs})`).join(', ')}; p99 ${fs.map((f) => `${f.p99} ms`).join(', ')}`,
    baseline: `Fastify hello-world CPU ${fs.map((f) => us(f.base)).join(', ')}/request`,
    ratio: fs.map((f) => `${ratioOf(f.cpu, f.base)} (${f.procs})`).join(', '),
    goal,
  });
}
