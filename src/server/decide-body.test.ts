import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { decideBodies } from '../../test/decide-bodies.js';
import { DecideBody } from './contract.js';
import { parseDecideBody, wellFormed } from './decide-body.js';

const RUNS = Number(process.env.LEVERS_PROPERTY_RUNS ?? 20_000);
const ids = ['maker', 'filters', 'beans', 'mug'];

/** The hand check against the schema on one body: the same verdict, the same data in the same key order. */
function agree(body: unknown): void {
  const zod = DecideBody.safeParse(body);
  const fast = wellFormed(body);
  assert.equal(fast !== null, zod.success, `hand check and schema disagree on ${JSON.stringify(body)}`);
  if (fast && zod.success) {
    assert.deepStrictEqual(fast, zod.data);
    assert.equal(JSON.stringify(fast), JSON.stringify(zod.data));
  }
  const got = parseDecideBody(body);
  assert.equal(got.success, zod.success);
  if (!got.success && !zod.success) assert.deepStrictEqual(got.error.issues, zod.error.issues);
}

test(`property: the hand-checked decide body accepts exactly what DecideBody accepts, with its data (${RUNS} bodies, as sent and through JSON)`, () => {
  let accepted = 0;
  fc.assert(
    fc.property(decideBodies(ids), (body) => {
      agree(body);
      // What the server parses is JSON text: -0 and the like arrive as JSON writes them.
      const text = JSON.stringify(body);
      if (text !== undefined) agree(JSON.parse(text));
      if (wellFormed(body)) accepted++;
    }),
    { numRuns: RUNS, seed: 16 },
  );
  // The generator is meant to give both kinds in numbers: a hand check that accepted nothing would pass too.
  assert.ok(accepted > RUNS * 0.3 && accepted < RUNS * 0.9, `accepted ${accepted} of ${RUNS}`);
});

test('the hand check leaves to the schema each limit the schema sets, at and past it', () => {
  const base = {
    page: 'cart',
    sessionId: 's1',
    cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4900 }],
  };
  const line = (l: object) => ({ ...base, cart: [{ ...base.cart[0], ...l }] });
  const cases: unknown[] = [
    base,
    { page: 'cart', sessionId: 's1' },
    { ...base, sessionId: '' },
    { ...base, sessionId: 'x'.repeat(200) },
    { ...base, sessionId: 'x'.repeat(201) },
    { ...base, sessionId: 'a\u0000b' },
    { ...base, productId: null },
    { ...base, productId: undefined },
    line({ quantity: 10_000 }),
    line({ quantity: 10_001 }),
    line({ quantity: 0 }),
    line({ quantity: 1.5 }),
    line({ unitPriceMinor: -0 }),
    line({ unitPriceMinor: -1 }),
    line({ unitPriceMinor: 999_999_999_999_999 }),
    line({ unitPriceMinor: 1_000_000_000_000_000 }),
    line({ unitPriceMinor: Number.NaN }),
    line({ extra: 1 }),
    { ...base, cart: Array.from({ length: 200 }, () => base.cart[0]) },
    { ...base, cart: Array.from({ length: 201 }, () => base.cart[0]) },
    { ...base, customer: { id: 'c1', spendMinor: 0, firstName: 'x'.repeat(100) } },
    { ...base, customer: { id: 'c1', firstName: 'x'.repeat(101) } },
    { ...base, customer: { id: 'c1', firstName: '😀'.repeat(100) } },
    { ...base, customer: { id: 'c1', firstName: '😀'.repeat(101) } },
    { ...base, customer: { id: 'c1', firstName: `${'😀'.repeat(99)}\ud800\ud800` } },
    { ...base, sessionId: '😀'.repeat(200) },
    { ...base, sessionId: '😀'.repeat(201) },
    { ...base, sessionId: '\udc00' },
    { ...base, customer: { spendMinor: 10 } },
    { ...base, customer: null },
    { ...base, visitorType: 'vip', exiting: false, device: 'unknown' },
    { ...base, visitorType: 'guest' },
    { ...base, exiting: 'true' },
    { ...base, device: 'toaster' },
    { ...base, Page: 'cart' },
    Object.assign(Object.create({ inherited: 1 }), base),
    JSON.parse('{"page":"cart","sessionId":"s","__proto__":{"x":1}}'),
    [],
    null,
    'cart',
  ];
  for (const body of cases) {
    const zod = DecideBody.safeParse(body);
    const got = parseDecideBody(body);
    assert.equal(got.success, zod.success, JSON.stringify(body));
    if (got.success && zod.success) assert.equal(JSON.stringify(got.data), JSON.stringify(zod.data));
    else if (!got.success && !zod.success) assert.deepStrictEqual(got.error.issues, zod.error.issues);
  }
});
