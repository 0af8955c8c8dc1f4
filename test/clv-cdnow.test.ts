import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, cliJson, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

const near = (actual: number, expected: number, rel: number, what: string) =>
  assert.ok(Math.abs(actual / expected - 1) <= rel, `${what}: ${actual} vs ${expected}`);

test('levers clv on the CDNOW sample: published BG/NBD and Gamma-Gamma estimates, holdout and weekly ' +
  'tracking', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  const ing = await cliJson([
    '--store',
    store,
    'ingest',
    'cdnow',
    join(SHARED_DATA, 'cdnow', 'CDNOW_sample.txt'),
  ]);
  assert.deepEqual(ing.json.rows, { read: 6919, loaded: 6919, rejected: 0, skipped: 0 });
  const { code, json: r } = await cliJson(['--store', store, 'clv', '--calibration-end', '1997-09-30']);
  assert.equal(code, 0);
  assert.equal(r.customers, 2357);
  assert.equal(r.repeaters, 946);
  const b = r.bgnbd.params;
  // The maximum-likelihood figures to more digits (shared/data's README; a and b as an independent fit finds
  // them, see src/core/metrics/clv/bgnbd.test.ts).
  near(b.r, 0.2425945, 1e-5, 'r');
  near(b.alpha, 4.4136019, 1e-5, 'alpha');
  near(b.a, 0.7929199, 1e-5, 'a');
  near(b.b, 2.4258881, 1e-5, 'b');
  assert.ok(Math.abs(r.bgnbd.logLik - -9582.429) < 1e-3, `LL ${r.bgnbd.logLik}`);
  const g = r.gammaGamma.params;
  near(g.p, 6.249575, 1e-5, 'p');
  near(g.q, 3.744224, 1e-5, 'q');
  near(g.gamma, 15.443512, 1e-5, 'gamma');
  assert.ok(Math.abs(r.gammaGamma.logLik - -4055.91769) < 1e-3, `LL ${r.gammaGamma.logLik}`);
  assert.equal(r.holdout.actualRepeats, 1882);
  assert.equal(r.holdout.weeks, 39);
  // The actual weekly series is BTYD's cdnowSummary_cu_tracking to the transaction.
  const cu = readFileSync(join(SHARED_DATA, 'cdnow', 'btyd', 'cdnowSummary_cu_tracking.csv'), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => Number(l.split(',')[1]));
  assert.deepEqual(
    r.tracking.map((t: { actual: number }) => t.actual),
    cu,
  );
  near(r.tracking[38].predicted, 2457, 0.025, 'predicted by week 39');
  near(r.tracking[77].predicted, 4339, 0.05, 'predicted by week 78');
  // Customer 1 of the sample (master id 4): x=2, t_x=30.43, T=38.86, as in the point checks.
  const c = r.values.find((v: { customerId: string }) => v.customerId === '4');
  assert.equal(c.x, 2);
  assert.equal(c.probabilityAlive.toFixed(2), '0.73');
  assert.equal((c.expectedSpendMinor / 100).toFixed(2), '24.65');
  const text = await cli(['--store', store, 'clv', '--calibration-end', '1997-09-30', '--margin', '0.3']);
  assert.match(
    text.stdout,
    /holdout +39\.0 weeks to 1998-06-30: predicted 1,653 repeat purchases, actual 1,882/,
  );
  assert.match(text.stdout, /margin +30\.0% \(option\)/);
});

test('levers clv refuses what it cannot compute, with a reason', async () => {
  const store = tempDir();
  const empty = await cli(['--store', store, 'clv']);
  assert.equal(empty.code, 1);
  assert.match(empty.stderr, /no customer orders/);
  const bad = await cli(['--store', store, 'clv', '--margin', '35']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /Invalid option --margin: is a fraction/);
});
