import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from './helpers.js';
import { configTables, undocumented } from '../tools/docs/config-table.js';

test('docs/configuration.md lists every configuration key as the schemas define it (npm run docs)', () => {
  assert.deepEqual(undocumented(), [], 'keys without a meaning line in tools/docs/config-table.ts');
  const doc = readFileSync(join(ROOT, 'docs', 'configuration.md'), 'utf8');
  assert.ok(doc.includes(configTables().markdown), 'docs/configuration.md is stale: run npm run docs');
});
