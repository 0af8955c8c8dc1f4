import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
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
  expect: {
    inHoldout: boolean;
    reasonCode: string;
    notes: string[];
    info: unknown;
    offers: { id: string; type: string; reasonCode: string; expectedProfitMinor: number; text: string }[];
    refused: { id: string; code: string; expectedProfitMinor: number }[];
  };
}

test(`golden decide cases (${cases.length}): offers, refusals and notes with their codes`, () => {
  assert.ok(cases.length >= 25);
  for (const c of cases) {
    const d = decide(model, parseOfferConfig(c.config), {
      ...c.context,
      ...(c.history ? { history: c.history, today: c.today } : {}),
    });
    const got = {
      inHoldout: d.assignment.inHoldout,
      reasonCode: d.reasonCode,
      notes: d.notes.map((n) => n.code),
      info: d.info,
      offers: d.offers.map((o) => ({
        id: o.id,
        type: o.type,
        reasonCode: o.reasonCode,
        expectedProfitMinor: o.expectedProfitMinor,
        text: o.text,
      })),
      refused: d.refused.map((r) => ({ id: r.id, code: r.code, expectedProfitMinor: r.expectedProfitMinor })),
    };
    assert.deepEqual(got, c.expect, c.name);
  }
});

test('the golden cases cover every offer type, reason code and decision code the registry knows', () => {
  const seen = (f: (c: GoldenCase) => string[]) => new Set(cases.flatMap(f));
  const types = seen((c) => c.expect.offers.map((o) => o.type));
  const reasons = seen((c) => c.expect.offers.map((o) => o.reasonCode));
  for (const t of offerTypes()) assert.ok(types.has(t), `no case shows a ${t} offer`);
  for (const r of offerReasonCodes().filter((x) => x !== 'CATEGORY_FALLBACK'))
    assert.ok(reasons.has(r), `no case gives reason ${r}`);
  for (const d of DECISION_CODES)
    assert.ok(seen((c) => [c.expect.reasonCode]).has(d), `no case decides ${d}`);
  for (const r of REFUSAL_CODES)
    assert.ok(seen((c) => c.expect.refused.map((x) => x.code)).has(r), `no case refuses with ${r}`);
  for (const n of NOTE_CODES) assert.ok(seen((c) => c.expect.notes).has(n), `no case notes ${n}`);
});
