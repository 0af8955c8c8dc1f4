import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { cliJson, query, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

const FILE = join(SHARED_DATA, 'sessions', 'ga_merch_store_all_sessions.csv');

test('Google Analytics export: sessions with channels, hits as events, transactions from micros', {
  skip: SKIP_NO_DATA,
}, async () => {
  const store = tempDir();
  const r = await cliJson(['--store', store, 'ingest', 'ga-sessions', FILE]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.rows.read, 15134);
  assert.equal(r.json.rows.read, r.json.rows.loaded + r.json.rows.rejected + r.json.rows.skipped);
  assert.equal(r.json.rows.rejected, 0);
  assert.ok(r.json.skippedByReason['interaction hits (type EVENT) without an ecommerce action'] > 0);
  const t = (
    await query(
      store,
      `SELECT
      (SELECT count(*) FROM sessions)::INTEGER AS sessions,
      (SELECT count(DISTINCT split_part(session_id, '.', 2)) FROM sessions)::INTEGER AS visit_ids,
      (SELECT count(*) FROM events)::INTEGER AS events,
      (SELECT count(*) FROM orders)::INTEGER AS orders,
      (SELECT sum(gross_merchandise)::VARCHAR FROM orders) AS revenue,
      (SELECT count(DISTINCT channel) FROM sessions)::INTEGER AS channels,
      (SELECT min(started_at)::DATE::VARCHAR FROM sessions) AS first`,
    )
  )[0]!;
  // GA's session key is fullVisitorId + visitId: 14,561 sessions over 14,556 distinct visitIds.
  assert.equal(t.sessions, 14561);
  assert.equal(t.visit_ids, 14556);
  assert.equal(t.events, r.json.rows.loaded);
  assert.equal(t.orders, 80);
  assert.equal(t.revenue, '14157.310');
  assert.equal(t.channels, 7);
  assert.equal(t.first, '2016-08-01');
  const summary = await cliJson(['--store', store, 'summary']);
  const s = summary.json.summaries[0].levers;
  assert.equal(s.sessionsWithBots, 14561);
  assert.equal(s.orders, 80);
  // No user agents in GA exports: bots are told apart by behaviour only, and no session is flagged for
  // lacking one.
  assert.ok(Math.abs(s.cvr - 80 / s.sessions) < 1e-12);
});
