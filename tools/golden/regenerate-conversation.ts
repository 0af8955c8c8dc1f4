import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { converse } from '../../src/core/conversation/converse.js';
import { TurnSchema } from '../../src/core/conversation/schema.js';
import { parseOfferConfig } from '../../src/core/offers/config.js';
import type { RecsModel } from '../../src/core/recs/model.js';
import { ROOT } from '../../test/helpers.js';
import { conversationOutcome } from '../../test/golden/conversation-outcome.js';

/**
 * Rewrites the expected turns of test/golden/conversation-cases.json from today's converse(): run it after a
 * deliberate change of the flows or texts, then read the diff case by case before committing.
 * Run: tsc -p tsconfig.json && node dist/tools/golden/regenerate-conversation.js
 */
const dir = join(ROOT, 'test', 'golden');
const file = join(dir, 'conversation-cases.json');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const doc = JSON.parse(readFileSync(file, 'utf8')) as {
  configs: Record<string, unknown>;
  cases: {
    config: string;
    trigger: never;
    context: never;
    turns: unknown[];
    locale?: string;
    expect: unknown;
  }[];
};
for (const c of doc.cases) {
  const config = parseOfferConfig(doc.configs[c.config]);
  const turns = c.turns.map((t) => TurnSchema.parse(t));
  c.expect = conversationOutcome(
    converse(model, config, { trigger: c.trigger, context: c.context, turns, locale: c.locale }),
  );
}
writeFileSync(file, `${JSON.stringify(doc, null, 1)}\n`);
console.log(`${doc.cases.length} cases rewritten in ${file}`);
