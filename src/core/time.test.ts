import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTimestamp, toSqlTimestamp } from './time.js';

const iso = (text: string) => {
  const r = parseTimestamp(text);
  assert.ok(r.ok, text);
  return new Date(r.ms).toISOString();
};

test('converts the offsets sources give to UTC', () => {
  assert.equal(iso('2024-01-15 10:31:07 -0500'), '2024-01-15T15:31:07.000Z');
  assert.equal(iso('2024-01-15 23:59:59 -0800'), '2024-01-16T07:59:59.000Z');
  assert.equal(iso('2024-02-05 18:00:00 +0900'), '2024-02-05T09:00:00.000Z');
  assert.equal(iso('2024-01-15T10:31:07+05:30'), '2024-01-15T05:01:07.000Z');
  assert.equal(iso('2024-01-15T10:31:07.250Z'), '2024-01-15T10:31:07.250Z');
});

test('naive times are UTC, dates are midnight', () => {
  assert.equal(iso('2010-12-01 08:26:00'), '2010-12-01T08:26:00.000Z');
  assert.equal(iso('2010-12-01 08:26'), '2010-12-01T08:26:00.000Z');
  assert.equal(iso('2024-02-29'), '2024-02-29T00:00:00.000Z');
});

test('rejects impossible or malformed dates', () => {
  for (const bad of [
    '2024-13-45 10:00:00 -0500',
    '2023-02-29',
    '2024-01-15 25:00:00',
    '15/01/2024',
    'yesterday',
    '',
    '2024-01-15 10:00:00 +2500',
  ]) {
    assert.equal(parseTimestamp(bad).ok, false, bad);
  }
});

test('formats for SQL in UTC', () => {
  assert.equal(toSqlTimestamp(Date.UTC(2024, 0, 15, 15, 31, 7)), '2024-01-15 15:31:07.000');
});
