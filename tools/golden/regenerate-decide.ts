import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseOfferConfig } from '../../src/core/offers/config.js';
import { decide } from '../../src/core/offers/decide.js';
import type { RecsModel } from '../../src/core/recs/model.js';
import { ROOT } from '../../test/helpers.js';
import { outcomeOf } from '../../test/golden/decide-outcome.js';

/**
 * Rewrites the expected outcomes of test/golden/decide-cases.json from today's decide(): run it only when the
 * economics change on purpose, then read the diff case by case (`git diff test/golden`) before committing.
 * Run: npm run golden:decide
 */
const dir = join(ROOT, 'test', 'golden');
const file = join(dir, 'decide-cases.json');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const doc = JSON.parse(readFileSync(file, 'utf8')) as {
  cases: { config: unknown; context: Parameters<typeof decide>[2]; history?: unknown; today?: number; expect: unknown }[];
};
for (const c of doc.cases) {
  const ctx = { ...c.context, ...(c.history ? { history: c.history as never, today: c.today } : {}) };
  c.expect = outcomeOf(decide(model, parseOfferConfig(c.config), ctx));
}
writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
console.log(`${doc.cases.length} cases rewritten in ${file}`);
