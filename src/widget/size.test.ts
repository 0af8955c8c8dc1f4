import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { gzipSync } from 'node:zlib';
import { ROOT } from '../../test/helpers.js';
import { CHAT_BUDGET_GZIP_BYTES, WIDGET_BUDGET_GZIP_BYTES } from '../../tools/widget/bundle.js';

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

test(`the chat bubble, loaded apart from the widget, stays within its own budget of ${CHAT_BUDGET_GZIP_BYTES / 1024} KB gzipped`, () => {
  const code = readFileSync(join(ROOT, 'dist', 'web', 'chat.js'));
  const gz = gzipSync(code, { level: 9 }).length;
  assert.ok(code.length > 500, 'chat.js is built (npm run build)');
  assert.ok(gz <= CHAT_BUDGET_GZIP_BYTES, `chat.js is ${gz} bytes gzipped`);
  assert.doesNotMatch(code.toString(), /https?:\/\//, 'chat.js names no absolute URL');
  // The widget itself carries none of the bubble: it loads it by URL on the first converse.
  const widget = readFileSync(join(ROOT, 'dist', 'web', 'widget.js')).toString();
  assert.doesNotMatch(widget, /Shopping assistant/);
});
