import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ROOT } from '../../../test/helpers.js';
import { compare, unitsNeeded } from './compare.js';
import { meanOf, ratioOf, totalOf, type UnitSums } from './estimate.js';
import { normalCdf, normalQuantile } from './normal.js';

/**
 * Golden figures from an independent implementation (numpy's covariance and the delta-method gradient, ' +
 * 'scipy's normal quantiles) on per-session orders and revenue of two simulated groups:
 * test/golden/stats-cases.json names its source.
 */
const g = JSON.parse(readFileSync(join(ROOT, 'test', 'golden', 'stats-cases.json'), 'utf8'));
const close = (a: number, b: number, tol: number, what: string) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${what}: ${a} vs ${b}`);

function sums(x: number[], y: number[]): UnitSums {
  const s = { n: x.length, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 };
  x.forEach((v, i) => {
    const w = y[i]!;
    s.sx += v;
    s.sxx += v * v;
    s.sy += w;
    s.syy += w * w;
    s.sxy += v * w;
  });
  return s;
}
const ones = (n: number) => new Array<number>(n).fill(1);

test('normal quantiles and distribution function match scipy', () => {
  close(normalQuantile(0.975), g.normal.q975, 1e-12, 'q .975');
  close(normalQuantile(0.8), g.normal.q80, 1e-12, 'q .8');
  close(normalQuantile(0.999), g.normal.q999, 1e-12, 'q .999');
  close(normalQuantile(0.0001), g.normal.q0001, 1e-12, 'q .0001');
  close(normalCdf(1.96), g.normal.cdf196, 1e-7, 'cdf 1.96');
  close(normalCdf(-2.5), g.normal.cdfm25, 1e-7, 'cdf -2.5');
});

test(
  'CVR, RPS (means per session) and AOV (ratio, delta method) with their changes match numpy to ' + '1e-6',
  () => {
    const side = (k: 'before' | 'after') => g.groups[k] as { orders: number[]; revenue: number[] };
    const est = {
      cvr: (k: 'before' | 'after') => meanOf(sums(side(k).orders, ones(side(k).orders.length)))!,
      rps: (k: 'before' | 'after') => meanOf(sums(side(k).revenue, ones(side(k).revenue.length)))!,
      aov: (k: 'before' | 'after') => ratioOf(sums(side(k).revenue, side(k).orders))!,
    };
    for (const m of ['cvr', 'rps', 'aov'] as const) {
      const [b, a] = [est[m]('before'), est[m]('after')];
      close(b.value, g[m].before[0], 1e-9, `${m} before`);
      close(b.variance, g[m].before[1], 1e-6, `${m} variance before`);
      close(a.variance, g[m].after[1], 1e-6, `${m} variance after`);
      const c = compare(b, a);
      const [d, lo, hi] = g[m].absolute;
      close(c.absolute.value, d, 1e-9, `${m} Δ`);
      close(c.absolute.low, lo, 1e-6, `${m} Δ low`);
      close(c.absolute.high, hi, 1e-6, `${m} Δ high`);
      const [r, rlo, rhi, mde] = g[m].relative;
      close(c.relative!.value, r, 1e-9, `${m} relative`);
      close(c.relative!.low, rlo, 1e-6, `${m} relative low`);
      close(c.relative!.high, rhi, 1e-6, `${m} relative high`);
      close(c.mde!, mde, 1e-6, `${m} MDE`);
      assert.equal(c.detectable, lo > 0 || hi < 0);
    }
  },
);

test(
  'edge cases: too few units, no orders, no change; totals; units needed scales with the square of the ' +
    'ratio',
  () => {
    assert.equal(meanOf({ n: 1, sx: 1, sxx: 1, sy: 1, syy: 1, sxy: 1 }), null);
    assert.equal(
      ratioOf({ n: 10, sx: 0, sxx: 0, sy: 0, syy: 0, sxy: 0 }),
      null,
      'AOV of no orders is unknown, not 0 or NaN',
    );
    const flat = meanOf(sums([1, 1, 1, 1], ones(4)))!;
    assert.equal(flat.variance, 0);
    const same = compare(flat, flat);
    assert.equal(same.detectable, false);
    const zero = compare(meanOf(sums([0, 0, 0], ones(3)))!, flat);
    assert.equal(zero.relative, null, 'no relative change from zero');
    const t = totalOf(sums([2, 4, 6], ones(3)))!;
    assert.deepEqual([t.value, t.variance], [12, 3 * 4]);
    assert.equal(unitsNeeded(1000, 0.2, 0.1), 4000);
  },
);
