import assert from 'node:assert/strict';
import { test } from 'node:test';
import { customerHabits } from './habits.js';

test(
  '"you usually order Y with X" needs the customer to have done it at least twice, in half their X ' +
    'orders',
  () => {
    const history = [
      { day: 0, items: ['coffee', 'filters'] },
      { day: 30, items: ['coffee', 'filters', 'mug'] },
      { day: 60, items: ['coffee'] },
      { day: 61, items: ['tea'] },
    ];
    const h = customerHabits(history, ['coffee'], 70).filter((x) => x.kind === 'habit');
    assert.deepEqual(
      h.map((x) => x.id),
      ['filters'],
    );
    assert.match(h[0]!.reason, /with coffee \(2 of 3 orders\)/);
  },
);

test("reorders come due by the customer's own interval", () => {
  const history = [
    { day: 0, items: ['pods'] },
    { day: 30, items: ['pods'] },
    { day: 61, items: ['pods', 'descaler'] },
    { day: 100, items: ['tea'] },
  ];
  const due = customerHabits(history, [], 90);
  assert.equal(due[0]!.id, 'pods');
  assert.equal(due[0]!.kind, 'reorder');
  assert.match(due[0]!.reason, /every 31 days; last 29 days ago/);
  assert.equal(
    customerHabits(history, [], 70).filter((x) => x.id === 'pods').length,
    0,
    'not due yet at day 70',
  );
  assert.deepEqual(customerHabits([], ['x'], 10), [], 'no history, no habits');
});
