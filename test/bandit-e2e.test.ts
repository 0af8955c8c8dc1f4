import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { openStore } from '../src/store/open.js';
import { simBandit, thresholdExperiment, weightsFixture } from './experiment-fixture.js';
import { cli, cliJson, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

function writeConfig(file: string, experiments: unknown[]): void {
  writeFileSync(
    file,
    JSON.stringify({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      // One test shopper asks 4,000 decisions.
      rateLimitPerMinute: { publishable: 100_000 },
      offers: { freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 }, experiments },
    }),
  );
}

test('levers experiment weights: Thompson weights on profit per session from the store, published once per period', async () => {
  const store = tempDir();
  const sim = ['simulate', '--days', '10', '--sessions-per-day', '800', '--experiment-thresholds', '50,75'];
  assert.equal((await cli(['--store', store, ...sim])).code, 0);
  const config = join(store, 'levers.config.json');
  writeConfig(config, [simBandit({ floor: 0.1, every: '1d' })]);
  const args = ['--store', store, 'experiment', 'weights', 'sim-threshold', '--config', config];
  const first = await cliJson(args);
  assert.equal(first.code, 0, first.stderr);
  const w = first.json.weights;
  assert.equal(first.json.published, true);
  assert.equal(w.version, 1);
  assert.equal(w.code, 'THOMPSON');
  // The simulator's products have costs: profit, and the output says what it rests on.
  assert.equal(w.reward, 'profit');
  assert.match(
    w.rewardNote,
    /^profit per session: product costs cover all the merchandise sold; shipping charged/,
  );
  assert.deepEqual(
    w.arms.map((a: { id: string }) => a.id),
    ['t50', 't75'],
  );
  for (const a of w.arms) assert.ok(a.weight >= 0.1 - 1e-12 && a.weight <= 0.9 + 1e-12, String(a.weight));
  assert.ok(Math.abs(w.arms[0].weight + w.arms[1].weight - 1) < 1e-9);
  // The arms are the experiment's sessions, as levers experiment show counts them.
  const show = await cliJson(['--store', store, 'experiment', 'show', 'sim-threshold']);
  assert.deepEqual(
    w.arms.map((a: { n: number }) => a.n),
    show.json.analysis.variants.map((v: { n: number }) => v.n),
  );
  // Within the period the weights in force stay; --force publishes the next version.
  const again = await cliJson(args);
  assert.equal(again.json.published, false);
  assert.equal(again.json.weights.version, 1);
  const text = await cli(args);
  assert.match(text.stdout, /weights v1 \(published .*\) stay in force: not due until/);
  const forced = await cli([...args, '--force']);
  assert.equal(forced.code, 0);
  assert.match(forced.stdout, /sim-threshold: weights v2 published/);
  assert.match(forced.stdout, /t75 +[\d,]+ +\d\.\d{4} ± \d\.\d{4} +[\d.]+ +\d\.\d{4} +0\.\d{3}/);
  // The analysis names the split being served now.
  const shown = await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--config', config]);
  assert.match(
    shown.stdout,
    /served now by weights v2 \(published [\d-]+ [\d:]+ UTC\): t50 0\.\d{3}, t75 0\.\d{3}/,
  );
  // Revenue when asked for it, or when no product has a cost.
  writeConfig(config, [simBandit({ reward: 'rps' })]);
  const rps = await cliJson([...args, '--force']);
  assert.equal(rps.json.weights.reward, 'rps');
  assert.equal(rps.json.weights.rewardNote, null);
});

test('levers experiment weights: an experiment that is not a bandit, unknown, or without sessions is a clear error', async () => {
  const store = tempDir();
  const config = join(store, 'levers.config.json');
  writeConfig(config, [thresholdExperiment()]);
  const plain = await cli(['--store', store, 'experiment', 'weights', 'ship-50-75', '--config', config]);
  assert.equal(plain.code, 2);
  assert.match(plain.stderr, /experiment ship-50-75 is not a bandit: give it "bandit"/);
  const unknown = await cli(['--store', store, 'experiment', 'weights', 'nope', '--config', config]);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown experiment nope: the configuration has ship-50-75/);
  // A store whose sessions never met the experiment: said, not published as equal weights.
  assert.equal(
    (await cli(['--store', store, 'simulate', '--days', '3', '--sessions-per-day', '200'])).code,
    0,
  );
  writeConfig(config, [simBandit({})]);
  const none = await cli(['--store', store, 'experiment', 'weights', 'sim-threshold', '--config', config]);
  assert.equal(none.code, 1);
  assert.match(
    none.stderr,
    /The store has no sessions in experiment sim-threshold in 2026-01-05\.\.2026-01-07/,
  );
  assert.deepEqual(openStore(store).snapshots.loadBanditWeights(), []);
});

/** A simulated, mined store served with a bandit threshold experiment, looking for changes every `watch` s. */
async function banditServer(watch: string) {
  const store = tempDir();
  assert.equal(
    (await cli(['--store', store, 'simulate', '--days', '7', '--sessions-per-day', '300'])).code,
    0,
  );
  assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
  const config = join(store, 'levers.config.json');
  // The server runs on today's clock: the experiment started long before.
  writeConfig(config, [thresholdExperiment({ start: '2026-01-01', bandit: { floor: 0.1 } })]);
  const server = await startCli([
    '--store',
    store,
    'serve',
    '--port',
    '0',
    '--config',
    config,
    '--watch',
    watch,
  ]);
  return { store, config, server };
}

test('levers serve assigns a bandit by its published weights, picked up on SIGHUP; the holdout is untouched', async () => {
  // Only the signal reloads here (the next test watches the store).
  const { store, config, server } = await banditServer('0');
  const N = 2000;
  const serve = async () => {
    const arm = new Map<string, string | null>();
    for (let i = 0; i < N; i++) {
      const r = await fetch(`${server.url}/v1/decide`, {
        method: 'POST',
        headers: { authorization: `Bearer ${PUB}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          page: 'cart',
          sessionId: `b-${i}`,
          cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 6000 }],
        }),
      });
      assert.equal(r.status, 200);
      const d = (await r.json()) as {
        experiments: { variant: string }[];
        assignment: { inHoldout: boolean };
      };
      if (d.assignment.inHoldout) assert.deepEqual(d.experiments, [], 'the holdout never enters the bandit');
      arm.set(`b-${i}`, d.assignment.inHoldout ? null : d.experiments[0]!.variant);
    }
    return arm;
  };
  /** The control's share of treated units, and whether it is within 4σ of p (σ of a binomial share). */
  const share = (arm: Map<string, string | null>, p: number) => {
    const treated = [...arm.values()].filter((v) => v != null);
    const x = treated.filter((v) => v === 'control').length / treated.length;
    return { x, ok: Math.abs(x - p) < 4 * Math.sqrt((p * (1 - p)) / treated.length) };
  };
  try {
    const before = await serve();
    const b = share(before, 0.5);
    assert.ok(b.ok, `no weights published: the configured 50/50 (control share ${b.x})`);
    openStore(store).snapshots.saveBanditWeights(weightsFixture(0.9, { version: 1 }));
    server.child.kill('SIGHUP');
    // Wait for the reload to be logged (an event, not a time).
    for (let k = 0; !/bandit weights in force/.test(server.stderr()); k++) {
      assert.ok(k < 600, `no reload logged: ${server.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(server.stderr(), /"bandits":\[\{"experiment":"ship-50-75","version":1\}\]/);
    const after = await serve();
    const a = share(after, 0.9);
    assert.ok(a.ok, `published 0.9/0.1: control share ${a.x}`);
    // The operator sees the split being served beside the configured one, and that it is a bandit.
    const listed = (await (
      await fetch(`${server.url}/v1/experiments`, { headers: { authorization: `Bearer ${SECRET}` } })
    ).json()) as {
      experiments: { bandit: unknown; variants: { id: string; weight: number; servedWeight: number }[] }[];
    };
    assert.deepEqual(
      listed.experiments[0]!.variants.map((v) => [v.id, v.weight, Number(v.servedWeight.toFixed(6))]),
      [
        ['control', 0.5, 0.9],
        ['t75', 0.5, 0.1],
      ],
    );
    assert.deepEqual(listed.experiments[0]!.bandit, { floor: 0.1, reward: 'profit', every: '1d' });
    const cliList = await cli(['--store', store, 'experiment', 'list', '--config', config]);
    assert.match(
      cliList.stdout,
      /control 0\.5 \(served 0\.9\) \/ t75 0\.5 \(served 0\.1\), unit visitor, a bandit on profit/,
    );
    // The holdout is the same units; the control only grew (its bucket range [0, 0.5) became [0, 0.9)).
    for (const [u, v] of before) {
      assert.equal(after.get(u) === null, v === null, u);
      if (v === 'control') assert.equal(after.get(u), 'control', u);
    }
  } finally {
    await server.stop();
  }
});

test('levers serve picks up newly published weights by itself (--watch), and lists the version in force', async () => {
  const { store, config, server } = await banditServer('0.2');
  const listed = async () =>
    (
      (await (
        await fetch(`${server.url}/v1/experiments`, { headers: { authorization: `Bearer ${SECRET}` } })
      ).json()) as {
        experiments: {
          weights: { version: number; createdAt: string } | null;
          variants: { servedWeight: number }[];
        }[];
      }
    ).experiments[0]!;
  try {
    assert.equal((await listed()).weights, null, 'nothing published yet: the configured weights');
    const w = weightsFixture(0.9, { version: 1 });
    openStore(store).snapshots.saveBanditWeights(w);
    // No signal: wait for the server to log the reload it did by itself (an event, not a time).
    for (let k = 0; !/"bandits":\[\{"experiment":"ship-50-75","version":1\}\]/.test(server.stderr()); k++) {
      assert.ok(k < 600, `no reload logged: ${server.stderr()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    assert.match(server.stderr(), /the model, bandit weights or configuration changed; reloading/);
    const e = await listed();
    assert.deepEqual(e.weights, { version: 1, createdAt: w.createdAt });
    assert.equal(Number(e.variants[0]!.servedWeight.toFixed(6)), 0.9);
    const text = await cli(['--store', store, 'experiment', 'list', '--config', config]);
    assert.match(
      text.stdout,
      /a bandit on profit \(floor 0\.1, every 1d; weights v1 of \d{4}-\d\d-\d\d \d\d:\d\d UTC\)/,
    );
  } finally {
    await server.stop();
  }
});
