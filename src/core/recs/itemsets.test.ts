import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SHARED_DATA, SKIP_NO_DATA } from '../../../test/helpers.js';
import { basketCount, encodeBaskets } from './baskets.js';
import { frequentItemsets, singleConsequentRules } from './itemsets.js';

const FILE = join(SHARED_DATA, 'groceries', 'groceries_baskets.csv');
const skip = SKIP_NO_DATA || !existsSync(FILE);
const groceries = () =>
  encodeBaskets(
    readFileSync(FILE, 'utf8')
      .trim()
      .split('\n')
      .map((l) => l.split(',')),
  );
const byLength = (sets: { items: unknown[] }[]) => {
  const out: number[] = [];
  for (const s of sets) out[s.items.length - 1] = (out[s.items.length - 1] ?? 0) + 1;
  return out;
};

test('Groceries: 9,835 baskets, 169 items, 43,367 occurrences, the reference item supports', { skip }, () => {
  const b = groceries();
  assert.equal(basketCount(b), 9835);
  assert.equal(b.names.length, 169);
  assert.equal(b.items.length, 43367);
  const support = (name: string) => (b.itemCounts[b.names.indexOf(name)]! / 9835).toFixed(6);
  assert.equal(support('whole milk'), '0.255516');
  assert.equal(support('other vegetables'), '0.193493');
  assert.equal(support('rolls/buns'), '0.183935');
});

test('Groceries: the same frequent itemsets as mlxtend and arules', { skip }, () => {
  const b = groceries();
  assert.equal(frequentItemsets(b, 0.01).length, 333);
  assert.equal(frequentItemsets(b, 0.005).length, 1001);
  const all = frequentItemsets(b, 0.001);
  assert.equal(all.length, 13492);
  assert.deepEqual(byLength(all), [157, 2981, 6831, 3137, 376, 10]);
  assert.deepEqual(byLength(frequentItemsets(b, 0.001, 3)), [157, 2981, 6831]);
});

test('Groceries: the same single-consequent rules as the reference miners', { skip }, () => {
  const b = groceries();
  const rules = singleConsequentRules(frequentItemsets(b, 0.001), 9835, 0.5);
  assert.equal(rules.length, 5668);
  const lengths: number[] = [];
  for (const r of rules) lengths[r.antecedent.length + 1] = (lengths[r.antecedent.length + 1] ?? 0) + 1;
  assert.deepEqual(lengths.slice(2), [11, 1461, 3211, 939, 46]);
  const top = rules[0]!;
  assert.equal(top.lift.toFixed(4), '18.9957');
  assert.deepEqual(top.antecedent.map((i) => b.names[i]).sort(), ['Instant food products', 'soda']);
  assert.equal(b.names[top.consequent], 'hamburger meat');
  assert.equal(Math.min(...rules.map((r) => r.lift)).toFixed(4), '1.9568');
  const r01 = singleConsequentRules(frequentItemsets(b, 0.01), 9835, 0.5);
  assert.equal(r01.length, 15);
  const t = r01.sort((x, y) => y.confidence - x.confidence)[0]!;
  assert.deepEqual(t.antecedent.map((i) => b.names[i]).sort(), ['citrus fruit', 'root vegetables']);
  assert.equal(b.names[t.consequent], 'other vegetables');
  assert.deepEqual(
    [t.support.toFixed(6), t.confidence.toFixed(6), t.lift.toFixed(6)],
    ['0.010371', '0.586207', '3.029608'],
  );
});
