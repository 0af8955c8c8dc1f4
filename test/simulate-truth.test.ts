import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { isbot } from 'isbot';
import { cliJson, query, tempDir } from './helpers.js';

interface DeviceRow {
  device: string;
  sessions: number;
  orders: number;
  net: string;
}

/** CVR and AOV by device from the loaded tables, with bots found by their user agent. */
async function loadedMetrics(store: string) {
  const agents = await query<{ user_agent: string; n: number }>(
    store,
    `SELECT user_agent, count(*)::INTEGER AS n FROM sessions GROUP BY 1`,
  );
  const bots = agents.filter((a) => isbot(a.user_agent)).map((a) => a.user_agent);
  const rows = await query<DeviceRow>(
    store,
    `SELECT s.device, count(*)::INTEGER AS sessions, count(o.order_id)::INTEGER AS orders,
      coalesce(sum(o.gross_merchandise - o.discount - o.refunded), 0)::VARCHAR AS net
    FROM sessions s LEFT JOIN orders o ON o.session_id = s.session_id AND o.status <> 'cancelled'
    WHERE s.user_agent NOT IN (SELECT unnest([${bots.map((b) => `'${b.replace(/'/g, "''")}'`).join(',')}]))
    GROUP BY 1 ORDER BY 1`,
  );
  const total = agents.reduce((s, a) => s + a.n, 0);
  const botSessions = agents.filter((a) => bots.includes(a.user_agent)).reduce((s, a) => s + a.n, 0);
  return { total, botSessions, rows };
}

test("the simulator's truth file agrees with what the store shows", async () => {
  const store = tempDir();
  const r = await cliJson([
    '--store',
    store,
    'simulate',
    '--seed',
    '3',
    '--days',
    '21',
    '--sessions-per-day',
    '3000',
    '--scenario',
    'mobile-shift',
  ]);
  assert.equal(r.code, 0);
  const truth = JSON.parse(readFileSync(join(store, 'sim', 'truth.json'), 'utf8'));
  assert.deepEqual(truth, r.json.truth);
  const m = await loadedMetrics(store);
  const o = truth.realized.overall;
  assert.equal(m.total, o.sessions);
  assert.equal(m.botSessions, o.botSessions);
  const human = m.rows.reduce((s, x) => s + x.sessions, 0);
  for (const row of m.rows) {
    const t = o.byDevice[row.device];
    assert.ok(t, row.device);
    assert.equal(row.sessions, t.sessions, `${row.device} sessions`);
    assert.equal(row.orders, t.orders, `${row.device} orders`);
    assert.ok(Math.abs(row.sessions / human - t.share) < 1e-12, `${row.device} share`);
    assert.ok(Math.abs(row.orders / row.sessions - t.cvr) < 1e-12, `${row.device} CVR`);
    assert.ok(Math.abs((Number(row.net) * 100) / row.orders - t.aovMinor) < 1e-6, `${row.device} AOV`);
  }
  assert.equal(r.json.rows.sessions, o.sessions);
  const counts = await query(
    store,
    `SELECT (SELECT count(*) FROM events)::INTEGER AS events, (SELECT count(*) FROM customers)::INTEGER AS ` +
      `customers`,
  );
  assert.deepEqual(counts, [{ events: r.json.rows.events, customers: r.json.rows.customers }]);
});

test('simulated CSV files load through levers ingest to the same store', async () => {
  const dir = tempDir();
  const out = join(dir, 'out');
  const sim = await cliJson([
    'simulate',
    '--seed',
    '5',
    '--days',
    '7',
    '--sessions-per-day',
    '500',
    '--out',
    out,
  ]);
  assert.equal(sim.code, 0);
  const store = join(dir, 'store');
  for (const [format, file] of [
    ['products', 'products.csv'],
    ['customers', 'customers.csv'],
    ['sessions', 'sessions.csv'],
    ['events', 'events.csv'],
    ['orders', 'orders.csv'],
    ['order-lines', 'order_lines.csv'],
  ]) {
    const r = await cliJson(['--store', store, 'ingest', format!, join(out, file!)]);
    assert.equal(r.code, 0, `${format}: ${JSON.stringify(r.json.rejectedByReason)}`);
    assert.equal(r.json.rows.rejected, 0);
  }
  const direct = join(dir, 'direct');
  await cliJson(['--store', direct, 'simulate', '--seed', '5', '--days', '7', '--sessions-per-day', '500']);
  const a = await cliJson(['--store', store, 'summary']);
  const b = await cliJson(['--store', direct, 'summary']);
  assert.deepEqual(a.json, b.json);
  assert.equal(a.json.summaries[0].levers.sessionsWithBots, sim.json.rows.sessions);
});
