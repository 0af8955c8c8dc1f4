import { currencyExponent, maxMinor } from '../core/money.js';
import type { Reject } from '../core/model/rows.js';
import { MAX_TEXT } from '../core/model/validate.js';
import type { SqlStaging } from '../store/port.js';
import type { IngestContext } from './context.js';
import { peekHeader, scanCsv, type CsvScan } from './csv-scan.js';
import { isGzip } from './read-records.js';
import { NON_PRODUCT, onlineRetail } from './online-retail.js';

/**
 * Online Retail mapped and validated in DuckDB: read_csv reads every column as text, SQL checks each field as
 * the zod schema does (same reasons, same first field), groups invoices, rejects an invoice whole when one of its
 * lines is bad, and stages orders, lines, products and customers; rejects come back with file, line and field.
 * Everything the JS mapper would do differently is sent back to it: the scan (csv-scan.ts) declines files
 * DuckDB and csv-parse might read differently, and this returns false before staging anything when a file holds
 * what only the JS path reports exactly. Row for row, the result is the JS mapper's (test/ingest-sql.test.ts).
 */
export async function loadOnlineRetailSql(
  sql: SqlStaging,
  ctx: IngestContext,
  file: string,
): Promise<boolean> {
  const header = await peekHeader(file);
  const at = header && fieldsAt(header);
  if (!header || !at) return false;
  const db = sql.db;
  const tables = ['or_raw', 'or_lines', 'or_wrong', 'or_v', 'or_inv'];
  try {
    // DuckDB reads the file on its threads while the scan checks it on this one. 16 MB buffers: about 40% less
    // CPU than the default on Online Retail (gzipped), the same records.
    const cols = header.map((_, i) => `'c${i}': 'VARCHAR'`).join(', ');
    const read = db
      .run(
        `CREATE OR REPLACE TEMP TABLE or_raw AS SELECT * FROM read_csv($1, columns = {${cols}}, header = false,
          skip = 1, delim = ',', quote = '"', escape = '"', auto_detect = false, new_line = '\\n',
          strict_mode = false, null_padding = true, compression = $2, buffer_size = 16777216)`,
        [file, isGzip(file) ? 'gzip' : 'none'],
      )
      .then(
        () => true,
        () => false, // what DuckDB cannot read (bytes, a line too long) the JS reader reports
      );
    const [scan, readOk] = await Promise.all([scanCsv(file), read]);
    if (!scan || !readOk || scan.header.join('\n') !== header.join('\n')) return false;
    const n = await db.one<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM or_raw`);
    if (n.n !== scan.records) return false;
    await smallTables(db, scan);
    const currency = ctx.defaultCurrency;
    const exp = currencyExponent(currency);
    const max = maxMinor(exp);
    await db.run(priceSql(validateSql(scan, at), exp, max), [JS_SPACE]);
    await db.run(invoicesSql(max));
    // What the JS mapper treats in ways SQL does not mirror exactly (toUpperCase on codes and invoice numbers
    // beyond ASCII, a refund beyond the store): it keeps the file.
    // Non-ASCII, cheaply: a code that is longer in bytes than in characters, an invoice number that starts at or
    // above chr(128) (compared bytewise); and how many records are rejected (none: no rejects to gather).
    const odd = await db.one<{ n: number; rejected: number }>(
      `SELECT (SELECT count(*) FROM or_v WHERE status = 'good' AND (strlen(sc) <> length(sc) OR inv >= chr(128)))
            + (SELECT count(*) FROM or_inv WHERE emitted AND abs(refunded_m) > $1::HUGEINT) AS n,
          (SELECT count(*) FROM or_v WHERE status IN ('wrong', 'noinv'))
            + (SELECT coalesce(sum(n), 0) FROM or_inv WHERE NOT emitted) AS rejected`,
      [String(max)],
    );
    if (Number(odd.n) > 0) return false;
    // The raw fields serve only the rejects: without any, their memory is given back before staging.
    if (Number(odd.rejected) === 0) await db.run('DROP TABLE or_raw');
    await stage(sql, currency, exp, scan.records);
    await account(db, ctx, scan, currency, Number(odd.rejected) > 0);
    return true;
  } finally {
    for (const t of tables) await db.run(`DROP TABLE IF EXISTS ${t}`);
  }
}

/** Column index of each field, or null when a field is missing or named twice (the JS path says so). */
function fieldsAt(header: string[]): Record<string, string> | null {
  if (new Set(header).size !== header.length) return null;
  const out: Record<string, string> = {};
  for (const f of onlineRetail.requiredColumns) {
    const i = header.indexOf(f);
    if (i === -1) return null;
    out[f] = `c${i}`;
  }
  return out;
}

/** String.prototype.trim's white space: what text() strips from a value. */
const JS_SPACE =
  '\t\n\u000b\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff';
const RE_SPACE =
  '[\\t\\n\\x{0B}\\f\\r \\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}]';

async function smallTables(db: SqlStaging['db'], scan: CsvScan): Promise<void> {
  await db.run(`CREATE OR REPLACE TEMP TABLE or_lines (k BIGINT, line INTEGER)`);
  await db.run(`CREATE OR REPLACE TEMP TABLE or_wrong (k BIGINT, nf INTEGER)`);
  if (scan.lineOf) {
    const a = await db.conn.createAppender('or_lines', 'main', 'temp');
    for (let k = 0; k < scan.lineOf.length; k++) {
      a.appendBigInt(BigInt(k));
      a.appendInteger(scan.lineOf[k]!);
      a.endRow();
    }
    a.closeSync();
  }
  if (scan.wrongCount.size) {
    const a = await db.conn.createAppender('or_wrong', 'main', 'temp');
    for (const [k, nf] of scan.wrongCount) {
      a.appendBigInt(BigInt(k));
      a.appendInteger(nf);
      a.endRow();
    }
    a.closeSync();
  }
}

/** SQL text of a constant of ours (never a value read from a file). */
const lit = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * JavaScript's String length (UTF-16 units) beyond `max`, computed only for long values (a CASE, as DuckDB
 * evaluates both sides of an AND over every row); false for NULL, where AND gave NULL: alike in every use here.
 */
const longer = (e: string, max: number) =>
  `CASE WHEN strlen(${e}) > ${max} THEN length(${e}) + len(regexp_extract_all(${e}, '[\\x{10000}-\\x{10FFFF}]')) > ${max} ELSE false END`;

const DATE_RE = `^(\\d{4})-(\\d{2})-(\\d{2})(?:[T ](\\d{2}):(\\d{2})(?::(\\d{2})(?:\\.(\\d{1,9}))?)?)?${RE_SPACE}*(Z|UTC|[+-]\\d{2}:?\\d{2})?$`;

/** The common shape, read by DuckDB's own cast (a date that is not on the calendar fails it, and takes the long way). */
const SIMPLE_DATE_RE = '[1-9][0-9]{3}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?';

const REASON = {
  required: 'is required',
  idLong: 'is longer than 256 characters',
  textLong: `is longer than ${MAX_TEXT} characters`,
  notInt: 'is not a whole number',
  intRange: 'is out of range (a whole number between −2,147,483,648 and 2,147,483,647)',
  notTime: 'is not a date-time (e.g. 2024-01-15 10:31:07 -0500)',
  years: 'is outside the years 1970–2199',
  notMoney: 'is not a decimal amount',
};

/** Every record's fields trimmed and checked: its status and, for a bad one, its first issue (a SELECT). */
function validateSql(scan: CsvScan, at: Record<string, string>): string {
  // String.trim's white space, trimmed only where a value starts or ends with some (a regexp test is cheap,
  // trimming a set of Unicode characters is not). Cheaper still, and first: an ASCII value (as many bytes as
  // characters) that starts with a printable character (compared bytewise) and ends with none of ASCII's white
  // space has none to trim.
  const t = (f: string) => {
    const c = `r.${at[f]}`;
    const asciiEnd = [9, 10, 11, 12, 13, 32].map((n) => `NOT ends_with(${c}, chr(${n}))`).join(' AND ');
    return `CASE WHEN ${c} >= '!' AND ${c} < chr(128) AND ${asciiEnd} AND strlen(${c}) = length(${c}) THEN ${c}
      WHEN regexp_matches(${c}, '^${RE_SPACE}|${RE_SPACE}$') THEN nullif(trim(${c}, $1), '') ELSE nullif(${c}, '') END`;
  };
  const width = scan.header.length;
  const DAY_MS = 86_400_000;
  // The side tables joined only when they hold something (most files have no empty line and no short row).
  const line = scan.lineOf ? 'coalesce(l.line, r.rowid + 2)' : '(r.rowid + 2)';
  const nf = scan.wrongCount.size ? 'w.nf' : 'NULL::INTEGER';
  const joins =
    (scan.lineOf ? ' LEFT JOIN or_lines l ON l.k = r.rowid' : '') +
    (scan.wrongCount.size ? ' LEFT JOIN or_wrong w ON w.k = r.rowid' : '');
  return `WITH r AS (
    SELECT r.rowid AS k, ${line}::INTEGER AS line, ${nf} AS nf,
      ${t('InvoiceNo')} AS inv, ${t('StockCode')} AS sc, ${t('Description')} AS descr, ${t('Quantity')} AS qty,
      ${t('InvoiceDate')} AS dt, ${t('UnitPrice')} AS price, ${t('CustomerID')} AS cust, ${t('Country')} AS country
    FROM or_raw r${joins}
  ), q AS (
    SELECT *,
      ltrim(ltrim(ltrim(qty, '+'), '-'), '0') AS qd,
      CASE WHEN regexp_full_match(dt, ${lit(SIMPLE_DATE_RE)}) THEN TRY_CAST(dt AS TIMESTAMP) END AS fast_ts
    FROM r
  ), q2 AS (
    SELECT *,
      CASE WHEN fast_ts IS NULL THEN regexp_extract(dt, ${lit(DATE_RE)}, ['y', 'mo', 'd', 'h', 'mi', 's', 'f', 'z'], 'i') END AS ds
    FROM q
  ), d AS (
    SELECT *,
      TRY_CAST(ds.y AS INTEGER) AS y0,
      coalesce(TRY_CAST(ds.mo AS INTEGER), 0) AS mo,
      coalesce(TRY_CAST(ds.d AS INTEGER), 0) AS dd,
      coalesce(TRY_CAST(ds.h AS INTEGER), 0) AS hh,
      coalesce(TRY_CAST(ds.mi AS INTEGER), 0) AS mi,
      coalesce(TRY_CAST(ds.s AS INTEGER), 0) AS ss,
      coalesce(TRY_CAST(rpad(left(ds.f, 3), 3, '0') AS INTEGER), 0) AS ms0,
      upper(ds.z) AS z
    FROM q2
  ), d2 AS (
    SELECT *,
      CASE WHEN y0 < 100 THEN y0 + 1900 ELSE y0 END AS yy,
      CASE WHEN z IN ('', 'Z', 'UTC') OR z IS NULL THEN 0
        ELSE (CASE WHEN z[1] = '-' THEN -1 ELSE 1 END)
          * (TRY_CAST(replace(z[2:], ':', '')[1:2] AS INTEGER) * 60 + TRY_CAST(replace(z[2:], ':', '')[3:4] AS INTEGER)) END AS off
    FROM d
  ), d3 AS (
    SELECT *,
      mo BETWEEN 1 AND 12 AND dd >= 1 AND hh <= 23 AND mi <= 59 AND ss <= 60 AND abs(off) <= 840 AND dd <=
        CASE WHEN mo = 2 THEN (CASE WHEN (yy % 4 = 0 AND yy % 100 <> 0) OR yy % 400 = 0 THEN 29 ELSE 28 END)
             WHEN mo IN (4, 6, 9, 11) THEN 30 ELSE 31 END AS cal_ok,
      yy - (CASE WHEN mo <= 2 THEN 1 ELSE 0 END) AS cy
    FROM d2
  ), d4 AS (
    SELECT *,
      (floor(cy / 400)::BIGINT * 146097
        + (cy - floor(cy / 400)::BIGINT * 400) * 365 + (cy - floor(cy / 400)::BIGINT * 400) // 4
        - (cy - floor(cy / 400)::BIGINT * 400) // 100
        + (153 * (mo + CASE WHEN mo > 2 THEN -3 ELSE 9 END) + 2) // 5 + dd - 1 - 719468)::BIGINT * ${DAY_MS}
        + hh * 3600000 + mi * 60000 + ss * 1000 + ms0 - off * 60000 AS slow_ms
    FROM d3
  ), d5 AS (
    SELECT *, CASE WHEN fast_ts IS NOT NULL THEN epoch_ms(fast_ts) ELSE slow_ms END AS placed_ms FROM d4
  ), e AS (
    SELECT *,
      CASE WHEN inv IS NULL THEN ${lit(REASON.required)} WHEN ${longer('inv', 256)} THEN ${lit(REASON.idLong)} END AS e1,
      CASE WHEN sc IS NULL THEN ${lit(REASON.required)} WHEN ${longer('sc', 256)} THEN ${lit(REASON.idLong)} END AS e2,
      CASE WHEN ${longer('descr', MAX_TEXT)} THEN ${lit(REASON.textLong)} END AS e3,
      CASE WHEN qty IS NULL THEN ${lit(REASON.required)}
        WHEN NOT regexp_full_match(qty, '[+-]?[0-9]+') OR length(qd) > 16
          OR (length(qd) = 16 AND TRY_CAST(qd AS HUGEINT) > 9007199254740991) THEN ${lit(REASON.notInt)}
        WHEN TRY_CAST(qty AS HUGEINT) NOT BETWEEN -2147483648 AND 2147483647 THEN ${lit(REASON.intRange)} END AS e4,
      CASE WHEN dt IS NULL THEN ${lit(REASON.required)}
        WHEN fast_ts IS NULL AND (y0 IS NULL OR NOT cal_ok) THEN ${lit(REASON.notTime)}
        WHEN placed_ms < 0 OR placed_ms >= 7258118400000 THEN ${lit(REASON.years)} END AS e5,
      CASE WHEN price IS NULL THEN ${lit(REASON.required)}
        WHEN NOT regexp_full_match(price, '[+-]?[0-9][0-9,]*(\\.[0-9]*)?') THEN ${lit(REASON.notMoney)} END AS e6,
      CASE WHEN ${longer('cust', MAX_TEXT)} THEN ${lit(REASON.textLong)} END AS e7,
      CASE WHEN ${longer('country', MAX_TEXT)} THEN ${lit(REASON.textLong)} END AS e8
    FROM d5
  )
  SELECT k, line, inv, sc, descr, price, cust, country,
    CASE WHEN qty IS NOT NULL AND e4 IS NULL THEN TRY_CAST(qty AS INTEGER) END AS qty,
    placed_ms,
    CASE WHEN nf IS NOT NULL THEN 'wrong'
      WHEN coalesce(e1, e2, e3, e4, e5, e6, e7, e8) IS NULL THEN 'good'
      WHEN inv IS NULL OR ${longer('inv', 256)} THEN 'noinv' ELSE 'bad' END AS status,
    CASE WHEN nf IS NOT NULL THEN ''
      WHEN e1 IS NOT NULL THEN 'InvoiceNo' WHEN e2 IS NOT NULL THEN 'StockCode'
      WHEN e3 IS NOT NULL THEN 'Description' WHEN e4 IS NOT NULL THEN 'Quantity' WHEN e5 IS NOT NULL THEN 'InvoiceDate'
      WHEN e6 IS NOT NULL THEN 'UnitPrice' WHEN e7 IS NOT NULL THEN 'CustomerID' WHEN e8 IS NOT NULL THEN 'Country'
    END AS bad_field,
    CASE WHEN nf > ${width} THEN 'row has ' || (nf - ${width}) || ' more field(s) than the header'
      WHEN nf IS NOT NULL THEN 'row has ' || (${width} - nf) || ' fewer field(s) than the header'
      ELSE coalesce(e1, e2, e3, e4, e5, e6, e7, e8) END AS bad_reason,
    CASE WHEN nf IS NOT NULL THEN NULL WHEN e1 IS NOT NULL THEN inv WHEN e2 IS NOT NULL THEN sc
      WHEN e3 IS NOT NULL THEN descr WHEN e4 IS NOT NULL THEN qty WHEN e5 IS NOT NULL THEN dt
      WHEN e6 IS NOT NULL THEN price WHEN e7 IS NOT NULL THEN cust WHEN e8 IS NOT NULL THEN country END AS bad_value
  FROM e`;
}

/**
 * Good rows' prices in minor units, rounded half-to-even as parseMoney does; an amount too large spoils the row.
 * Plain amounts (up to 12 digits and `exp` decimals, no sign or comma: nearly all of them) are read by DuckDB's
 * exact DECIMAL cast (times 10^exp stays within DECIMAL(18)), the rest digit by digit.
 */
function priceSql(validated: string, exp: number, max: number): string {
  const plain = `[0-9]{1,12}${exp > 0 ? `(\\.[0-9]{0,${exp}})?` : '\\.?'}`;
  return `CREATE OR REPLACE TEMP TABLE or_v AS
  WITH v AS (${validated}), p0 AS (
    SELECT *, status = 'good' AND regexp_full_match(price, ${lit(plain)}) AS plain, upper(sc) AS usc,
      starts_with(inv, 'C') OR starts_with(inv, 'c') AS ret
    FROM v
  ), p AS (
    SELECT *, CASE WHEN NOT plain THEN replace(price, ',', '') END AS pc,
      CASE WHEN plain THEN (CAST(price AS DECIMAL(18, ${exp})) * ${10 ** exp})::BIGINT END AS plain_minor
    FROM p0
  ), p2 AS (
    SELECT *,
      CASE WHEN pc[1] = '-' THEN -1 ELSE 1 END AS psign,
      split_part(ltrim(ltrim(pc, '+'), '-'), '.', 1) AS whole,
      CASE WHEN contains(pc, '.') THEN split_part(pc, '.', 2) ELSE '' END AS frac
    FROM p
  ), p3 AS (
    SELECT *, ltrim(whole || rpad(left(frac, ${exp}), ${exp}, '0'), '0') AS digits, substr(frac, ${exp + 1}) AS rest
    FROM p2
  ), p4 AS (
    SELECT *,
      CASE WHEN status = 'good' AND length(digits) <= 30 THEN coalesce(TRY_CAST(nullif(digits, '') AS HUGEINT), 0) END AS base,
      regexp_matches(rest, '[1-9]') AS rounded
    FROM p3
  ), p5 AS (
    SELECT *,
      CASE WHEN plain THEN plain_minor ELSE base + CASE WHEN rounded AND (rest[1] > '5' OR (rest[1] = '5'
        AND (regexp_matches(rest[2:], '[1-9]') OR base % 2 = 1))) THEN 1 ELSE 0 END END AS minor_abs
    FROM p4
  )
  SELECT k, line, inv, sc, descr, cust, country, qty, placed_ms, coalesce(rounded AND status = 'good' AND minor_abs <= ${max}, false) AS rounded,
    CASE WHEN status = 'good' AND (minor_abs IS NULL OR minor_abs > ${max}) THEN 'bad' ELSE status END AS status,
    CASE WHEN status = 'good' AND (minor_abs IS NULL OR minor_abs > ${max}) THEN 'UnitPrice' ELSE bad_field END AS bad_field,
    CASE WHEN status = 'good' AND (minor_abs IS NULL OR minor_abs > ${max})
      THEN '"' || price || '" is more than the store can hold (15 digits before the decimal point)'
      ELSE bad_reason END AS bad_reason,
    CASE WHEN status = 'good' AND (minor_abs IS NULL OR minor_abs > ${max}) THEN price ELSE bad_value END AS bad_value,
    CASE WHEN status = 'good' AND minor_abs <= ${max} THEN (psign * minor_abs)::BIGINT END AS price_m,
    ret AS is_return,
    CASE WHEN status = 'good' AND minor_abs <= ${max} THEN ${lineTypeCase('(psign * minor_abs)')} END AS line_type
  FROM p5`;
}

/** A line's type from its code upper-cased (usc), whether its invoice is a return (ret) and its price. */
function lineTypeCase(price: string): string {
  const byType = new Map<string, string[]>();
  for (const [code, type] of Object.entries(NON_PRODUCT))
    byType.set(type, [...(byType.get(type) ?? []), code]);
  const known = [...byType]
    .map(([type, codes]) => `WHEN usc IN (${codes.map(lit).join(', ')}) THEN ${lit(type)}`)
    .join(' ');
  return `CASE ${known} WHEN starts_with(usc, 'GIFT_') THEN 'adjustment'
    WHEN NOT ret AND ${price} = 0 AND qty < 0 THEN 'adjustment' ELSE 'product' END`;
}

/** Invoices: first line, first bad line, totals by line type, kind and money of the order, whether emitted. */
function invoicesSql(max: number): string {
  const sum = (t: string) => `coalesce(sum(price_m::HUGEINT * qty) FILTER (WHERE line_type = '${t}'), 0)`;
  return `CREATE OR REPLACE TEMP TABLE or_inv AS
  WITH g AS (
    SELECT inv, min(line) AS first_line, count(*)::INTEGER AS n, min(k) AS first_k, max(k) AS last_k,
      min(line) FILTER (WHERE status = 'bad') AS bad_line,
      arg_min_null(placed_ms, line) AS placed_ms, arg_min_null(cust, line) AS cust,
      arg_min_null(country, line) AS country,
      bool_or(line_type = 'product' AND qty > 0) AS sells,
      ${sum('product')} AS s_product, ${sum('discount')} AS s_discount, ${sum('shipping')} AS s_shipping,
      ${sum('adjustment')} AS s_adjustment, ${sum('fee')} AS s_fee
    FROM or_v WHERE status IN ('good', 'bad') GROUP BY inv
  ), k AS (
    SELECT *,
      greatest(abs(s_product), abs(s_discount), abs(s_shipping), abs(s_adjustment), abs(s_fee)) > ${max} AS too_big,
      CASE WHEN upper(inv)[1] = 'A' THEN 'adjustment' WHEN upper(inv)[1] = 'C' THEN 'return'
        WHEN NOT coalesce(sells, false) THEN 'adjustment' ELSE 'sale' END AS kind
    FROM g
  )
  SELECT *, bad_line IS NULL AND NOT too_big AS emitted,
    CASE WHEN kind = 'return' THEN -(s_product + s_discount + s_adjustment) ELSE 0 END AS refunded_m
  FROM k`;
}

async function stage(sql: SqlStaging, currency: string, exp: number, records: number): Promise<void> {
  // Minor units times an exact DECIMAL 10^-exp (a constant of ours), never through a double.
  const unit = exp === 0 ? '1' : `0.${'0'.repeat(exp - 1)}1`;
  const money = (e: string) => `((${e})::DECIMAL(38, 0) * ${unit})::DECIMAL(18, 3)`;
  await sql.stage(
    'orders',
    [
      'order_id',
      'customer_id',
      'session_id',
      'placed_at',
      'currency',
      'gross_merchandise',
      'discount',
      'shipping',
      'tax',
      'refunded',
      'status',
      'kind',
      'country',
      'discount_code',
    ],
    `SELECT inv, CASE WHEN cust IS NULL THEN NULL ELSE regexp_replace(cust, '\\.0+$', '') END, NULL,
       epoch_ms(placed_ms), $1,
       ${money(`CASE WHEN kind IN ('return', 'adjustment') THEN 0 ELSE s_product END`)},
       ${money(`CASE WHEN kind = 'return' THEN 0 ELSE -s_discount END`)},
       ${money(`CASE WHEN kind = 'return' THEN 0 ELSE s_shipping END`)}, 0,
       ${money('refunded_m')},
       CASE WHEN kind = 'return' THEN 'refunded' ELSE 'paid' END, kind, country, NULL
     FROM or_inv WHERE emitted ORDER BY first_line`,
    [currency],
  );
  const lineCols = `CASE WHEN v.line_type = 'product' THEN v.sc END, v.sc, v.descr, v.qty, ${money('v.price_m')}, 0, $1,
       v.line_type, v.k + 1 AS _ord`;
  await sql.stage(
    'order_lines',
    [
      'order_id',
      'line_no',
      'product_id',
      'sku',
      'title',
      'quantity',
      'unit_price',
      'line_discount',
      'currency',
      'line_type',
    ],
    // An invoice's n records side by side (nearly all): a line's number is its distance from the first; the
    // others are numbered by a window, which costs more than the rest of this statement.
    `SELECT v.inv, (v.k - i.first_k + 1)::INTEGER AS line_no, ${lineCols}
     FROM or_v v JOIN or_inv i ON i.inv = v.inv WHERE i.emitted AND i.last_k - i.first_k + 1 = i.n AND v.status = 'good'
     UNION ALL
     SELECT v.inv, row_number() OVER (PARTITION BY v.inv ORDER BY v.line)::INTEGER, ${lineCols}
     FROM or_v v JOIN or_inv i ON i.inv = v.inv WHERE i.emitted AND i.last_k - i.first_k + 1 <> i.n AND v.status = 'good'`,
    [currency],
    records,
  );
  await sql.stage(
    'products',
    ['product_id', 'sku', 'title', 'category', 'family', 'price', 'cost', 'currency', 'stock'],
    `SELECT sc, sc, arg_max_null(descr, line), NULL, NULL, ${money('arg_max_null(price_m, line)')}, NULL, $1, NULL
     FROM or_v WHERE status = 'good' AND line_type = 'product' AND qty > 0 AND price_m > 0 AND NOT is_return
     GROUP BY sc`,
    [currency],
  );
  await sql.stage(
    'customers',
    ['customer_id', 'first_seen_at', 'loyalty_tier', 'loyalty_points'],
    `SELECT c, epoch_ms(min(placed_ms)), NULL, NULL FROM (
       SELECT regexp_replace(cust, '\\.0+$', '') AS c, placed_ms FROM or_inv WHERE emitted AND cust IS NOT NULL)
     WHERE c <> '' GROUP BY c`,
  );
}

/** Reads, loads, rejects (in the JS mapper's order) and notes (in the order it first made them). */
async function account(
  db: SqlStaging['db'],
  ctx: IngestContext,
  scan: CsvScan,
  currency: string,
  anyRejected: boolean,
): Promise<void> {
  ctx.read += scan.records;
  if (anyRejected) await rejects(db, ctx, scan);
  const notes = await db.all<{ what: string; n: number; p1: number; p2: number; p3: number }>(
    `SELECT * FROM (
       SELECT 'unit prices below one ' || $1 || ' minor unit rounded half-to-even' AS what,
         count(*)::INTEGER AS n, 0 AS p1, min(line) AS p2, 0 AS p3 FROM or_v WHERE rounded
       UNION ALL
       SELECT CASE kind WHEN 'sale' THEN 'invoices loaded as sales' WHEN 'return' THEN 'invoices loaded as returns (C…)'
         ELSE 'invoices loaded as adjustments (no merchandise sold)' END, count(*)::INTEGER, 1, min(first_line), 0
       FROM or_inv WHERE emitted GROUP BY kind
       UNION ALL
       SELECT 'sales without a CustomerID (kept as anonymous orders)', count(*)::INTEGER, 1, min(first_line), 1
       FROM or_inv WHERE emitted AND kind = 'sale' AND (cust IS NULL OR regexp_replace(cust, '\\.0+$', '') = '')
     ) WHERE n > 0 ORDER BY p1, p2, p3`,
    [currency],
  );
  for (const n of notes) ctx.note(n.what, n.n);
  const l = await db.one<{ loaded: number; orders: number }>(
    `SELECT coalesce(sum(n), 0)::INTEGER AS loaded, count(*)::INTEGER AS orders FROM or_inv WHERE emitted`,
  );
  ctx.loaded(l.loaded);
  if (l.orders > 0) ctx.currencies.add(currency);
}

/** Rejected records, in the JS mapper's order, each with its raw fields. */
async function rejects(db: SqlStaging['db'], ctx: IngestContext, scan: CsvScan): Promise<void> {
  const raw = scan.header.map((_, i) => `coalesce(r.c${i}, '') AS c${i}`).join(', ');
  const why = (fieldE: string, reasonE: string) =>
    `'another line of invoice ' || i.inv || ' was rejected (line ' || i.bad_line_at || ': ' || ${fieldE} || ' ' || ${reasonE} || ')'`;
  const TOO_BIG = 'the invoice adds up to more than the store can hold (15 digits before the decimal point)';
  const rows = await db.columns<unknown[][]>(
    `WITH i AS (
       SELECT i.inv, i.first_line, coalesce(i.bad_line, i.first_line) AS bad_line_at, i.bad_line IS NOT NULL AS has_bad,
         b.bad_field AS bf, b.bad_reason AS br
       FROM or_inv i LEFT JOIN or_v b ON b.inv = i.inv AND b.line = i.bad_line
       WHERE NOT i.emitted
     ), rj AS (
       SELECT k, 0 AS phase, line AS o1, line, bad_field AS field, bad_reason AS reason, bad_value AS value
       FROM or_v WHERE status IN ('wrong', 'noinv')
       UNION ALL
       SELECT v.k, 1, i.first_line, v.line,
         CASE WHEN NOT i.has_bad AND v.line = i.first_line THEN 'UnitPrice'
              WHEN i.has_bad AND v.status = 'bad' THEN v.bad_field ELSE '' END,
         CASE WHEN NOT i.has_bad AND v.line = i.first_line THEN ${lit(TOO_BIG)}
              WHEN NOT i.has_bad THEN ${why("'UnitPrice'", lit(TOO_BIG))}
              WHEN v.status = 'bad' THEN v.bad_reason ELSE ${why('i.bf', 'i.br')} END,
         CASE WHEN i.has_bad AND v.status = 'bad' THEN v.bad_value END
       FROM or_v v JOIN i ON i.inv = v.inv WHERE v.status IN ('good', 'bad')
     )
     SELECT rj.line, rj.field, rj.reason, rj.value, ${raw}
     FROM rj JOIN or_raw r ON r.rowid = rj.k ORDER BY rj.phase, rj.o1, rj.line`,
  );
  const [lines, fields, reasons, values, ...rawCols] = rows as [
    number[],
    string[],
    string[],
    (string | null)[],
    ...string[][],
  ];
  for (let j = 0; j < (lines?.length ?? 0); j++) {
    const record: Record<string, unknown> = {};
    for (let c = 0; c < scan.header.length; c++) record[scan.header[c]!] = rawCols[c]![j];
    const r: Omit<Reject, 'file'> = { line: lines[j]!, field: fields[j]!, reason: reasons[j]! };
    if (values[j] != null) r.value = values[j]!;
    r.record = record;
    ctx.reject(r);
  }
}
