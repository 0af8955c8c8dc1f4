import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'csv-parse/sync';
import { cliJson, tempDir } from './helpers.js';

/**
 * `levers summary` and `levers report` read the same definitions: over the same days they print the same
 * levers.
 */
// biome-ignore lint/suspicious/noExplicitAny: the JSON of two commands, compared key by key
async function agree(store: string): Promise<{ summary: any; report: any }> {
  const s = await cliJson(['--store', store, 'summary']);
  assert.equal(s.code, 0);
  const { from, to } = s.json.period;
  const r = await cliJson([
    '--store',
    store,
    'report',
    '--from',
    from,
    '--to',
    to,
    '--segment',
    'device',
    '--no-clv',
  ]);
  assert.equal(r.code, 0, r.stderr);
  const a = s.json.summaries[0].levers;
  const b = r.json.current;
  for (const k of [
    'sessions',
    'sessionsWithBots',
    'botSessions',
    'orders',
    'revenueMinor',
    'cvr',
    'aovMinor',
    'rpsMinor',
  ]) {
    assert.equal(a[k], b[k], `${k}: summary ${a[k]} vs report ${b[k]}`);
  }
  return { summary: s.json.summaries[0], report: r.json };
}

test('summary and report agree on sessions, CVR, AOV and RPS on a simulated store with bots', async () => {
  const store = tempDir();
  assert.equal(
    (
      await cliJson([
        '--store',
        store,
        'simulate',
        '--seed',
        '4',
        '--days',
        '14',
        '--sessions-per-day',
        '800',
      ])
    ).code,
    0,
  );
  const { summary } = await agree(store);
  assert.ok(summary.bots.byUserAgent > 100, 'the simulated crawlers are told apart by user agent');
});

test(
  'sessions without user agents: none is a bot for lacking one, and summary and report still ' + 'agree',
  async () => {
    const dir = tempDir();
    const out = join(dir, 'out');
    assert.equal(
      (await cliJson(['simulate', '--seed', '4', '--days', '7', '--sessions-per-day', '800', '--out', out]))
        .code,
      0,
    );
    // An analytics export without a user-agent column (GA's shape): drop the column from every session.
    const rows = parse(readFileSync(join(out, 'sessions.csv'), 'utf8')) as string[][];
    const col = rows[0]!.indexOf('user_agent');
    assert.ok(col > 0);
    const kept = rows.map((r) => r.filter((_, i) => i !== col));
    // And the simulated crawlers' zero-second visits made single-page bounces, as a burst of shoppers from
    // one e-mail campaign might look: only the burst rule could flag them, and without a user agent it has
    // nothing to go on.
    const [dur, pages] = [kept[0]!.indexOf('duration_s'), kept[0]!.indexOf('page_views')];
    const zero = kept.slice(1).filter((f) => f[dur] === '0');
    for (const f of zero) f[pages] = '1';
    assert.ok(zero.length > 100, `${zero.length} zero-second sessions`);
    writeFileSync(
      join(out, 'sessions.csv'),
      `${kept
        .map((r) => r.map((v) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v)).join(','))
        .join('\n')}\n`,
    );
    const store = join(dir, 'store');
    for (const [format, file] of [
      ['sessions', 'sessions.csv'],
      ['orders', 'orders.csv'],
      ['order-lines', 'order_lines.csv'],
    ]) {
      assert.equal((await cliJson(['--store', store, 'ingest', format!, join(out, file!)])).code, 0);
    }
    const { summary } = await agree(store);
    assert.equal(summary.bots.byUserAgent, 0);
    assert.equal(summary.bots.byBehaviour, 0, 'zero-second visits without a user agent are never a burst');
    assert.ok(
      summary.unknown.some((u: string) => /no user agents/.test(u)),
      summary.unknown.join('; '),
    );
  },
);
