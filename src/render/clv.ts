import type { ClvRun } from '../app/clv.js';
import { int, money, table } from './format.js';

export function renderClv(r: ClvRun, limit: number): string {
  const b = r.bgnbd.params;
  const rows: [string, string][] = [
    [
      'customers',
      `${int(r.customers)} (${int(r.repeaters)} repeat buyers), calibration to ${r.calibrationEnd}`,
    ],
    [
      'BG/NBD',
      `r ${b.r.toFixed(4)}, alpha ${b.alpha.toFixed(4)}, a ${b.a.toFixed(4)}, b ${b.b.toFixed(4)}, ` +
        `log-likelihood ${r.bgnbd.logLik.toFixed(3)}`,
    ],
  ];
  if (r.gammaGamma) {
    const g = r.gammaGamma.params;
    rows.push([
      'Gamma-Gamma',
      `p ${g.p.toFixed(4)}, q ${g.q.toFixed(4)}, gamma ${g.gamma.toFixed(4)}, log-likelihood ` +
        `${r.gammaGamma.logLik.toFixed(3)} (${int(r.gammaGamma.n)} repeaters)`,
    ]);
  } else rows.push(['Gamma-Gamma', 'not fitted: fewer than 10 repeat buyers with spend']);
  if (r.holdout) {
    rows.push([
      'holdout',
      `${r.holdout.weeks.toFixed(1)} weeks to ${r.dataEnd}: predicted ` +
        `${int(Math.round(r.holdout.predictedRepeats))} repeat purchases, actual ${int(r.holdout.actualRepeats)}`,
    ]);
  }
  rows.push([
    'margin',
    r.margin == null
      ? 'unknown: CLV below is revenue (pass --margin)'
      : `${(r.margin * 100).toFixed(1)}% (${r.marginSource})`,
  ]);
  rows.push([
    'time',
    `${r.fitSeconds.toFixed(2)} s to fit both models, ${r.totalSeconds.toFixed(2)} s with tracking and CLV`,
  ]);
  const top = r.values
    .slice(0, limit)
    .map(
      (v) =>
        `  ${v.customerId.padEnd(12)} ${String(v.x).padStart(4)} ` +
        `${v.probabilityAlive.toFixed(3).padStart(8)} ` +
        `${v.expectedPurchases.toFixed(2).padStart(9)} ` +
        `${money(v.expectedSpendMinor, r.currency).padStart(12)} ` +
        `${money(v.clvMinor, r.currency).padStart(12)}`,
    );
  const head =
    `  ${'customer'.padEnd(12)} ${'x'.padStart(4)} ${'P(alive)'.padStart(8)} ` +
    `${'purchases'.padStart(9)} ${'spend/order'.padStart(12)} ${'CLV'.padStart(12)}`;
  return [
    `Customer lifetime value (${r.currency})`,
    table(rows),
    '',
    `Top ${limit} by CLV`,
    head,
    ...top,
  ].join('\n');
}
