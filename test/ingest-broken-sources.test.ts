import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { cli, cliJson, query, SHARED_DATA, SKIP_NO_DATA, tempDir } from './helpers.js';

/** The first lines of a real export, with some of them deliberately broken. */
function head(file: string, n: number): string[] {
  const buf = readFileSync(file);
  const text = (file.endsWith('.gz') ? gunzipSync(buf) : buf).toString('utf8');
  return text.split('\n').slice(0, n);
}

test('Online Retail with broken lines: each rejects its whole invoice, by line and field; the rest loads', {
  skip: SKIP_NO_DATA,
}, async () => {
  const lines = head(join(SHARED_DATA, 'online_retail', 'online_retail.csv.gz'), 201);
  // InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice, CustomerID, Country
  const row = /^("[^"]*"),("[^"]*"),(".*"),(-?\d+),("[^"]*"),([^,]*),([^,]*),("[^"]*")$/;
  const edit = (i: number, field: number, value: string) => {
    const m = row.exec(lines[i]!)!;
    const f = m.slice(1);
    f[field] = value;
    lines[i] = f.join(',');
  };
  edit(10, 4, '"2010-12-32 08:26:00"');
  edit(20, 3, 'six');
  edit(30, 5, '£3.39');
  const dir = tempDir();
  writeFileSync(join(dir, 'or.csv'), `${lines.join('\n')}\n`);
  const r = await cliJson(['--store', join(dir, 's'), 'ingest', 'online-retail', join(dir, 'or.csv')]);
  assert.equal(r.code, 3);
  // One rule for every format: an invoice with a bad line is rejected whole, never loaded short.
  const invoiceOf = (i: number) => lines[i]!.split(',')[0]!;
  const spoiled = new Set([10, 20, 30].map(invoiceOf));
  const rejected = lines.slice(1).filter((l) => spoiled.has(l.split(',')[0]!)).length;
  assert.ok(rejected > 3, `${rejected} lines in ${spoiled.size} invoices`);
  assert.deepEqual(r.json.rows, { read: 200, loaded: 200 - rejected, rejected, skipped: 0 });
  const rejects = readFileSync(r.json.rejectsFile, 'utf8');
  assert.match(rejects, /,11,InvoiceDate,is not a date-time/);
  assert.match(rejects, /,21,Quantity,is not a whole number,six,/);
  assert.match(rejects, /,31,UnitPrice,is not a decimal amount,£3.39,/);
  assert.match(
    rejects,
    new RegExp(
      `another line of invoice ${invoiceOf(10).replace(/"/g, '')} was rejected \\(line 11: InvoiceDate`,
    ),
  );
  assert.deepEqual(await query(join(dir, 's'), 'SELECT count(*)::INTEGER AS n FROM order_lines'), [
    { n: 200 - rejected },
  ]);
  assert.deepEqual(
    await query(
      join(dir, 's'),
      `SELECT count(*)::INTEGER AS n FROM orders WHERE order_id IN (${[...spoiled].map((s) => `'${s.replace(/"/g, '')}'`).join(',')})`,
    ),
    [{ n: 0 }],
  );
  writeFileSync(join(dir, 'nocust.csv'), lines.map((l) => l.split(',').slice(0, 6).join(',')).join('\n'));
  const m = await cli(['--store', join(dir, 's'), 'ingest', 'online-retail', join(dir, 'nocust.csv')]);
  assert.equal(m.code, 1);
  assert.match(
    m.stderr,
    /missing required column\(s\) CustomerID, Country\. Columns found: InvoiceNo, StockCode, Description, Quantity, InvoiceDate, UnitPrice/,
  );
});

test('GA export with broken hits and a cut last line', { skip: SKIP_NO_DATA }, async () => {
  const lines = head(join(SHARED_DATA, 'sessions', 'ga_merch_store_all_sessions.csv'), 101);
  const cols = lines[0]!.split(',');
  const at = (name: string) => cols.indexOf(name);
  const edit = (i: number, col: string, value: string) => {
    const f = lines[i]!.split(',');
    f[at(col)] = value;
    lines[i] = f.join(',');
  };
  edit(5, 'date', '2016-09-13');
  edit(6, 'visitId', 'abc');
  const dir = tempDir();
  writeFileSync(join(dir, 'ga.csv'), lines.join('\n').slice(0, -40));
  const r = await cliJson(['--store', join(dir, 's'), 'ingest', 'ga-sessions', join(dir, 'ga.csv')]);
  assert.equal(r.code, 3);
  assert.equal(r.json.rows.read, 100);
  assert.equal(r.json.rows.read, r.json.rows.loaded + r.json.rows.rejected + r.json.rows.skipped);
  assert.equal(r.json.rejectedByReason['row has 5 fewer field(s) than the header'], 1, 'the cut last line');
  assert.equal(r.json.rejectedByReason['date is not a YYYYMMDD date'], 1);
  assert.equal(r.json.rejectedByReason['visitId is not a whole number'], 1);
  assert.equal(r.json.rows.rejected, 3);
});
