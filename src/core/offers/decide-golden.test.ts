import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { type Outcome, outcomeOf } from '../../../test/golden/decide-outcome.js';
import { ROOT } from '../../../test/helpers.js';
import type { RecsModel } from '../recs/model.js';
import { parseOfferConfig } from './config.js';
import { decide } from './decide.js';
import { DECISION_CODES, NOTE_CODES, REFUSAL_CODES } from './types.js';
import { offerReasonCodes, offerTypes } from './registry.js';

const dir = join(ROOT, 'test', 'golden');
const model = JSON.parse(readFileSync(join(dir, 'decide-model.json'), 'utf8')) as RecsModel;
const { cases } = JSON.parse(readFileSync(join(dir, 'decide-cases.json'), 'utf8')) as { cases: GoldenCase[] };

export interface GoldenCase {
  name: string;
  config: unknown;
  context: Parameters<typeof decide>[2];
  history?: { day: number; items: string[] }[];
  today?: number;
  expect: Outcome;
}

test(`golden decide cases (${cases.length}): offers, refusals and notes with their codes`, () => {
  assert.ok(cases.length >= 25);
  for (const c of cases) {
    const d = decide(model, parseOfferConfig(c.config), {
      ...c.context,
      ...(c.history ? { history: c.history, today: c.today } : {}),
    });
    const got = outcomeOf(d);
    assert.deepEqual(got, c.expect, c.name);
  }
});

test('the golden cases cover every offer type, reason code and decision code the registry knows', () => {
  const seen = (f: (c: GoldenCase) => string[]) => new Set(cases.flatMap(f));
  const types = seen((c) => c.expect.offers.map((o) => o.type));
  const reasons = seen((c) => c.expect.offers.map((o) => o.reasonCode));
  for (const t of offerTypes()) assert.ok(types.has(t), `no case shows a ${t} offer`);
  // A fallback has no evidence: it is refused (NO_EVIDENCE), never shown.
  for (const r of offerReasonCodes().filter((x) => !x.endsWith('_FALLBACK')))
    assert.ok(reasons.has(r), `no case gives reason ${r}`);
  for (const d of DECISION_CODES)
    assert.ok(seen((c) => [c.expect.reasonCode]).has(d), `no case decides ${d}`);
  for (const r of REFUSAL_CODES)
    assert.ok(seen((c) => c.expect.refused.map((x) => x.code)).has(r), `no case refuses with ${r}`);
  for (const n of NOTE_CODES) assert.ok(seen((c) => c.expect.notes).has(n), `no case notes ${n}`);
});
