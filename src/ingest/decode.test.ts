import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LeversError } from '../core/errors.js';
import { TextStreamDecoder } from './decode.js';

const enc = new TextEncoder();

test('strips a UTF-8 byte-order mark and normalises CRLF, even split across chunks', () => {
  const d = new TextStreamDecoder('f.csv');
  const a = d.decode(Uint8Array.from([0xef, 0xbb, 0xbf, ...enc.encode('a,b\r')]));
  const b = d.decode(enc.encode('\n1,2\r\n'));
  const c = d.decode(new Uint8Array(0), true);
  assert.equal(a + b + c, 'a,b\n1,2\n');
});

test('decodes UTF-16LE files marked by their BOM (Excel "Unicode text")', () => {
  const text = 'Name,Zoë\n';
  const bytes = new Uint8Array(2 + text.length * 2);
  bytes.set([0xff, 0xfe]);
  for (let i = 0; i < text.length; i++) bytes[2 + i * 2] = text.charCodeAt(i);
  const d = new TextStreamDecoder('f.csv');
  assert.equal(d.decode(bytes) + d.decode(new Uint8Array(0), true), text);
});

test('invalid UTF-8 is an error naming byte and line, not mangled text', () => {
  const d = new TextStreamDecoder('f.csv');
  const bytes = Uint8Array.from([...enc.encode('a,b\nZo'), 0xeb, ...enc.encode('\n')]);
  assert.throws(
    () => d.decode(bytes, true),
    (e: unknown) => {
      assert.ok(e instanceof LeversError);
      assert.equal(e.code, 'FILE_ENCODING');
      assert.equal(e.details.offset, 6);
      assert.equal(e.details.line, 2);
      return true;
    },
  );
});

test('windows-1252 when asked', () => {
  const d = new TextStreamDecoder('f.csv', 'windows-1252');
  assert.equal(d.decode(Uint8Array.from([0x5a, 0x6f, 0xeb]), true), 'Zoë');
});
