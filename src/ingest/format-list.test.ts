import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FORMAT_LIST } from './format-list.js';
import { FORMATS } from './formats.js';

test("the light format list (for the CLI's help) names every loader, in order, with its summary", () => {
  assert.deepEqual(
    FORMAT_LIST,
    FORMATS.map((f) => ({ name: f.name, summary: f.summary })),
  );
});
