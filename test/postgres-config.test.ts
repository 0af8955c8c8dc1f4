import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { simBandit } from './experiment-fixture.js';
import { cli, type Running, startCli, tempDir } from './helpers.js';
import { SKIP_NO_POSTGRES, startPostgres, type TestPostgres } from './postgres.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

/** A server configuration file whose shipping fee says which offers a decision was made under. */
function configFile(dir: string, name: string, feeMinor: unknown, experiments: unknown[] = []): string {
  const file = join(dir, name);
  writeFileSync(
    file,
    JSON.stringify({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      rateLimitPerMinute: { publishable: 100_000 },
      offers: { freeShipping: { thresholdMinor: 5000, shippingFeeMinor: feeMinor }, experiments },
    }),
  );
  return file;
}

interface Health {
  offers: { source: string; version?: number };
  weights: Record<string, number>;
}

describe('the offer configuration and bandit weights shared through PostgreSQL', {
  skip: SKIP_NO_POSTGRES,
}, () => {
  let server: TestPostgres | undefined;
  const serving: Running[] = [];
  after(async () => {
    for (const s of serving) await s.stop();
    server?.destroy();
  });

  test('a configuration published while two servers serve: both switch within 5 s, no request failing; an invalid one is refused; bandit weights follow', async () => {
    server = await startPostgres();
    const url = await server.createDatabase('config');
    const operator = ['--store', tempDir(), '--database', url];
    for (const args of [
      ['db', 'migrate'],
      [
        'simulate',
        '--seed',
        '4',
        '--days',
        '14',
        '--sessions-per-day',
        '300',
        '--experiment-thresholds',
        '50,75',
      ],
      ['mine', '--min-support', '0.01'],
    ]) {
      const r = await cli([...operator, ...args]);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
    }
    const dir = tempDir();
    const v1 = configFile(dir, 'v1.json', 695, [simBandit({ floor: 0.1, every: '1d' })]);
    const published = await cli([...operator, 'config', 'publish', v1]);
    assert.equal(published.code, 0, published.stderr);
    assert.match(published.stdout, /^offer configuration v1 published to postgres:\/\/levers@/);

    // Each server's own file has its keys and offers of its own (a $9.95 fee): the database's are served.
    const local = configFile(dir, 'local.json', 995);
    const urls: string[] = [];
    for (let i = 0; i < 2; i++) {
      const s = await startCli([
        '--store',
        tempDir(),
        '--database',
        url,
        'serve',
        '--port',
        '0',
        '--config',
        local,
      ]);
      serving.push(s);
      urls.push(s.url);
    }
    const health = async (u: string) => (await (await fetch(`${u}/healthz`)).json()) as Health;
    for (const u of urls) {
      const h = await health(u);
      assert.equal(h.offers.source, 'database');
      assert.equal(h.offers.version, 1);
    }
    assert.match(
      serving[0]!.stderr(),
      /the offers of .*local\.json are not served: version 1 published in the database is/,
    );

    // Decisions on both servers all along; each answer's shipping line says the fee it was decided under.
    let stop = false;
    const answers: { status: number; fee: string | undefined; at: number }[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const at = Date.now();
        const r = await fetch(`${urls[i % 2]}/v1/decide`, {
          method: 'POST',
          headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
          body: JSON.stringify({ page: 'cart', sessionId: `cfg-${i}`, cart: [] }),
        });
        const text = await r.text();
        answers.push({ status: r.status, fee: /Shipping (\$\d+\.\d\d)/.exec(text)?.[1], at });
        await new Promise((res) => setTimeout(res, 20));
      }
    })();
    const v2 = configFile(dir, 'v2.json', 495, [simBandit({ floor: 0.1, every: '1d' })]);
    const second = await cli([...operator, 'config', 'publish', v2]);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stdout, /^offer configuration v2 published/);
    const t0 = Date.now();
    let versions: (number | undefined)[] = [];
    while (Date.now() - t0 < 5000) {
      versions = await Promise.all(urls.map(async (u) => (await health(u)).offers.version));
      if (versions.every((v) => v === 2)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    const switched = Date.now();
    await new Promise((res) => setTimeout(res, 300));
    stop = true;
    await load;
    assert.deepEqual(versions, [2, 2], `after ${switched - t0} ms`);
    assert.ok(answers.length > 20, String(answers.length));
    assert.ok(
      answers.every((a) => a.status === 200),
      JSON.stringify(answers.map((a) => a.status)),
    );
    // Never the servers' own files' fee; the old one until the switch, the new one asked once both switched.
    assert.ok(
      answers.every((a) => a.fee === '$6.95' || a.fee === '$4.95'),
      JSON.stringify(answers.map((a) => a.fee)),
    );
    assert.ok(answers.filter((a) => a.at > switched).every((a) => a.fee === '$4.95'));

    // An invalid file is refused with the server's own error, and nothing is published: v2 stays the newest.
    const bad = configFile(dir, 'bad.json', -5, [simBandit({ floor: 0.1, every: '1d' })]);
    const refused = await cli([...operator, 'config', 'publish', bad]);
    assert.equal(refused.code, 1, refused.stdout);
    assert.match(
      refused.stderr,
      /Configuration: offers\.freeShipping\.shippingFeeMinor .*\[CONFIG_INVALID\]/,
    );
    const again = await cli([...operator, 'config', 'publish', v2]);
    assert.match(
      again.stdout,
      /^offer configuration v2 in .* is already the offers of .*v2\.json: nothing published/,
    );
    for (const u of urls) assert.equal((await health(u)).offers.version, 2);

    // A bandit's weights computed on another machine (no configuration file there: the published experiments)
    // are assigned by on both servers within 5 s.
    const weights = await cli(
      ['--store', tempDir(), '--database', url, 'experiment', 'weights', 'sim-threshold'],
      {
        cwd: tempDir(),
      },
    );
    assert.equal(weights.code, 0, weights.stderr);
    assert.match(weights.stdout, /sim-threshold: weights v1 published/);
    const t1 = Date.now();
    let inForce: Record<string, number>[] = [];
    while (Date.now() - t1 < 5000) {
      inForce = await Promise.all(urls.map(async (u) => (await health(u)).weights));
      if (inForce.every((w) => w['sim-threshold'] === 1)) break;
      await new Promise((res) => setTimeout(res, 100));
    }
    assert.deepEqual(
      inForce,
      [{ 'sim-threshold': 1 }, { 'sim-threshold': 1 }],
      `after ${Date.now() - t1} ms`,
    );
    // The operator sees the newest version of each in one place.
    const status = await cli(['db', 'status', '--database', url]);
    assert.match(status.stdout, /\n {2}published {4}model v1, offers v2, weights sim-threshold v1\n/);
  });
});
