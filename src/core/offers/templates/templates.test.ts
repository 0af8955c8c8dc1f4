import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../../../test/helpers.js';
import { LeversError } from '../../errors.js';
import type { RecsModel } from '../../recs/model.js';
import { parseOfferConfig } from '../config.js';
import { decide } from '../decide.js';
import { BUILT_IN, CHANNELS, TEMPLATE_SPECS } from './catalogue.js';
import { renderTemplate, templateProblem } from './render.js';

const model = JSON.parse(
  readFileSync(join(ROOT, 'test', 'golden', 'decide-model.json'), 'utf8'),
) as RecsModel;
const cart = [{ productId: 'maker', quantity: 1, unitPriceMinor: 4900 }];

const configError = (raw: unknown) => {
  try {
    parseOfferConfig(raw);
  } catch (e) {
    assert.ok(e instanceof LeversError && e.code === 'CONFIG_INVALID');
    return e.message;
  }
  assert.fail('the configuration was accepted');
};

test('every built-in template is valid for its id (the same check an operator template gets)', () => {
  for (const channel of CHANNELS)
    for (const [id, text] of Object.entries(BUILT_IN[channel]))
      assert.equal(templateProblem(id, text), null, `${channel} ${id}`);
  // Every offer template has a web text, so decide() always says something.
  for (const id of Object.keys(TEMPLATE_SPECS).filter((x) => !x.includes('.')))
    assert.ok(BUILT_IN.web[id], `web ${id}`);
});

test('an operator template with an unknown variable is a configuration error naming the template and the variable', () => {
  const m = configError({ templates: { en: { chat: { upsell: 'The {product} for {diff} more' } } } });
  assert.match(m, /templates\.en\.chat\.upsell/);
  assert.match(m, /\{diff\}/);
  assert.match(m, /\{difference\}/, 'the message lists the variables it has');
});

test('an operator template missing a required variable is a configuration error naming both', () => {
  const m = configError({
    templates: { de: { web: { 'free-shipping-progress': 'Fast versandkostenfrei!' } } },
  });
  assert.match(m, /templates\.de\.web\.free-shipping-progress misses \{gap\}/);
});

test('an unknown template id, an unbalanced brace, a bad locale or channel are configuration errors', () => {
  assert.match(
    configError({ templates: { en: { chat: { upsel: 'x' } } } }),
    /templates\.en\.chat\.upsel is not a template/,
  );
  assert.match(configError({ templates: { en: { web: { 'cross-sell': 'With {product' } } } }), /unbalanced/);
  assert.match(configError({ templates: { 'not a locale!': {} } }), /language tag/);
  assert.match(configError({ templates: { en: { sms: {} } } }), /templates\.en unknown key\(s\) sms/);
  assert.match(configError({ messages: { new: 'Hi {name}' } }), /messages\.new uses \{name\}/);
});

test('amounts are said in the store currency: EUR with cents, JPY without minor units', () => {
  const eur = { channel: 'chat' as const, locale: 'en', currency: 'EUR' };
  assert.equal(
    renderTemplate('free-shipping-progress', { gapMinor: 1050 }, eur),
    "You're just €10.50 away from free shipping! Want to see something small that gets you there?",
  );
  assert.equal(
    renderTemplate('free-shipping-progress', { gapMinor: 1050 }, { ...eur, channel: 'web', locale: 'de' }),
    "You're 10,50\u00a0€ away from free shipping",
  );
  // ¥1,050 is 1,050 minor units: the yen has no minor unit.
  assert.equal(
    renderTemplate('free-shipping-progress', { gapMinor: 1050 }, { ...eur, channel: 'web', currency: 'JPY' }),
    "You're ¥1,050 away from free shipping",
  );
});

test('decide() in a EUR store and a JPY store says the upsell difference in that currency', () => {
  for (const [currency, text] of [
    ['EUR', 'Upgrade to Coffee Maker Pro for €30.00 more'],
    ['JPY', 'Upgrade to Coffee Maker Pro for ¥3,000 more'],
  ] as const) {
    const config = parseOfferConfig({ currency, holdoutShare: 0, upsell: {} });
    const d = decide(model, config, { page: 'cart', sessionId: 's', cart });
    const o = d.offers.find((x) => x.type === 'upsell')!;
    assert.equal(o.text, text);
    assert.equal(o.fields.differenceMinor, 3000);
  }
});

test('an operator template overrides the built-in text for its locale and channel only', () => {
  const config = parseOfferConfig({
    holdoutShare: 0,
    upsell: { highlights: { 'maker-pro': 'includes a built-in grinder' } },
    locale: 'en',
    templates: { en: { web: { upsell: 'Go Pro: {difference} more, {product} {reason}' } } },
  });
  const d = decide(model, config, { page: 'cart', sessionId: 's', cart });
  const o = d.offers.find((x) => x.type === 'upsell')!;
  assert.equal(o.text, 'Go Pro: $30.00 more, Coffee Maker Pro includes a built-in grinder');
  assert.equal(
    renderTemplate('upsell', o.fields, {
      channel: 'chat',
      locale: 'en',
      currency: 'USD',
      overrides: config.templates,
    }),
    'Great choice on the Drip Coffee Maker! For just $30.00 more, the Coffee Maker Pro includes a built-in grinder. Would you like to see it?',
  );
});
