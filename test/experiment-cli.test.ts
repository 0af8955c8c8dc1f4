import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { VERDICT_CODES } from '../src/core/experiments/analysis.js';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';
import { simProfitConfig } from './experiment-fixture.js';
import { cli, cliJson, tempDir } from './helpers.js';

test('levers experiment show holdout: treated vs holdout with SRM, intervals, the split and a verdict', async () => {
  const store = tempDir();
  assert.equal(
    (await cli(['--store', store, 'simulate', '--days', '28', '--sessions-per-day', '2000'])).code,
    0,
  );
  const { code, json } = await cliJson(['--store', store, 'experiment', 'show', 'holdout']);
  assert.equal(code, 0);
  const a = json.analysis;
  const summary = (await cliJson(['--store', store, 'summary'])).json.summaries[0];
  // Every human session is in one arm or the other, and the units are visitors (a customer's sessions are one).
  assert.equal(a.variants[0].sessions + a.variants[1].sessions, summary.levers.sessions);
  assert.ok(a.variants[0].n + a.variants[1].n < summary.levers.sessions);
  assert.match(json.description, /visitors as units/);
  assert.equal(a.srm.flagged, false, `p ${a.srm.p}`);
  const c = a.comparisons[0];
  assert.ok(VERDICT_CODES.includes(c.verdict.code));
  for (const k of ['cvr', 'aov', 'rps']) {
    const r = c.changes[k].relative;
    assert.ok(r.low < r.value && r.value < r.high, k);
  }
  const s = c.split;
  assert.ok(Math.abs(Math.log1p(s.rps.value) - Math.log1p(s.cvr.value) - Math.log1p(s.aov.value)) < 1e-9);
  // The terminal says the same, in words.
  const t = await cli(['--store', store, 'experiment', 'show', 'holdout', '--sequential']);
  assert.equal(t.code, 0);
  assert.match(t.stdout, /SRM +chi-square [\d.]+, p = [\d.]+: the split is as configured/);
  assert.match(t.stdout, /always-valid RPS difference \(safe at every look\)/);
  const seq = (await cliJson(['--store', store, 'experiment', 'show', 'holdout', '--sequential'])).json;
  assert.match(t.stdout, new RegExp(`verdict ${seq.analysis.comparisons[0].verdict.code}: `));
  // The whole data has no "before": no CUPED. From the second week on, each customer's earlier spend is the covariate.
  assert.equal(a.cupedTheta, null);
  const later = await cliJson(['--store', store, 'experiment', 'show', 'holdout', '--from', '2026-01-12']);
  assert.equal(typeof later.json.analysis.cupedTheta.rps, 'number');
  assert.ok(later.json.analysis.comparisons[0].cuped.rps.change.relative);
  assert.match(
    (await cli(['--store', store, 'experiment', 'show', 'holdout', '--from', '2026-01-12'])).stdout,
    /CUPED with each customer's spend before the window: RPS [+−][\d.]+% \(/,
  );
  // Told the server ran a 50% holdout, the 5% split is a sample ratio mismatch and the verdict is withheld.
  const srm = await cliJson(['--store', store, 'experiment', 'show', 'holdout', '--holdout-share', '0.5']);
  assert.equal(srm.json.analysis.comparisons[0].verdict.code, 'SRM');
});

test('levers experiment show: an unknown experiment, a bad option and an empty store are clear errors', async () => {
  const store = tempDir();
  const unknown = await cli(['--store', store, 'experiment', 'show', 'ship-75']);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /unknown experiment ship-75/);
  const bad = await cli(['--store', store, 'experiment', 'show', 'holdout', '--holdout-share', '2']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--holdout-share/);
  const empty = await cli(['--store', store, 'experiment', 'show', 'holdout']);
  assert.notEqual(empty.code, 0);
  assert.match(empty.stderr, /no sessions or orders/i);
  assert.doesNotMatch(empty.stderr, /\n\s+at /, 'no stack trace');
});

test('a simulated threshold experiment: truth per variant in truth.json, analysed like one levers serve ran', async () => {
  const store = tempDir();
  const sim = await cli([
    '--store',
    store,
    'simulate',
    '--days',
    '7',
    '--sessions-per-day',
    '1500',
    '--experiment-thresholds',
    '50,75',
  ]);
  assert.equal(sim.code, 0, sim.stderr);
  const truth = JSON.parse(readFileSync(join(store, 'sim', 'truth.json'), 'utf8')).experiment;
  assert.deepEqual(
    truth.variants.map((v: { id: string; thresholdMinor: number }) => [v.id, v.thresholdMinor]),
    [
      ['t50', 5000],
      ['t75', 7500],
    ],
  );
  // A higher threshold charges more carts shipping: fewer orders, larger ones, in the simulator's own truth.
  assert.ok(truth.effect.t75.cvr < 0 && truth.effect.t75.aov > 0, JSON.stringify(truth.effect));
  const { code, json } = await cliJson(['--store', store, 'experiment', 'show', 'sim-threshold']);
  assert.equal(code, 0);
  const a = json.analysis;
  assert.deepEqual(
    a.variants.map((v: { id: string }) => v.id),
    ['t50', 't75'],
  );
  assert.equal(a.srm.flagged, false);
  // Every treated human session is in one variant: the same count the truth replays.
  assert.equal(a.variants[0].n + a.variants[1].n, truth.variants[0].sessions);
  // A currency the store never sold in would read 0% conversion everywhere: refused, with what it sells in.
  const eur = await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--currency', 'EUR']);
  assert.equal(eur.code, 2);
  assert.match(eur.stderr, /the store has no sales in EUR; it sells in USD/);

  // The same experiment declared with profit per session as its primary metric, sessions as units.
  const config = join(store, 'profit.config.json');
  writeFileSync(config, JSON.stringify(simProfitConfig()));

  const p = await cliJson(['--store', store, 'experiment', 'show', 'sim-threshold', '--config', config]);
  assert.equal(p.code, 0);
  assert.equal(p.json.analysis.primary, 'profit');
  assert.match(p.json.notes[0], /^profit per session: net revenue less product costs/);
  // Profit per session is what the bandit's rewards count for the same sessions, below revenue per session.
  const rewards = await withDatabase(openStore(store), (db) =>
    db.experimentRewards('USD', p.json.window, 'sim-threshold', {
      assumedMargin: 0.4,
      shippingCostMinor: 695,
    }),
  );
  for (const v of p.json.analysis.variants as {
    id: string;
    n: number;
    profit: { value: number };
    rps: { value: number };
  }[]) {
    const r = rewards.find((x) => x.segment === v.id)!;
    assert.ok(
      Math.abs(v.profit.value - r.profit.sx / r.n) < 1e-6,
      `${v.id}: ${v.profit.value} vs ${r.profit.sx / r.n}`,
    );
    assert.ok(v.profit.value > 0 && v.profit.value < v.rps.value, JSON.stringify(v));
  }
  const c = p.json.analysis.comparisons[0];
  assert.ok(c.changes.profit.relative, 'profit has its interval');
  const t = await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--config', config]);
  assert.match(t.stdout, /profit\/session +\$\d+\.\d\d +\$\d+\.\d\d +[+−]/);
  assert.match(t.stdout, /smallest profit\/session lift these units detect/);
  // The report's Experiments section reads the same primary, with the configuration's economics.
  const rep = await cliJson(['--store', store, 'report', '--no-clv', '--config', config]);
  assert.equal(rep.code, 0, rep.stderr);
  const row = rep.json.experiments.rows[0];
  assert.equal(row.primary, 'profit');
  assert.deepEqual(row.profitLift, c.changes.profit.relative);
  assert.equal(row.verdict.code, c.verdict.code);
  // The terminal wraps its lines: read it as one.
  const text = (await cli(['--store', store, 'report', '--no-clv', '--config', config])).stdout.replace(
    /\s+/g,
    ' ',
  );
  assert.match(
    text,
    /sim-threshold t75 vs t50 .*profit per session [+−][\d.]+% \([+−][\d.]+% to [+−][\d.]+%\), RPS /,
  );

  // Capped at the 95th percentile of the sessions that bought: the largest orders count at the cap, so each
  // arm's AOV and RPS can only fall, conversion is untouched, and the output says where it cut.
  writeFileSync(config, JSON.stringify(simProfitConfig({ capping: { percentile: 0.95 } })));
  const cp = await cliJson(['--store', store, 'experiment', 'show', 'sim-threshold', '--config', config]);
  assert.equal(cp.code, 0, cp.stderr);
  assert.equal(cp.json.capping.percentile, 0.95);
  assert.ok(cp.json.capping.revenueAt > 0 && cp.json.capping.units > 0, JSON.stringify(cp.json.capping));
  for (const [i, v] of (
    cp.json.analysis.variants as { aov: { value: number }; rps: { value: number }; cvr: { value: number } }[]
  ).entries()) {
    const u = p.json.analysis.variants[i];
    assert.ok(v.aov.value < u.aov.value && v.rps.value < u.rps.value, `${v.aov.value} vs ${u.aov.value}`);
    assert.equal(v.cvr.value, u.cvr.value);
  }
  const capText = (await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--config', config]))
    .stdout;
  assert.match(
    capText.replace(/\s+/g, ' '),
    /revenue per session capped at \$\d+\.\d\d \(the 95th percentile of the sessions that bought/,
  );
});
