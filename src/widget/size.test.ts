import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../../test/helpers.js';
import { WIDGET_BUDGET_GZIP_BYTES } from '../../tools/widget/bundle.js';

test(`the widget, both builds, stays within its budget of ${WIDGET_BUDGET_GZIP_BYTES / 1024} KB gzipped`, () => {
  for (const name of ['widget.js', 'widget.mjs']) {
    const code = readFileSync(join(ROOT, 'dist', 'web', name));
    const gz = gzipSync(code, { level: 9 }).length;
    assert.ok(code.length > 1000, `${name} is built (npm run build)`);
    assert.ok(gz <= WIDGET_BUDGET_GZIP_BYTES, `${name} is ${gz} bytes gzipped`);
    // No third-party requests: the only URLs the widget knows are relative to its API and the page.
    assert.doesNotMatch(code.toString(), /https?:\/\//, `${name} names no absolute URL`);
  }
});
