import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ClvRun } from '../app/clv.js';
import type { Report } from '../app/report.js';
import { acceptanceChart, clvDistributionChart, evalChart, rateMixChart } from './dashboard-charts.js';

type Series = { name: string; data: (number | null)[] }[];
const seriesOf = (o: Record<string, unknown> | null) => o!.series as Series;

test('rate vs mix: the RPS change of each dimension in the currency, or why there is none', () => {
  const split = (rate: number, mix: number) => ({
    total: rate + mix,
    rate,
    mix,
    segments: [],
    againstEverySegment: false,
  });
  const r = {
    currency: 'EUR',
    segments: {
      device: { cvr: null, aov: null, rps: split(-12.4, 4), changes: [] },
      country: { cvr: null, aov: null, rps: null, changes: [] },
    },
  } as unknown as Report;
  const c = rateMixChart(r);
  assert.match(c.title, /EUR per session/);
  assert.deepEqual(
    (c.option!.xAxis as { data: string[] }).data,
    ['device'],
    'a dimension without a split is left out',
  );
  assert.deepEqual(
    seriesOf(c.option).map((s) => s.data),
    [[-0.12], [0.04]],
    'minor units per session → EUR, to the cent',
  );
  const none = rateMixChart({ currency: 'EUR', segments: {} } as unknown as Report);
  assert.equal(none.option, null);
  assert.match(none.empty!, /no previous window/);
});

test('acceptance by kind in %, with how many were shown; none without offers', () => {
  const r = {
    currency: 'USD',
    offers: {
      byChannel: [],
      byType: [{ type: 'cross-sell', shown: 200, accepted: 31, declined: 169, acceptanceRate: 0.155 }],
    },
  } as unknown as Report;
  const c = acceptanceChart(r);
  assert.deepEqual(seriesOf(c.option)[0]!.data, [15.5]);
  assert.deepEqual((c.option!.yAxis as { data: string[] }).data, ['cross-sell (200 shown)']);
  assert.equal(acceptanceChart({ currency: 'USD', offers: null } as unknown as Report).option, null);
});

test('CLV distribution: every customer in one bin, the tail in the last, in the currency', () => {
  const values = [0, 150, 480, 520, 990, 1010, 2500, 100_000].map((clvMinor) => ({ clvMinor }));
  const c = clvDistributionChart({ currency: 'USD', margin: null, values } as unknown as ClvRun, '');
  assert.match(c.title, /revenue CLV per customer \(USD\)/);
  const bins = seriesOf(c.option)[0]!.data as number[];
  assert.equal(
    bins.reduce((s, x) => s + x, 0),
    values.length,
  );
  const labels = (c.option!.xAxis as { data: string[] }).data;
  assert.match(labels.at(-1)!, /\+$/);
  assert.equal(
    bins.at(-1),
    2,
    'the tail bin starts at the 99th percentile ($25) and holds the $1,000 customer',
  );
  const none = clvDistributionChart(null, 'no customer orders');
  assert.equal(none.option, null);
  assert.equal(none.empty, 'no customer orders');
});

test('offline evaluation: the model and popularity side by side, in %', () => {
  const m = (ranking: string, hit: number) => ({
    ranking,
    baskets: 400,
    hitAtK: hit,
    recallAtK: hit,
    mrr: 0.3,
    coverage: 1,
    revenueWeightedHit: null,
  });
  const c = evalChart(
    { trainBaskets: 1600, testBaskets: 400, k: 10, results: [m('shrunk', 0.694), m('popular', 0.594)] },
    '',
  );
  assert.deepEqual(
    seriesOf(c.option).map((s) => [s.name, s.data[0]]),
    [
      ['model (shrunk lift)', 69.4],
      ['popular', 59.4],
    ],
  );
  assert.equal(evalChart(null, 'no orders').option, null);
});
