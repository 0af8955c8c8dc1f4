import assert from 'node:assert/strict';
import { test } from 'node:test';
import { z } from 'zod';
import type { LeversError } from '../errors.js';
import { encodeBaskets } from '../recs/baskets.js';
import { buildModel } from '../recs/model.js';
import { offerKpis } from '../metrics/offers.js';
import { parseOfferConfig } from './config.js';
import { decide } from './decide.js';
import type { OfferKind } from './kind.js';
import { OFFER_KINDS, offerTypeOf, offerTypes } from './registry.js';

/**
 * A new kind is one module (here, this object) and one line in a registry: a gift-wrap offer for carts over a
 * value, with its own configuration section. Nothing else changes: the configuration validates its section,
 * decide() scores it against the others, and the offer metrics know its type.
 */
const GiftWrap = z
  .strictObject({ minCartMinor: z.number().int().positive(), marginMinor: z.number().int().positive() })
  .optional();
const giftWrap: OfferKind<z.infer<typeof GiftWrap>> = {
  types: ['gift-wrap'],
  reasonCodes: ['GIFT_SEASON'],
  config: { key: 'giftWrap', schema: GiftWrap },
  candidates(k) {
    const g = k.config.giftWrap as z.infer<typeof GiftWrap>;
    if (!g || k.subtotal < g.minCartMinor) return [];
    return [
      {
        id: 'gift-wrap',
        type: 'gift-wrap',
        text: 'Gift wrap it?',
        items: [],
        actions: { accept: 'add_to_cart', decline: 'dismiss' },
        expectedProfitMinor: 0.3 * g.marginMinor - k.risk,
        reasonCode: 'GIFT_SEASON',
        reason: `carts over ${k.money(g.minCartMinor)}`,
      },
    ];
  },
};
const kinds = [...OFFER_KINDS, giftWrap];

const model = buildModel(
  encodeBaskets(Array.from({ length: 20 }, () => ['maker', 'filters'])),
  new Map(),
  { minSupport: 0.01, minConfidence: 0.3, maxLen: 2, topK: 10 },
  { version: 1, createdAt: '', currency: 'USD' },
);

test('a toy offer kind added in one object and one registry line is configured, decided and counted', () => {
  const config = parseOfferConfig(
    { holdoutShare: 0, maxOffersPerDecision: 3, giftWrap: { minCartMinor: 3000, marginMinor: 800 } },
    kinds,
  );
  const d = decide(
    model,
    config,
    { page: 'cart', sessionId: 's', cart: [{ productId: 'maker', quantity: 1, unitPriceMinor: 4000 }] },
    kinds,
  );
  const wrap = d.offers.find((o) => o.type === 'gift-wrap');
  assert.deepEqual(
    [wrap?.reasonCode, wrap?.expectedProfitMinor],
    ['GIFT_SEASON', Math.round(0.3 * 800 - 0.004 * 4000 * 0.4)],
  );
  assert.ok(offerTypes(kinds).includes('gift-wrap') && !offerTypes().includes('gift-wrap'));
  assert.equal(offerTypeOf('gift-wrap', kinds), 'gift-wrap');
  assert.throws(
    () => parseOfferConfig({ giftWrap: { minCartMinor: -1, marginMinor: 1 } }, kinds),
    (e: LeversError) => e.details.path === 'giftWrap.minCartMinor',
  );
  assert.throws(
    () => parseOfferConfig({ giftWrap: { minCartMinor: 1, marginMinor: 1 } }),
    (e: LeversError) => /unknown key\(s\) giftWrap/.test(e.message),
    'without the kind in the registry its section is an unknown key',
  );
});

test("offer metrics group by the registry's types, not by whatever precedes a colon", () => {
  const k = offerKpis(
    [
      { offer_id: 'cross-sell:filters', shown: 4, accepted: 1, declined: 1 },
      { offer_id: 'volume-tier:maker:2', shown: 2, accepted: 0, declined: 1 },
      { offer_id: 'made-up:thing', shown: 1, accepted: 0, declined: 0 },
    ],
    null,
    null,
    null,
  );
  assert.deepEqual(
    k.byType.map((t) => [t.type, t.shown]),
    [
      ['cross-sell', 4],
      ['volume-tier', 2],
      ['other', 1],
    ],
  );
});
