import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import fc from 'fast-check';
import { decideBodies } from '../../test/decide-bodies.js';
import { ROOT } from '../../test/helpers.js';
import { parseOfferConfig } from '../core/offers/config.js';
import { decide, type Decision } from '../core/offers/decide.js';
import type { RecsModel } from '../core/recs/model.js';
import { DecideBody } from '../server/contract.js';
import { answerJson, serializeAnswer } from './decision-json.js';

const golden = join(ROOT, 'test', 'golden');
const model = JSON.parse(readFileSync(join(golden, 'decide-model.json'), 'utf8')) as RecsModel;
const { cases } = JSON.parse(readFileSync(join(golden, 'decide-cases.json'), 'utf8')) as {
  cases: { config: unknown; context: Parameters<typeof decide>[2] }[];
};
const configs = [...new Set(cases.map((c) => JSON.stringify(c.config)))].map((c) =>
  parseOfferConfig(JSON.parse(c)),
);

/** What the compiled serializer writes, or the error it throws. */
function compiled(d: object, version: number): string | Error {
  const { assignment: _a, ...rest } = d as Decision;
  try {
    return serializeAnswer({ ...rest, model: version } as Parameters<typeof serializeAnswer>[0]);
  } catch (e) {
    return e as Error;
  }
}
function fast(d: object, version: number): string | Error {
  try {
    return answerJson(d, version);
  } catch (e) {
    return e as Error;
  }
}

test('property: answerJson writes byte for byte what the compiled serializer writes, for decisions over generated carts under every golden configuration', () => {
  let n = 0;
  fc.assert(
    fc.property(decideBodies(model.items.map((it) => it.id)), fc.nat(configs.length - 1), (body, k) => {
      const ctx = DecideBody.safeParse(body);
      if (!ctx.success) return;
      const d = decide(model, configs[k]!, ctx.data);
      assert.equal(answerJson(d, 7), compiled(d, 7));
      n++;
    }),
    { numRuns: 3000, seed: 16 },
  );
  assert.ok(n > 1000, `${n} decisions`);
});

test('answerJson leaves what it does not write exactly to the compiled serializer: the same bytes or the same error', () => {
  const d = decide(model, configs[0]!, cases[0]!.context);
  assert.ok(d.offers.length > 0 && d.offers[0]!.items.length > 0);
  const offer = d.offers[0]!;
  const variants: object[] = [
    d,
    { ...d, offers: [{ ...offer, expectedProfitMinor: Number.NaN }] },
    { ...d, offers: [{ ...offer, expectedProfitMinor: Number.POSITIVE_INFINITY }] },
    { ...d, offers: [{ ...offer, expectedProfitMinor: -0 }] },
    { ...d, offers: [{ ...offer, items: [{ ...offer.items[0]!, priceMinor: 12.5 }] }] },
    { ...d, offers: [{ ...offer, items: [{ ...offer.items[0]!, priceMinor: 2 ** 60 }] }] },
    { ...d, offers: [{ ...offer, fields: { ...offer.fields, extra: null } }] },
    { ...d, offers: [{ ...offer, fields: { ...offer.fields, flag: true } }] },
    { ...d, offers: [{ ...offer, actions: { accept: 'add_to_cart', decline: 'later' } }] },
    { ...d, offers: [{ ...offer, marginBasis: null }] },
    {
      ...d,
      offers: [{ ...offer, progress: { currentMinor: 10.7, targetMinor: 50, goal: 'free shipping' } }],
    },
    { ...d, offers: [{ ...offer, unknownKey: 'not written' }] },
    { ...d, offers: [{ ...offer, text: 'a "quoted" \\ text \u0000 with \ud800 a lone surrogate' }] },
    { ...d, notes: [{ code: 'UNKNOWN_PRODUCT', text: 'x', productId: 7 }] },
    { ...d, info: { ...d.info, shipping: undefined } },
    { ...d, experiments: [{ experiment: 'e', variant: null }] },
  ];
  for (const v of variants) {
    const want = compiled(v, 3);
    const got = fast(v, 3);
    if (want instanceof Error) assert.deepEqual(got, want);
    else assert.equal(got, want);
  }
  assert.deepEqual(fast(d, 2.5), compiled(d, 2.5));
});
