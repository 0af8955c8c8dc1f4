import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ingest, type IngestReport } from '../src/app/ingest.js';
import { IngestContext } from '../src/ingest/context.js';
import { loadOnlineRetailSql } from '../src/ingest/online-retail-sql.js';
import { openStore } from '../src/store/open.js';
import { withDatabase } from '../src/store/port.js';
import { cli, query, tempDir } from './helpers.js';

/** Online Retail's header and a good invoice line, with fields to break by hand. */
const HEAD =
  '"InvoiceNo","StockCode","Description","Quantity","InvoiceDate","UnitPrice","CustomerID","Country"';
const row = (o: {
  inv?: string;
  code?: string;
  desc?: string;
  qty?: string;
  date?: string;
  price?: string;
  cust?: string;
  country?: string;
}) =>
  [
    o.inv ?? '"536365"',
    o.code ?? '"85123A"',
    o.desc ?? '"WHITE HANGING HEART T-LIGHT HOLDER"',
    o.qty ?? '6',
    o.date ?? '"2010-12-01 08:26:00"',
    o.price ?? '2.55',
    o.cust ?? '17850',
    o.country ?? '"United Kingdom"',
  ].join(',');

/** A small export broken the ways exports break: each line's fault is beside it. */
const BROKEN = [
  HEAD,
  row({}), // 2: good, invoice 536365
  row({ code: '"71053"', price: '3.39' }), // 3
  row({ inv: '"536366"', date: '"2010-13-01 08:26:00"' }), // 4: no month 13, spoils invoice 536366
  row({ inv: '"536366"', code: '"22633"' }), // 5: rejected with its invoice
  row({ inv: '"536367"', qty: '' }), // 6: Quantity blank
  row({ inv: '"536368"', qty: '-5', code: '"22632"' }), // 7: a negative quantity on a sale (loaded)
  row({ inv: '"536369"', qty: '3.5' }), // 8: not a whole number
  row({ inv: '"536370"', price: 'abc' }), // 9: not a decimal
  row({ inv: '"536371"', price: '"1,234.565"' }), // 10: rounded half-to-even to 1234.56
  row({ inv: '"536372"', price: '99999999999999999' }), // 11: beyond the store
  `${row({ inv: '"536373"' })},"extra"`, // 12: a field too many
  '"536374","21033","JUMBO BAG",10,"2010-12-01 09:37:00"', // 13: three fields short
  row({ inv: '"536375"', desc: '"FOO, BAR ""BAZ"""' }), // 14: a quoted comma and quotes (loaded)
  row({ inv: '""' }), // 15: no invoice
  '', // 16: an empty line (not a record)
  row({ inv: '"C536376"', qty: '-1' }), // 17: a return
  row({ inv: '"536377"', date: '"1969-12-31 23:59:59"' }), // 18: before 1970
  row({ inv: '"536378"', date: '"2010-12-01T08:26:00+05:30"', cust: '17850.0' }), // 19: offset, ".0" id
  row({ inv: '"536379"', code: '"POST"', price: '18' }), // 20: shipping only: an adjustment invoice
  row({ inv: '"536380"', qty: ' 7 ', cust: '' }), // 21: padded quantity, anonymous
  row({ inv: '"536381"', qty: '99999999999' }), // 22: beyond 32 bits
  row({ inv: '"536366"', code: '"22634"' }), // 23: invoice 536366 again, still rejected
].join('\n');

function write(dir: string, name: string, text: string): string {
  const file = join(dir, name);
  if (name.endsWith('.gz')) writeFileSync(file, gzipSync(Buffer.from(text)));
  else writeFileSync(file, text);
  return file;
}

/** Everything a load leaves: the report (without where the rejects went), the rejects and each table sorted. */
async function outcome(file: string, rowByRow: boolean) {
  const dir = tempDir();
  const store = openStore(dir);
  const report: IngestReport = await ingest(store, 'online-retail', [file], { runId: 'r1', rowByRow });
  const rejects = report.rejectsFile ? readFileSync(report.rejectsFile, 'utf8') : null;
  const tables: Record<string, unknown> = {};
  for (const t of ['products', 'customers', 'orders', 'order_lines'])
    tables[t] = await query(dir, `SELECT * FROM ${t} ORDER BY ALL`);
  return { report: { ...report, rejectsFile: report.rejectsFile !== null }, rejects, tables };
}

/** Whether the SQL path takes the file (true) or leaves it to the JS reader (false). */
async function sqlTakes(file: string): Promise<boolean> {
  return withDatabase(openStore(tempDir()), async (db) => {
    const load = await db.beginLoad();
    return loadOnlineRetailSql(load.sql!, new IngestContext(load, 'GBP'), file);
  });
}

test(
  'Online Retail in SQL: the same rows, rejects (file, line, field, reason) and summary as record by record, ' +
    'on a hand-broken export, plain and gzipped',
  async () => {
    const dir = tempDir();
    for (const name of ['broken.csv', 'broken.csv.gz']) {
      const file = write(dir, name, BROKEN);
      assert.equal(await sqlTakes(file), true, name);
      const sql = await outcome(file, false);
      const js = await outcome(file, true);
      assert.deepEqual(sql, js, name);
    }
  },
);

test('Online Retail in SQL: invoices whose lines are not side by side are numbered as record by record', async () => {
  const dir = tempDir();
  const text = [
    HEAD,
    row({}), // 2: invoice 536365, line 1
    row({ inv: '"536366"', code: '"22633"' }), // 3: invoice 536366 between two lines of 536365
    row({ code: '"71053"', price: '3.39' }), // 4: invoice 536365, line 2
    '"536367","21033","JUMBO BAG",10,"2010-12-01 09:37:00"', // 5: short, rejected alone
    row({ inv: '"536367"', code: '"22632"' }), // 6: invoice 536367 after its rejected neighbour
    row({ inv: '"536368"' }), // 7
    '', // 8: an empty line (not a record)
    row({ inv: '"536368"', code: '"84029G"' }), // 9: invoice 536368, line 2
    row({ inv: '"536365"', code: '"84406B"' }), // 10: invoice 536365, line 3
  ].join('\n');
  const file = write(dir, 'apart.csv', text);
  assert.equal(await sqlTakes(file), true);
  const sql = await outcome(file, false);
  assert.deepEqual(sql, await outcome(file, true));
  const lines = (sql.tables.order_lines as { order_id: string; line_no: number; sku: string }[])
    .filter((l) => l.order_id === '536365')
    .map((l) => [l.line_no, l.sku]);
  assert.deepEqual(lines, [
    [1, '85123A'],
    [2, '71053'],
    [3, '84406B'],
  ]);
});

test('Online Retail in SQL: rejects name the file, the line and the field, and spoil the whole invoice', async () => {
  const dir = tempDir();
  const file = write(dir, 'broken.csv', BROKEN);
  const { report, rejects } = await outcome(file, false);
  assert.deepEqual(report.rows, { read: 21, loaded: 9, rejected: 12, skipped: 0 });
  const lines = rejects!.trim().split('\n').slice(1);
  const at = (line: number) => lines.find((l) => l.startsWith(`${file},${line},`));
  assert.match(
    at(4)!,
    /,4,InvoiceDate,is not a date-time \(e\.g\. 2024-01-15 10:31:07 -0500\),2010-13-01 08:26:00,/,
  );
  assert.match(
    at(5)!,
    /,5,,another line of invoice 536366 was rejected \(line 4: InvoiceDate is not a date-time/,
  );
  assert.match(at(23)!, /,23,,another line of invoice 536366 was rejected \(line 4:/);
  assert.match(at(6)!, /,6,Quantity,is required,,/);
  assert.match(at(8)!, /,8,Quantity,is not a whole number,3\.5,/);
  assert.match(at(9)!, /,9,UnitPrice,is not a decimal amount,abc,/);
  assert.match(at(11)!, /,11,UnitPrice,"""99999999999999999"" is more than the store can hold/);
  assert.match(at(12)!, /,12,,row has 1 more field\(s\) than the header,,/);
  assert.match(at(13)!, /,13,,row has 3 fewer field\(s\) than the header,,/);
  assert.match(at(15)!, /,15,InvoiceNo,is required,,/);
  assert.match(at(18)!, /,18,InvoiceDate,is outside the years 1970–2199,1969-12-31 23:59:59,/);
  assert.match(at(22)!, /,22,Quantity,"is out of range \(a whole number between/);
  // Rejects come in the JS mapper's order: rows rejected on sight, then invoices in the order they appeared.
  assert.deepEqual(
    lines.map((l) => Number(l.split(',')[1])),
    [12, 13, 15, 4, 5, 23, 6, 8, 9, 11, 18, 22],
  );
});

test(
  'Online Retail in SQL: files DuckDB and csv-parse could read differently go record by record, with the ' +
    'same result',
  async () => {
    const dir = tempDir();
    const cases = {
      'quoted-newline.csv': BROKEN.replace('"FOO, BAR', '"FOO,\nBAR'),
      'crlf.csv': BROKEN.replace(/\n/g, '\r\n'),
      'stray-quote.csv': BROKEN.replace('"JUMBO BAG"', 'JUMBO "BAG"'),
      'bom.csv': `\ufeff${BROKEN}`,
      // "POﬅ" upper-cases to POST in JavaScript (shipping), not in DuckDB.
      'ligature.csv': BROKEN.replace('"71053"', '"PO\ufb05"'),
    };
    for (const [name, text] of Object.entries(cases)) {
      const file = write(dir, name, text);
      if (name !== 'bom.csv') assert.equal(await sqlTakes(file), false, name);
      const sql = await outcome(file, false).catch((e: Error) => e.message);
      const js = await outcome(file, true).catch((e: Error) => e.message);
      assert.deepEqual(sql, js, name);
    }
  },
);

test('an unchanged re-load is recognised and says so; after another load the same file loads again', async () => {
  const dir = tempDir();
  const a = write(dir, 'a.csv', BROKEN);
  const b = write(dir, 'b.csv', [HEAD, row({ inv: '"600000"' })].join('\n'));
  const store = tempDir();
  const first = await ingest(openStore(store), 'online-retail', [a], { runId: 'run-1' });
  assert.equal(first.unchangedSince, undefined);
  const again = await ingest(openStore(store), 'online-retail', [a], { runId: 'run-2' });
  assert.equal(again.unchangedSince, 'run-1');
  // It reports what loading again would: the same rows and rejects, every staged row unchanged.
  assert.deepEqual(again.rows, first.rows);
  assert.deepEqual(again.rejectedByReason, first.rejectedByReason);
  assert.deepEqual(Object.keys(again.tables), Object.keys(first.tables));
  for (const [t, c] of Object.entries(again.tables)) {
    const was = first.tables[t as keyof typeof first.tables]!;
    assert.deepEqual(c, { ...was, inserted: 0, updated: 0, unchanged: was.staged - was.duplicateKeys }, t);
  }
  const text = await cli(['--store', store, 'ingest', 'online-retail', a]);
  assert.equal(text.code, 3, text.stderr); // rows were rejected (in run-1), as a real re-load would say
  assert.match(text.stdout, /unchanged since run run-1: 0 rows added/);
  // The currency given where it was implied: not taken for the same load.
  const gbpAsUsd = await ingest(openStore(store), 'online-retail', [a], { runId: 'run-3', currency: 'GBP' });
  assert.equal(gbpAsUsd.unchangedSince, undefined);
  await ingest(openStore(store), 'online-retail', [b], { runId: 'run-4' });
  const afterOther = await ingest(openStore(store), 'online-retail', [a], { runId: 'run-5' });
  assert.equal(afterOther.unchangedSince, undefined);
  assert.equal(afterOther.rows.read, 21);
  assert.deepEqual(await query(store, `SELECT count(*)::INTEGER AS n FROM orders`), [{ n: 9 }]);
});
