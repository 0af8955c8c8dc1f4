import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { decideBodies } from '../../test/decide-bodies.js';
import { ROOT } from '../../test/helpers.js';

/**
 * Records POST /v1/decide's answers (status, headers but the date, body bytes) to many requests, so that a
 * change meant to be invisible (an optimisation) can be checked byte for byte against the build before it:
 *
 *   node dist/tools/serve/record-decide.js inject <dist root> <out>         in process, the golden model under
 *     every golden configuration and an experiment, with customers' histories, on a fixed day
 *   node dist/tools/serve/record-decide.js http <bin> <store> <config> <out> over HTTP against `levers serve`
 *     (one process) on a store, with the products of its model
 *
 * Each well-formed body is asked three times in three sessions (computed, computed and kept, from the cache),
 * and malformed bodies, bodies that are not JSON and requests without a valid key are asked once each. The
 * requests are the same on every run (a fixed seed), so two recordings diff line by line.
 */
const PUB = 'pk_test_0123456789abcdef';

interface Req {
  payload: string;
  contentType?: string;
  key?: string | null;
}

function requests(productIds: readonly string[], seed: number, n: number, customerIds?: string[]): Req[] {
  const out: Req[] = [];
  const bodies = fc.sample(decideBodies(productIds, customerIds), { seed, numRuns: n });
  for (const [i, b] of bodies.entries()) {
    const body = b as Record<string, unknown>;
    const plain = body !== null && typeof body === 'object' && !Array.isArray(body);
    // A well-formed body comes back in other sessions: the cache's first, second and later sightings.
    for (let ask = 0; ask < (plain ? 3 : 1); ask++) {
      const sent = plain && typeof body.sessionId === 'string' && ask > 0 ? { ...body, sessionId: `s${i}-${ask}` } : body;
      out.push({ payload: JSON.stringify(sent) ?? 'null' });
    }
  }
  const raw = ['', '{', 'null', '[]', '"x"', '1', '{"page":"cart"', '{"page":"cart","sessionId":"s"}garbage'];
  for (const payload of raw) {
    out.push({ payload });
    out.push({ payload, contentType: 'text/plain' });
  }
  const ok = JSON.stringify({ page: 'cart', sessionId: 's-auth', cart: [] });
  out.push({ payload: ok, contentType: 'application/x-www-form-urlencoded' });
  out.push({ payload: ok, key: null });
  out.push({ payload: ok, key: 'pk_nope_0123456789abcdef' });
  out.push({ payload: ok, contentType: 'text/plain' });
  out.push({ payload: JSON.stringify({ page: 'cart', sessionId: 's-big', cart: [], pad: 'x'.repeat(70_000) }) });
  return out;
}

interface Answer {
  status: number;
  headers: Record<string, unknown>;
  body: string;
}

const line = (r: Req, a: Answer) => {
  const { date: _date, ...headers } = a.headers;
  return JSON.stringify({ req: r, status: a.status, headers, body: a.body });
};

async function viaInject(dist: string, out: string): Promise<void> {
  const imp = (p: string) => import(pathToFileURL(join(dist, p)).href);
  const { buildApp } = await imp('src/server/app.js');
  const { Serving } = await imp('src/app/serving.js');
  const { parseServerConfig } = await imp('src/server/config.js');
  const golden = join(ROOT, 'test', 'golden');
  const model = JSON.parse(readFileSync(join(golden, 'decide-model.json'), 'utf8'));
  const { cases } = JSON.parse(readFileSync(join(golden, 'decide-cases.json'), 'utf8')) as {
    cases: { config: unknown; context: { customer?: { id: string } }; history?: unknown[] }[];
  };
  const histories = new Map(cases.filter((c) => c.history).map((c) => [c.context.customer!.id, c.history]));
  const experiment = JSON.parse(readFileSync(join(ROOT, 'test/fixtures/experiment/levers.config.json'), 'utf8'));
  const configs = [...new Set(cases.map((c) => JSON.stringify(c.config)))].map((c) => JSON.parse(c));
  configs.push({ ...configs[0], experiments: experiment.offers.experiments });
  const ids = (model.items as { id: string }[]).map((it) => it.id);
  const day = 20_600;
  const clock = () => new Date(day * 86_400_000 + 12 * 3_600_000);
  const lines: string[] = [];
  for (const [k, offers] of configs.entries()) {
    const config = parseServerConfig({
      publishableKeys: [PUB],
      secretKeys: ['sk_test_0123456789abcdef01234567'],
      rateLimitPerMinute: { publishable: 10_000_000, failedAuth: 10_000_000 },
      offers,
    });
    const app = await buildApp({
      config: () => config,
      serving: new Serving({ model, offers: config.offers, histories }, clock),
      clock,
      events: { size: 0, degraded: null, append: () => ({ accepted: 0, duplicates: 0 }) },
    });
    for (const c of cases)
      for (let ask = 0; ask < 3; ask++) {
        const r = { payload: JSON.stringify(c.context) };
        lines.push(line(r, await inject(app, r)));
      }
    for (const r of requests(ids, 1000 + k, 700)) lines.push(line(r, await inject(app, r)));
    await app.close();
  }
  writeFileSync(out, `${lines.join('\n')}\n`);
  console.log(`${lines.length} answers in ${out}`);
}

async function inject(
  app: { inject(o: unknown): Promise<{ statusCode: number; headers: Record<string, unknown>; body: string }> },
  r: Req,
): Promise<Answer> {
  const res = await app.inject({
    method: 'POST',
    url: '/v1/decide',
    headers: {
      'content-type': r.contentType ?? 'application/json',
      ...(r.key === null ? {} : { authorization: `Bearer ${r.key ?? PUB}` }),
    },
    payload: r.payload,
  });
  return { status: res.statusCode, headers: res.headers, body: res.body };
}

async function viaHttp(bin: string, store: string, config: string, out: string): Promise<void> {
  const child = spawn(
    process.execPath,
    [bin, '--store', store, 'serve', '--port', '0', '--config', config, '--log-level', 'warn'],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const url = await new Promise<string>((res, rej) => {
    let err = '';
    child.stderr.on('data', (d: Buffer) => {
      err += d;
      const m = /levers serve: (http:\/\/\S+)/.exec(err);
      if (m) res(m[1]!);
    });
    child.on('exit', (c) => rej(new Error(`serve exited ${c}: ${err}`)));
  });
  try {
    const model = JSON.parse(readFileSync(join(store, 'models', 'recs.json'), 'utf8')) as {
      items: { id: string }[];
    };
    const customers = JSON.parse(readFileSync(join(store, 'models', 'customers.json'), 'utf8')) as {
      customers: Record<string, unknown>;
    };
    const ids = model.items.map((it) => it.id);
    const lines: string[] = [];
    for (const r of requests(ids, 7, 3000, Object.keys(customers.customers).slice(0, 20))) {
      const res = await fetch(`${url}/v1/decide`, {
        method: 'POST',
        headers: {
          'content-type': r.contentType ?? 'application/json',
          ...(r.key === null ? {} : { authorization: `Bearer ${r.key ?? PUB}` }),
        },
        body: r.payload,
      });
      const headers = Object.fromEntries(res.headers);
      lines.push(line(r, { status: res.status, headers, body: await res.text() }));
    }
    writeFileSync(out, `${lines.join('\n')}\n`);
    console.log(`${lines.length} answers in ${out}`);
  } finally {
    child.kill('SIGTERM');
  }
}

const [mode, ...args] = process.argv.slice(2);
if (mode === 'inject') await viaInject(resolve(args[0]!), args[1]!);
else if (mode === 'http') await viaHttp(resolve(args[0]!), resolve(args[1]!), resolve(args[2]!), args[3]!);
else {
  console.error('usage: record-decide inject <dist root> <out> | http <bin> <store> <config> <out>');
  process.exit(2);
}
