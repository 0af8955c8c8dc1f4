import assert from 'node:assert/strict';
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { ReplayTruth } from '../src/app/replay-truth.js';
import { inProcess } from '../src/app/replay-truth.js';
import { replaySessions } from '../src/app/replay.js';
import { Serving, servingSnapshot } from '../src/app/serving.js';
import { replayAll, type ReplayTally } from '../src/sim/replay.js';
import { loadServerConfig } from '../src/server/config.js';
import { ExperimentResponse } from '../src/server/contract-experiments.js';
import { openStore } from '../src/store/open.js';
import { cli, cliJson, FIXTURES, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';
const DAYS = ['--date', '2026-02-02', '--days', '3', '--sessions', '1500', '--seed', '7'];

test('free shipping at $50 vs $75 end to end through HTTP: served, replayed, loaded, analysed, against its known true effect', async () => {
  const store = tempDir();
  // Three weeks of history to mine; the experiment's days are replayed a week after it ends.
  assert.equal(
    (await cli(['--store', store, 'simulate', '--days', '21', '--sessions-per-day', '800', '--seed', '3']))
      .code,
    0,
  );
  assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
  const config = join(store, 'levers.config.json');
  // The configuration docs/cli.md runs too: $50 (control) against $75, open-ended since 2026-01-01.
  copyFileSync(join(FIXTURES, 'experiment', 'levers.config.json'), config);
  const server = await startCli(['--store', store, 'serve', '--port', '0', '--config', config]);
  let tally: ReplayTally;
  let loaded: { status: number; body: { rows: { loaded: number; rejected: number } } };
  try {
    const r = await cliJson<ReplayTally>(['replay', '--url', server.url, '--key', PUB, ...DAYS]);
    assert.equal(r.code, 0, r.stderr);
    tally = r.json;
    // The server loads its own event log into the store (the HTTP way; levers ingest api-events is the CLI's).
    const res = await fetch(`${server.url}/v1/events/load`, {
      method: 'POST',
      headers: { authorization: `Bearer ${SECRET}` },
    });
    loaded = { status: res.status, body: (await res.json()) as typeof loaded.body };
  } finally {
    assert.equal(await server.stop(), 0);
  }
  assert.equal(loaded.status, 200);
  assert.deepEqual([loaded.body.rows.loaded, loaded.body.rows.rejected], [tally.events, 0]);

  const shown = await cliJson([
    '--store',
    store,
    'experiment',
    'show',
    'ship-50-75',
    '--config',
    config,
    '--from',
    '2026-02-02',
  ]);
  assert.equal(shown.code, 0, shown.stderr);
  const e = ExperimentResponse.parse(shown.json);
  const a = e.analysis;
  // From the first day replayed to the data's last (a late session's purchase may land after midnight).
  assert.equal(e.window.from, '2026-02-02');
  // Every treated session the replay sent is in one variant, with its order and its revenue.
  // Visitors are the units (a returning customer's sessions are one): CVR and RPS are per session.
  const n = a.variants.map((v) => v.sessions);
  assert.ok(a.variants.every((v) => v.n <= v.sessions));
  const orders = a.variants.map((v) => Math.round(v.cvr!.value * v.sessions));
  const revenue = a.variants.map((v) => Math.round(v.rps!.value * v.sessions));
  assert.equal(n[0]! + n[1]!, tally.sessions.treatment);
  assert.equal(orders[0]! + orders[1]!, tally.orders.treatment);
  assert.equal(revenue[0]! + revenue[1]!, tally.revenueMinor.treatment);
  assert.equal(a.srm.flagged, false);
  const c = a.comparisons[0]!;
  assert.ok(c.split, 'the RPS lift is split into its CVR and AOV parts');

  // The truth: the same shoppers replayed in process under each variant, every treated session.
  const t = await cliJson<ReplayTruth & { days: string }>([
    '--store',
    store,
    'replay',
    '--truth',
    '--config',
    config,
    ...DAYS,
  ]);
  assert.equal(t.code, 0, t.stderr);
  const truth = t.json;
  assert.equal(truth.days, '2026-02-02..2026-02-04');
  assert.deepEqual(
    truth.variants.map((v) => [v.id, v.sessions, v.orders]),
    [
      ['control', tally.sessions.treatment, tally.orders.treatment],
      ['t75', tally.sessions.treatment, tally.orders.treatment],
    ],
  );
  // In the replay a shopper's order does not hang on the offers (organic sessions), so the true CVR lift is
  // exactly 0; the threshold moves order value through the free-shipping fillers shoppers accept.
  assert.equal(truth.effect.t75!.cvr, 0);
  assert.ok(truth.effect.t75!.aov > 0, `a $75 threshold shows more carts a filler: ${truth.effect.t75!.aov}`);
  const terminal = await cli(['--store', store, 'replay', '--truth', '--config', config, ...DAYS]);
  assert.match(terminal.stdout, /true lift t75 vs control: CVR \+0\.0%, AOV \+[\d.]+%, RPS \+[\d.]+%/);

  // The truth's in-process path is the server's: with the experiment on, as served, it reproduces the HTTP
  // replay's tally exactly (sessions, orders, revenue and every offer shown and accepted).
  const offers = loadServerConfig(config).offers;
  const served = new Serving(servingSnapshot(openStore(store), offers));
  const sessions = replaySessions({
    dayMs: Date.UTC(2026, 1, 2),
    days: 3,
    sessions: 1500,
    seed: 7,
    concurrency: 4,
  });
  const again = await replayAll(sessions, inProcess(served), 7, 4);
  const counts = (x: ReplayTally) => ({
    sessions: x.sessions,
    orders: x.orders,
    revenueMinor: x.revenueMinor,
    decisions: x.decisions,
    events: x.events,
    botsSkipped: x.botsSkipped,
    offers: Object.entries(x.offers).sort(),
  });
  assert.deepEqual(counts(again), counts(tally));

  // What a user reads: each interval beside the truth it should cover.
  for (const k of ['cvr', 'aov', 'rps'] as const) {
    const r = c.changes[k]!.relative!;
    const x = truth.effect.t75![k];
    assert.ok(r.low <= x && x <= r.high, `${k}: true ${x} in ${r.low}..${r.high}`);
  }
});
