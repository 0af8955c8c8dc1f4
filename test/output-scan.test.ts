import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { cli, HAS_SHARED_DATA, SHARED_DATA, tempDir } from './helpers.js';

/**
 * Every command's terminal, JSON and HTML output on four kinds of store, scanned for what must never reach a user: NaN,
 * Infinity, "undefined", a negative AOV, a conversion rate over 100%, or shown parts that do not add up to the shown
 * total.
 */
const BAD_TEXT = /NaN|Infinity|undefined|\[object Object\]/;

function walk(v: unknown, path: string, visit: (path: string, v: unknown) => void): void {
  visit(path, v);
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) walk(x, `${path}[${i}]`, visit);
  } else if (v && typeof v === 'object')
    for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`, visit);
}

function scanJson(what: string, json: unknown): void {
  walk(json, what, (p, v) => {
    if (typeof v === 'number') assert.ok(Number.isFinite(v), `${p} is ${v}`);
    if (typeof v === 'string') assert.doesNotMatch(v, BAD_TEXT, `${p}: ${v}`);
    const key = p.split('.').pop()!;
    // A rate, not the CVR part of a revenue split (money) under .parts.
    const rate = /^(cvr|cvrWithBots|cvrWithoutBots)$/.test(key) && !p.includes('.parts.');
    if (typeof v === 'number' && rate) assert.ok(v >= 0 && v <= 1, `${p} = ${v}`);
    if (typeof v === 'number' && /^(aovMinor|grossAovMinor)$/.test(key)) assert.ok(v >= 0, `${p} = ${v}`);
    if (key === 'shown' && v && typeof v === 'object' && 'parts' in v) {
      const s = v as { total: number; parts: Record<string, number> };
      assert.equal(
        Object.values(s.parts).reduce((a, b) => a + b, 0),
        s.total,
        `${p}: shown parts add up`,
      );
    }
  });
}

/** "revenue change $730.00 = sessions $172.29 + CVR $3,877.98 + AOV -$3,320.27": the shown amounts add up. */
function scanText(what: string, text: string): void {
  assert.doesNotMatch(text, BAD_TEXT, what);
  for (const m of text.matchAll(/(?:revenue|RPS|AOV) change (-?[^\d\s-]*[\d,.]+) = (.*)/g)) {
    const cents = (s: string) => Math.round(Number(s.replace(/[^\d.-]/g, '')) * 100);
    const parts = [...m[2]!.matchAll(/(-?[^\d\s-]*-?[\d,]+\.\d+)/g)].map((x) => cents(x[1]!));
    assert.equal(
      parts.reduce((a, b) => a + b, 0),
      cents(m[1]!),
      `${what}: ${m[0]}`,
    );
  }
  for (const m of text.matchAll(/CVR\s+(\d+\.\d+)%/g))
    assert.ok(Number(m[1]) <= 100, `${what}: CVR ${m[1]}%`);
}

async function scanStore(name: string, store: string, commands: string[][]): Promise<void> {
  for (const args of commands) {
    const label = `${name}: levers ${args.join(' ')}`;
    const t = await cli(['--store', store, ...args]);
    assert.ok([0, 3].includes(t.code), `${label} exited ${t.code}: ${t.stderr}`);
    scanText(label, t.stdout);
    const j = await cli(['--store', store, ...args, '--json']);
    scanJson(label, JSON.parse(j.stdout));
  }
  const html = join(tempDir(), 'r.html');
  const h = await cli(['--store', store, 'report', '--html', html]);
  assert.equal(h.code, 0, h.stderr);
  scanText(
    `${name}: report --html`,
    readFileSync(html, 'utf8')
      .replace(/<script>[\s\S]*?<\/script>/g, '')
      .replace(/<[^>]+>/g, '\n'),
  );
}

const COMMANDS = [
  ['summary'],
  ['report'],
  ['report', '--period', 'day', '--compare', 'year'],
  ['report', '--from', '2000-01-01'],
];

test('scan: the demo store', async () => {
  const store = join(tempDir(), 'demo');
  assert.equal(
    (await cli(['--store', store, 'demo', '--days', '60', '--sessions-per-day', '800', '--no-serve'])).code,
    0,
  );
  await scanStore('demo', store, [...COMMANDS, ['clv'], ['recommend', '--cart', 'cm-basic'], ['eval-recs']]);
});

test('scan: a store without prices (orders whose value is unknown)', async () => {
  const dir = tempDir();
  const store = join(dir, 's');
  writeFileSync(
    join(dir, 'sessions.csv'),
    [
      'session_id,started_at,device',
      ...Array.from(
        { length: 60 },
        (_, i) => `s${i},2024-03-${String(1 + (i % 28)).padStart(2, '0')} 10:00:00,mobile`,
      ),
    ].join('\n'),
  );
  writeFileSync(
    join(dir, 'orders.csv'),
    [
      'order_id,session_id,customer_id,placed_at,gross_merchandise',
      ...Array.from(
        { length: 12 },
        (_, i) =>
          `o${i},s${i * 4},c${i % 5},2024-03-${String(1 + ((i * 4) % 28)).padStart(2, '0')} 10:05:00,${i % 3 ? '' : '25.00'}`,
      ),
    ].join('\n'),
  );
  for (const [f, file] of [
    ['sessions', 'sessions.csv'],
    ['orders', 'orders.csv'],
  ]) {
    assert.equal((await cli(['--store', store, 'ingest', f!, join(dir, file!)])).code, 0);
  }
  const r = JSON.parse((await cli(['--store', store, 'report', '--json'])).stdout);
  assert.equal(r.current.aovMinor, null, 'AOV is unknown, never $0.00');
  assert.ok(
    r.unknown.some((u: string) => /have no value|no value/.test(u)),
    r.unknown.join('; '),
  );
  await scanStore('no prices', store, COMMANDS);
});

test('scan: Online Retail (orders, no sessions) and the GA sample (sessions, no user agents)', {
  skip: HAS_SHARED_DATA ? false : 'no ../shared/data',
}, async () => {
  const or = tempDir();
  await cli([
    '--store',
    or,
    'ingest',
    'online-retail',
    join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz'),
  ]);
  await scanStore('online retail', or, [...COMMANDS, ['clv']]);
  const ga = tempDir();
  await cli([
    '--store',
    ga,
    'ingest',
    'ga-sessions',
    join(SHARED_DATA, 'sessions', 'ga_merch_store_all_sessions.csv'),
  ]);
  await scanStore('ga', ga, COMMANDS);
  // Loading the other data set into the same store is refused: two stores' data, two currencies.
  const mixed = await cli([
    '--store',
    ga,
    'ingest',
    'online-retail',
    join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz'),
  ]);
  assert.equal(mixed.code, 1);
  assert.match(
    mixed.stderr,
    /holds orders in GBP, and the store holds USD: nothing was loaded.*--allow-mixed.*\[MIXED_DATA\]/,
  );
});
