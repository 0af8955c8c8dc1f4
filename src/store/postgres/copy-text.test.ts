import assert from 'node:assert/strict';
import { test } from 'node:test';
import { copyLine } from './copy-text.js';

test('COPY text escapes what would split a field or a row, and says NULL as \\N (not as an empty string)', () => {
  assert.equal(
    copyLine(['a', null, '', 'x\ty', 'l1\nl2\r', 'C:\\dir', '\\N']),
    'a\t\\N\t\tx\\ty\tl1\\nl2\\r\tC:\\\\dir\t\\\\N\n',
  );
});
