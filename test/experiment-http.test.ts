import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ErrorResponse, ReportResponse } from '../src/server/contract.js';
import { ExperimentListResponse, ExperimentResponse } from '../src/server/contract-experiments.js';
import { thresholdExperiment } from './experiment-fixture.js';
import { cli, cliJson, startCli, tempDir } from './helpers.js';

const PUB = 'pk_test_0123456789abcdef';
const SECRET = 'sk_test_0123456789abcdef01234567';

test('GET /v1/experiments and /v1/experiments/:id on a real server: the CLI analysis, secret key only, clear 4xx', async () => {
  const store = tempDir();
  // A simulated store running its own $50 vs $75 experiment (sim-threshold), with a 5% holdout.
  const sim = await cli([
    '--store',
    store,
    'simulate',
    '--days',
    '14',
    '--sessions-per-day',
    '600',
    '--experiment-thresholds',
    '50,75',
  ]);
  assert.equal(sim.code, 0, sim.stderr);
  assert.equal((await cli(['--store', store, 'mine', '--min-support', '0.005'])).code, 0);
  const config = join(store, 'levers.config.json');
  // One experiment over, one running (open-ended since 2026-01-01) and one not yet started, whatever today is.
  writeFileSync(
    config,
    JSON.stringify({
      publishableKeys: [PUB],
      secretKeys: [SECRET],
      offers: {
        holdoutShare: 0.05,
        freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
        experiments: [
          thresholdExperiment({ id: 'ship-old', start: '2025-01-01', end: '2025-06-30' }),
          thresholdExperiment({ start: '2026-01-01' }),
          {
            id: 'tiers-later',
            hypothesis: 'a volume tier lifts order value',
            start: '2099-01-01',
            variants: [
              { id: 'none', weight: 0.5, overrides: { volumeTiers: [] } },
              { id: 'tier', weight: 0.5, overrides: { volumeTiers: [{ minQuantity: 2, percentOff: 10 }] } },
            ],
          },
        ],
      },
    }),
  );
  const server = await startCli(['--store', store, 'serve', '--port', '0', '--config', config]);
  const get = async (path: string, key: string | null = SECRET) => {
    const r = await fetch(server.url + path, { headers: key ? { authorization: `Bearer ${key}` } : {} });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> };
  };
  const answers: Record<string, { status: number; body: Record<string, unknown> }> = {};
  try {
    for (const path of [
      '/v1/experiments',
      '/v1/experiments/sim-threshold',
      '/v1/experiments/sim-threshold?sequential=true&from=2026-01-08',
      '/v1/experiments/holdout',
      '/v1/experiments/ship-60',
      '/v1/experiments/holdout?from=2026-13-01',
      '/v1/experiments/holdout?sequential=maybe',
      '/v1/experiments/holdout?holdoutShare=0.5',
      '/v1/experiments/holdout?from=2030-01-01',
    ])
      answers[path] = await get(path);
    for (const path of ['/v1/experiments', '/v1/experiments/holdout']) {
      const r = await get(path, PUB);
      assert.equal(r.status, 403, path);
      assert.equal((r.body.error as { code: string }).code, 'SECRET_KEY_REQUIRED');
      assert.equal((await get(path, null)).status, 401);
    }
  } finally {
    assert.equal(await server.stop(), 0);
  }

  // Under --workers the workers ask the primary, which alone opens the store: the same answers.
  const cluster = await startCli([
    '--store',
    store,
    'serve',
    '--port',
    '0',
    '--workers',
    '2',
    '--config',
    config,
  ]);
  try {
    for (const path of ['/v1/experiments/holdout', '/v1/experiments/ship-60']) {
      const r = await fetch(cluster.url + path, { headers: { authorization: `Bearer ${SECRET}` } });
      assert.equal(r.status, answers[path]!.status, path);
      assert.deepEqual(await r.json(), answers[path]!.body, path);
    }
  } finally {
    assert.equal(await cluster.stop(), 0);
  }

  const list = ExperimentListResponse.parse(answers['/v1/experiments']!.body);
  assert.equal(answers['/v1/experiments']!.status, 200);
  assert.deepEqual(
    list.experiments.map((e) => [e.id, e.status, e.start, e.end]),
    [
      ['ship-old', 'ended', '2025-01-01', '2025-06-30'],
      ['ship-50-75', 'running', '2026-01-01', null],
      ['tiers-later', 'scheduled', '2099-01-01', null],
    ],
  );
  assert.deepEqual(list.experiments[1]!.variants, [
    { id: 'control', weight: 0.5, servedWeight: 0.5, overrides: {} },
    { id: 't75', weight: 0.5, servedWeight: 0.5, overrides: { freeShipping: { thresholdMinor: 7500 } } },
  ]);
  // Not a bandit: served as configured, and said so.
  assert.equal(list.experiments[1]!.bandit, null);
  assert.deepEqual(list.holdout, { id: 'holdout', share: 0.05 });
  // The CLI lists the same, with the same statuses.
  const listed = await cliJson(['--store', store, 'experiment', 'list', '--config', config]);
  assert.deepEqual(listed.json.experiments, list.experiments);

  // The analysis is the CLI's, number for number, from the same use case.
  for (const [path, args] of [
    ['/v1/experiments/sim-threshold', ['sim-threshold']],
    [
      '/v1/experiments/sim-threshold?sequential=true&from=2026-01-08',
      ['sim-threshold', '--sequential', '--from', '2026-01-08'],
    ],
    ['/v1/experiments/holdout', ['holdout']],
  ] as const) {
    const a = answers[path]!;
    assert.equal(a.status, 200, JSON.stringify(a.body));
    const body = ExperimentResponse.parse(a.body);
    const shown = await cliJson(['--store', store, 'experiment', 'show', ...args, '--config', config]);
    assert.equal(shown.code, 0, shown.stderr);
    assert.deepEqual(body, shown.json, path);
  }
  // The same analysis as a self-contained page, to a file or to stdout.
  const page = join(store, 'sim-threshold.html');
  const html = await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--html', '--out', page]);
  assert.equal(html.code, 0, html.stderr);
  assert.match(html.stdout, /verdict [A-Z_]+: .*\n\nHTML: .*sim-threshold\.html/);
  const written = readFileSync(page, 'utf8');
  const simulated = ExperimentResponse.parse(answers['/v1/experiments/sim-threshold']!.body);
  assert.ok(written.includes(`<h2>t75 against t50</h2>`));
  assert.ok(written.includes(`verdict ${simulated.analysis.comparisons[0]!.verdict.code}: `));
  const piped = await cli(['--store', store, 'experiment', 'show', 'sim-threshold', '--html']);
  assert.ok(piped.stdout.startsWith('<!doctype html>'));
  const seq = ExperimentResponse.parse(
    answers['/v1/experiments/sim-threshold?sequential=true&from=2026-01-08']!.body,
  );
  assert.ok(seq.analysis.comparisons[0]!.sequential, 'sequential=true adds the always-valid interval');
  assert.equal(seq.window.from, '2026-01-08');
  const holdout = ExperimentResponse.parse(answers['/v1/experiments/holdout']!.body);
  assert.deepEqual(holdout.analysis.srm.expectedShares, [0.05, 0.95], "the configuration's holdout share");

  // The report's Experiments section: the configured experiment that overlaps the data has no sessions stamped
  // with it (the simulator ran its own), which is a NO_DATA line, not a failed report; without a configuration,
  // one line says so.
  const withConfig = await cliJson(['--store', store, 'report', '--no-clv', '--config', config]);
  assert.equal(withConfig.code, 0, withConfig.stderr);
  const ex = ReportResponse.parse(withConfig.json).experiments;
  assert.equal(ex.note, null);
  assert.deepEqual(
    ex.rows.map((x) => [x.experiment, x.variant, x.verdict.code, x.rpsLift, x.srm]),
    [['ship-50-75', null, 'NO_DATA', null, null]],
  );
  assert.match(
    ex.rows[0]!.verdict.text,
    /no data: The store has no sessions in experiment ship-50-75 in 2026-01-05\.\.2026-01-18/,
  );
  const without = await cliJson(['--store', store, 'report', '--no-clv']);
  assert.deepEqual(without.json.experiments, {
    rows: [],
    note: 'no offer configuration was given, so no offer experiment is reported (levers report --config FILE)',
  });
  const text = await cli(['--store', store, 'report', '--no-clv', '--config', config]);
  assert.match(
    text.stdout,
    /Experiments ─+\n {2}- ship-50-75 \(2026-01-05\.\.2026-01-18\): NO_DATA: no data: /,
  );
  assert.match(
    text.stdout,
    /the global holdout \(personalised offers against none\) is compared in Offers above/,
  );

  // Errors: the catalogue's code and status, a message that says what to fix, the field where there is one.
  const error = (path: string, status: number, code: string, field?: string, message?: RegExp) => {
    const a = answers[path]!;
    assert.equal(a.status, status, `${path}: ${JSON.stringify(a.body)}`);
    const e = ErrorResponse.parse(a.body).error;
    assert.equal(e.code, code, path);
    assert.equal(e.field, field, path);
    if (message) assert.match(e.message, message, path);
  };
  error(
    '/v1/experiments/ship-60',
    404,
    'UNKNOWN_EXPERIMENT',
    undefined,
    /unknown experiment ship-60: the configuration has ship-old, ship-50-75, tiers-later/,
  );
  error('/v1/experiments/holdout?from=2026-13-01', 400, 'INVALID_REQUEST', 'from', /not a calendar date/);
  error('/v1/experiments/holdout?sequential=maybe', 400, 'INVALID_REQUEST', 'sequential');
  error(
    '/v1/experiments/holdout?holdoutShare=0.5',
    400,
    'INVALID_REQUEST',
    undefined,
    /unknown parameter\(s\) holdoutShare/,
  );
  error(
    '/v1/experiments/holdout?from=2030-01-01',
    400,
    'INVALID_REQUEST',
    'from',
    /is empty \(the data runs 2026-01-05\.\.2026-01-18\)/,
  );
});
