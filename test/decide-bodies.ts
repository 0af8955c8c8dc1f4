import fc from 'fast-check';

/**
 * POST /v1/decide bodies for property tests and for recording answers before and after a change: mostly
 * well-formed (every page, carts of known and unknown products, customers, segments), with values at and just
 * past every limit the contract sets, wrong types, missing and unknown keys, so that a validator written by hand
 * can be compared with the zod schema on the bodies where they could differ.
 */
export function decideBodies(
  productIds: readonly string[],
  customerIds: readonly string[] = ['c-hab1', 'c-hab2'],
): fc.Arbitrary<unknown> {
  const edgeString = fc.constantFrom(
    '',
    '\u0000',
    'a\u0000b',
    'x'.repeat(200),
    'x'.repeat(201),
    '😀'.repeat(100),
    '😀'.repeat(101),
    'é'.repeat(200),
    ' ',
    '__proto__',
    'constructor',
  );
  const id = fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...productIds, 'ghost', 'unknown-1') },
    { weight: 1, arbitrary: fc.string({ minLength: 1, maxLength: 12 }) },
  );
  const nasty = fc.oneof(
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -0, -1, 1.5, 2 ** 31, 2 ** 53, 2 ** 53 + 2, 1e15 - 1, 1e15, 1e308, 10_000, 10_001),
    fc.string({ maxLength: 8 }),
    edgeString,
    fc.boolean(),
    fc.constant(null),
    fc.constant([]),
    fc.constant({}),
    fc.jsonValue({ maxDepth: 2 }),
  );
  // A field is mostly good, sometimes at or just past its limits, seldom anything at all.
  const often = <T, E>(good: fc.Arbitrary<T>, edge?: fc.Arbitrary<E>) =>
    fc.oneof(
      { weight: 100, arbitrary: good },
      { weight: edge ? 2 : 0, arbitrary: edge ?? good },
      { weight: 1, arbitrary: nasty },
    );
  const quantity = often(
    fc.integer({ min: 1, max: 4 }),
    fc.constantFrom(1, 9_999, 10_000, 10_001, 0, -1, 2.5, 1e21),
  );
  const minor = often(
    fc.integer({ min: 0, max: 20_000 }),
    fc.constantFrom(0, -0, -1, 0.5, 999_999_999_999_999, 1_000_000_000_000_000, 2 ** 53),
  );
  const line = fc.oneof(
    {
      weight: 40,
      arbitrary: fc.record({ productId: often(id, edgeString), quantity, unitPriceMinor: minor }),
    },
    {
      weight: 1,
      arbitrary: fc.record(
        { productId: often(id, edgeString), quantity, unitPriceMinor: minor, extra: nasty },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: nasty },
  );
  const cart = fc.oneof(
    { weight: 20, arbitrary: fc.array(line, { maxLength: 5 }) },
    {
      weight: 1,
      arbitrary: fc.array(
        fc.record({ productId: id, quantity: fc.integer({ min: 1, max: 3 }), unitPriceMinor: fc.nat(9999) }),
        { minLength: 199, maxLength: 201 },
      ),
    },
    { weight: 1, arbitrary: nasty },
  );
  const customer = fc.oneof(
    {
      weight: 10,
      arbitrary: fc.record(
        {
          id: often(fc.oneof(id, fc.constantFrom(...customerIds))),
          spendMinor: minor,
          firstName: often(
            fc.oneof(fc.constantFrom('Ada', 'Zoë', ''), fc.string()),
            fc.constantFrom('x'.repeat(100), 'x'.repeat(101), '😀'.repeat(50), '😀'.repeat(51)),
          ),
        },
        { requiredKeys: ['id'] },
      ),
    },
    { weight: 1, arbitrary: fc.record({ id: often(id, edgeString), other: nasty }, { requiredKeys: [] }) },
    { weight: 1, arbitrary: nasty },
  );
  const fields = {
    page: often(fc.constantFrom('product', 'cart', 'checkout', 'thankyou'), fc.constantFrom('home', 'Cart')),
    sessionId: often(fc.oneof(id, fc.string({ minLength: 1, maxLength: 30 })), edgeString),
    productId: often(id, edgeString),
    cart,
    customer,
    visitorType: often(fc.constantFrom('new', 'returning', 'customer', 'vip'), fc.constant('guest')),
    exiting: often(fc.boolean(), fc.constantFrom(0, 'true')),
    device: often(fc.constantFrom('mobile', 'desktop', 'tablet', 'other'), fc.constant('toaster')),
  };
  const wellFormed = fc.record(fields, { requiredKeys: ['page', 'sessionId'] });
  const anyKeys = fc.record(fields, { requiredKeys: [] });
  const extraKey = fc
    .tuple(wellFormed, fc.constantFrom('extra', 'Page', 'history', 'today'), nasty)
    .map(([b, k, v]) => ({ ...b, [k]: v }));
  return fc.oneof(
    { weight: 30, arbitrary: wellFormed },
    { weight: 3, arbitrary: anyKeys },
    { weight: 2, arbitrary: extraKey },
    { weight: 1, arbitrary: nasty },
  );
}
