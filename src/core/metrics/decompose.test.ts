import assert from 'node:assert/strict';
import { test } from 'node:test';
import { lmdi, logMean } from './decompose.js';
import { rateMixSplit } from './segments.js';

function lcg(seed: number) {
  let x = seed;
  return () => (x = (x * 1103515245 + 12345) % 2147483648) / 2147483648;
}

test('LMDI parts add up exactly to the revenue change (property, 10,000 random cases)', () => {
  const rnd = lcg(42);
  for (let i = 0; i < 10_000; i++) {
    const f0 = [1 + rnd() * 100_000, rnd() * 0.1, 1 + rnd() * 50_000];
    const f1 = f0.map((v) => v * (0.2 + rnd() * 2));
    if (i % 50 === 0) f1[1] = 0; // a period with no orders
    const r = lmdi(f0, f1);
    const change = f1.reduce((p, v) => p * v, 1) - f0.reduce((p, v) => p * v, 1);
    assert.equal(r.total, change);
    const sum = r.parts.reduce((s, p) => s + p, 0);
    assert.ok(
      Math.abs(sum - change) <= 1e-9 * Math.max(1, Math.abs(change)),
      `case ${i}: ${sum} vs ${change}`,
    );
  }
});

test('LMDI gives each lever its log share of the change', () => {
  // Sessions +10%, CVR −10%, AOV unchanged: two equal and opposite parts, AOV none.
  const r = lmdi([1000, 0.02, 50], [1100, 0.018, 50]);
  assert.ok(Math.abs(r.parts[0]! + r.parts[1]!) - Math.abs(r.total) < 1e-9);
  assert.equal(r.parts[2], 0);
  assert.ok(r.parts[0]! > 0 && r.parts[1]! < 0);
  assert.equal(logMean(2, 2), 2);
  assert.ok(Math.abs(logMean(1, Math.E) - (Math.E - 1)) < 1e-12);
});

test('rate + mix = change, exactly; a shift to a cheaper segment is mix, not rate', () => {
  // Desktop AOV 80, mobile 50, unchanged; mobile share of orders rises from 40% to 70%.
  const pts = [
    { segment: 'desktop', weight0: 600, value0: 80, weight1: 300, value1: 80 },
    { segment: 'mobile', weight0: 400, value0: 50, weight1: 700, value1: 50 },
  ];
  const m0 = 0.6 * 80 + 0.4 * 50;
  const m1 = 0.3 * 80 + 0.7 * 50;
  const s = rateMixSplit(pts, m0, m1);
  assert.ok(Math.abs(s.rate) < 1e-12);
  assert.ok(Math.abs(s.mix - (m1 - m0)) < 1e-12);
  // No segment fell, yet the total did: the brief's "AOV falls only because the mobile share rose".
  assert.equal(s.againstEverySegment, true);
  const real = rateMixSplit(
    [
      { segment: 'desktop', weight0: 600, value0: 80, weight1: 600, value1: 70 },
      { segment: 'mobile', weight0: 400, value0: 50, weight1: 400, value1: 45 },
    ],
    m0,
    0.6 * 70 + 0.4 * 45,
  );
  assert.equal(real.againstEverySegment, false);
  // Both segments up 2%, total down: flagged.
  const up = [
    { segment: 'desktop', weight0: 600, value0: 80, weight1: 300, value1: 81.6 },
    { segment: 'mobile', weight0: 400, value0: 50, weight1: 700, value1: 51 },
  ];
  const t1 = 0.3 * 81.6 + 0.7 * 51;
  const s2 = rateMixSplit(up, m0, t1);
  assert.ok(s2.rate > 0 && s2.mix < 0);
  assert.ok(Math.abs(s2.rate + s2.mix - (t1 - m0)) < 1e-9);
  assert.equal(s2.againstEverySegment, true);
});

test('rate + mix = change for random segment sets (property)', () => {
  const rnd = lcg(7);
  for (let i = 0; i < 2000; i++) {
    const n = 1 + Math.floor(rnd() * 6);
    const pts = Array.from({ length: n }, (_, k) => ({
      segment: String(k),
      weight0: rnd() < 0.1 ? 0 : 1 + rnd() * 1000,
      value0: rnd() * 100,
      weight1: rnd() < 0.1 ? 0 : 1 + rnd() * 1000,
      value1: rnd() * 100,
    }));
    const avg = (w: 'weight0' | 'weight1', v: 'value0' | 'value1', o: 'value0' | 'value1') => {
      const tw = pts.reduce((s, p) => s + p[w], 0);
      return tw ? pts.reduce((s, p) => s + p[w] * (p[w] > 0 ? p[v] : p[o]), 0) / tw : 0;
    };
    const m0 = avg('weight0', 'value0', 'value1');
    const m1 = avg('weight1', 'value1', 'value0');
    const s = rateMixSplit(pts, m0, m1);
    assert.ok(Math.abs(s.rate + s.mix - (m1 - m0)) < 1e-9, `case ${i}`);
  }
});
