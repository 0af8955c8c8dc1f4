import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_REPORT_OPTIONS } from '../../app/report-options.js';
import { dashboardQuery, safeNext } from './query.js';

test("a page's query is the report's options, parsed by the report's schema; empty fields are not given", () => {
  const q = dashboardQuery({
    from: '2026-01-01',
    to: '',
    period: 'day',
    experiment: 'thr',
    segment: 'device',
  });
  assert.ok(q.ok);
  assert.equal(q.options.from, '2026-01-01');
  assert.equal(q.options.to, undefined);
  assert.equal(q.options.period, 'day');
  assert.deepEqual(q.options.segment, ['device']);
  assert.deepEqual(q.params, { experiment: 'thr' });
  assert.equal(q.query, '?from=2026-01-01&period=day&segment=device', 'kept for links: bookmarkable');
  const none = dashboardQuery({});
  assert.ok(none.ok);
  assert.deepEqual(none.options, DEFAULT_REPORT_OPTIONS);
  assert.equal(none.query, '');
});

test('a bad option is said as the report says it, with the parameter', () => {
  const bad = dashboardQuery({ period: 'fortnight' });
  assert.ok(!bad.ok);
  assert.match(bad.problem, /^period: /);
  const unknown = dashboardQuery({ colour: 'red' });
  assert.ok(!unknown.ok);
  assert.match(unknown.problem, /unknown parameter\(s\) colour/);
  const seg = dashboardQuery({ segment: 'planet' });
  assert.ok(!seg.ok && /unknown planet/.test(seg.problem));
});

test('after sign-in, only a dashboard page of this server', () => {
  assert.equal(safeNext('/dashboard/offers?from=2026-01-01'), '/dashboard/offers?from=2026-01-01');
  for (const bad of [
    'https://evil.example/',
    '//evil.example/dashboard/x',
    '/dashboard//evil',
    '/v1/report',
    3,
    undefined,
  ])
    assert.equal(safeNext(bad), '/dashboard/overview', String(bad));
});
