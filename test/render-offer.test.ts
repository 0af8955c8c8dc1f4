import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { cli, cliJson, ROOT, tempDir } from './helpers.js';

// A store holding only the golden decide snapshot: render-offer reads the model, never the database.
const dir = tempDir('levers-render-offer-');
mkdirSync(join(dir, 'models'));
copyFileSync(join(ROOT, 'test', 'golden', 'decide-model.json'), join(dir, 'models', 'recs.json'));
const keys = {
  publishableKeys: ['pk_test_0123456789abcdef'],
  secretKeys: ['sk_test_0123456789abcdef01234567'],
};
const config = (offers: unknown) => {
  const f = join(dir, `config-${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(f, JSON.stringify({ ...keys, offers }));
  return f;
};
after(() => rmSync(dir, { recursive: true, force: true }));
/** levers render-offer --channel email on the store above, with these flags. */
const email = (...flags: string[]) => ['--store', dir, 'render-offer', '--channel', 'email', ...flags];

test('render-offer --channel email: the post-purchase and cart-recovery offers as HTML and text, files with --out', async () => {
  const out = join(dir, 'mail');
  const r = await cli(
    email('--cart', 'maker,beans', '--link', 'https://shop.example/orders/1?a=1&b=2', '--out', out),
  );
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^post-purchase: post-purchase:mug → /m);
  assert.match(r.stdout, /^cart-recovery: cart-recovery:\S+ → /m);
  const text = readFileSync(join(out, 'post-purchase.txt'), 'utf8');
  assert.match(
    text,
    /^Thank you for your order\. Customers who bought the same often add Ceramic Mug \(\$12\.00\)\./,
  );
  assert.match(text, /^- Ceramic Mug: \$12\.00$/m);
  const html = readFileSync(join(out, 'post-purchase.html'), 'utf8');
  assert.match(html, /^<!doctype html>/);
  assert.match(html, /href="https:\/\/shop\.example\/orders\/1\?a=1&amp;b=2"/, 'the link is escaped');
  assert.doesNotMatch(html, /<style|<script/, 'inline styles only, no script');
  assert.equal(
    readFileSync(join(out, 'cart-recovery.subject.txt'), 'utf8'),
    'Your cart is waiting for you\n',
  );
});

test('render-offer: the operator email template and the store currency (JPY), in JSON', async () => {
  const f = config({
    currency: 'JPY',
    holdoutShare: 0,
    templates: { en: { email: { 'post-purchase': 'Thanks! {product} is only {price} more.' } } },
  });
  const r = await cliJson(email('--cart', 'maker', '--offer', 'post-purchase', '--config', f));
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.json.length, 1);
  assert.equal(r.json[0].email.text.split('\n')[0], 'Thanks! Ceramic Mug is only ¥1,200 more.');
});

test('render-offer: a customer in the holdout gets no offer in the mail either; bad flags say what to fix', async () => {
  const f = config({ holdoutShare: 0.5 });
  const r = await cli(email('--cart', 'maker', '--config', f, '--customer', 'h2'));
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stdout, /^post-purchase: no offer \(HOLDOUT: /m);
  const bad = await cli(['--store', dir, 'render-offer', '--channel', 'sms', '--cart', 'maker']);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--channel: must be email/);
  const ghost = await cli(email('--cart', 'ghost'));
  assert.match(ghost.stderr, /--cart: ghost is not a product of the model snapshot with a price/);
  const template = config({ templates: { en: { email: { 'cart-recovery': 'Come back for {produkt}' } } } });
  const t = await cli(email('--cart', 'maker', '--config', template));
  assert.notEqual(t.code, 0);
  assert.match(t.stderr, /templates\.en\.email\.cart-recovery uses \{produkt\}/);
});
