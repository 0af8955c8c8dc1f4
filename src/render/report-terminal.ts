import { formatMoney } from '../core/money.js';
import type { Levers } from '../core/metrics/identity.js';
import type { Report } from '../app/report.js';

const W = 100;
const line = (t: string) => `${t} ${'─'.repeat(Math.max(0, W - t.length - 1))}`;
const pct = (x: number | null | undefined, d = 2) => (x == null ? 'unknown' : `${(x * 100).toFixed(d)}%`);
const signed = (x: number | null) =>
  x == null ? '' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
const rel = (a: number | null, b: number | null) => (a != null && b ? a / b - 1 : null);

/** Word-wraps prose to the 100-column page, continuing lines under the first character of the text. */
function wrap(text: string, indent: string, hang = indent): string[] {
  const out: string[] = [];
  let cur = indent;
  for (const word of text.split(' ')) {
    if (cur.trim() && cur.length + 1 + word.length > W) {
      out.push(cur);
      cur = hang + word;
    } else cur += (cur.trim() ? ' ' : '') + word;
  }
  out.push(cur);
  return out;
}

/** The report for a terminal, aligned and readable at 100 columns. */
export function renderReport(r: Report): string {
  const m = (v: number | null | undefined) =>
    v == null ? 'unknown' : formatMoney(Math.round(v), r.currency);
  const n = (v: number | null | undefined) => (v == null ? 'unknown' : Math.round(v).toLocaleString('en-US'));
  const out: string[] = [];
  out.push(
    `Levers report ${r.windows.current.from}..${r.windows.current.to} vs ` +
      `${r.windows.previous.from}..${r.windows.previous.to}`,
  );
  out.push(
    `${r.currency}, net of discounts, refunds and ` +
      `returns${r.basis.includeShipping ? ', with shipping' : ''}${r.basis.includeTax ? ', with tax' : ''}`,
  );
  out.push('', line('Summary'), ...r.summary.flatMap((s) => wrap(s, '  ', '    ')));
  out.push('', line('Levers'));
  const row = (label: string, f: (l: Levers) => string, c: (l: Levers) => number | null) =>
    `  ${label.padEnd(22)}${f(r.current).padStart(16)}${f(r.previous).padStart(16)}${signed(rel(c(r.current), c(r.previous))).padStart(10)}`;
  out.push(`  ${''.padEnd(22)}${'current'.padStart(16)}${'previous'.padStart(16)}${'change'.padStart(10)}`);
  out.push(
    row(
      'sessions (no bots)',
      (l) => n(l.sessions),
      (l) => l.sessions,
    ),
  );
  out.push(
    row(
      'orders',
      (l) => n(l.orders),
      (l) => l.orders,
    ),
  );
  out.push(
    row(
      'CVR',
      (l) => pct(l.cvr),
      (l) => l.cvr,
    ),
  );
  out.push(
    row(
      'AOV (net)',
      (l) => m(l.aovMinor),
      (l) => l.aovMinor,
    ),
  );
  out.push(
    row(
      'AOV (gross)',
      (l) => m(l.grossAovMinor),
      (l) => l.grossAovMinor,
    ),
  );
  out.push(
    row(
      'RPS',
      (l) => m(l.rpsMinor),
      (l) => l.rpsMinor,
    ),
  );
  out.push(
    row(
      'revenue (net)',
      (l) => m(l.revenueMinor),
      (l) => l.revenueMinor,
    ),
  );
  const c = r.change.revenue;
  out.push('', line('Why revenue moved (LMDI: the parts add up to the change)'));
  // From (or to) an empty period the split is a limit of logarithms, exact but meaningless to a reader.
  const empty = !r.previous.revenueMinor || !r.current.revenueMinor;
  if (empty)
    out.push(
      `  revenue change ${m(c.total)}: the ${r.previous.revenueMinor ? 'current' : 'previous'} period has ` +
        `no revenue, so there is nothing to split`,
    );
  else
    out.push(
      `  revenue change ${m(c.total)} = ` +
        [
          c.sessions != null ? `sessions ${m(c.sessions)}` : null,
          c.orders != null ? `orders ${m(c.orders)}` : null,
          c.cvr != null ? `CVR ${m(c.cvr)}` : null,
          `AOV ${m(c.aov)}`,
        ]
          .filter(Boolean)
          .join(' + '),
    );
  if (r.change.rps && !empty)
    out.push(
      `  RPS change ${m(r.change.rps.total)} = CVR ${m(r.change.rps.cvr)} + AOV ${m(r.change.rps.aov)}`,
    );
  for (const [dim, s] of Object.entries(r.segments)) {
    out.push('', line(`By ${dim}: rate (within segments) vs mix (segment shares)`));
    for (const [metric, split] of Object.entries(s)) {
      if (!split) continue;
      const fmt = metric === 'cvr' ? (v: number) => `${(v * 100).toFixed(2)} pts` : (v: number) => m(v);
      out.push(
        `  ${metric.toUpperCase().padEnd(4)} change ${fmt(split.total).padStart(11)} = rate ` +
          `${fmt(split.rate).padStart(11)} + mix ${fmt(split.mix).padStart(11)}`,
      );
    }
    const seg = s.aov?.segments ?? s.cvr?.segments ?? [];
    for (const x of seg.slice(0, 9)) {
      const cv = s.cvr?.segments.find((y) => y.segment === x.segment);
      out.push(
        `    ${x.segment.slice(0, 24).padEnd(24)} share ${pct(cv?.share1 ?? x.share1, 1).padStart(6)} ` +
          `(${signed((cv?.share1 ?? x.share1) - (cv?.share0 ?? x.share0)).replace('%', ' pts')})` +
          `  CVR ${pct(cv?.value1 ?? null).padStart(7)}  AOV ` +
          `${m(s.aov?.segments.find((y) => y.segment === x.segment)?.value1).padStart(10)}`,
      );
    }
  }
  if (r.warnings.length)
    out.push('', line('Warnings'), ...r.warnings.flatMap((w) => wrap(`! ${w}`, '  ', '    ')));
  if (r.bots)
    out.push(
      '',
      line('Bots'),
      ...wrap(
        `${n(r.bots.byUserAgent)} sessions by user agent, ${n(r.bots.byBehaviour)} more by behaviour ` +
          `(zero-duration bursts); CVR ${pct(r.bots.cvrWithoutBots)} without them, ` +
          `${pct(r.bots.cvrWithBots)} with them`,
        '  ',
        '  ',
      ),
    );
  const b = r.basket;
  out.push('', line('Basket'));
  out.push(
    `  items per order ${b.itemsPerOrder?.toFixed(2) ?? 'unknown'}, lines per order ` +
      `${b.linesPerOrder?.toFixed(2) ?? 'unknown'}, median order ${b.histogram.median ?? '?'}, 90th ` +
      `percentile ${b.histogram.p90 ?? '?'} (${r.currency})`,
  );
  if (b.threshold != null && b.justUnder)
    out.push(
      ...wrap(
        `free shipping from ${b.threshold} (${b.thresholdSource}): ${n(b.justUnder.orders)} orders ` +
          `(${pct(b.justUnder.share, 1)}) ended within 20% below it`,
        '  ',
        '  ',
      ),
    );
  const fs = r.freeShipping;
  if (fs) {
    out.push('', line('Free-shipping threshold'));
    out.push(
      `  rule of thumb (AOV + 15–20%): ${fs.ruleOfThumb.low.toFixed(2)}–${fs.ruleOfThumb.high.toFixed(2)} ` +
        `→ ${fs.ruleOfThumb.pricePoint}`,
    );
    if (fs.best)
      out.push(
        ...wrap(
          `data-driven: ${fs.best.threshold} (current ${fs.current ?? 'none'}): ${n(fs.best.bridged)} ` +
            `orders would top up, ${n(fs.best.dropped)} would drop, ${n(fs.best.gained)} won back; profit ` +
            `${fs.best.profitChange >= 0 ? '+' : ''}${fs.best.profitChange.toFixed(0)} ${r.currency} in ` +
            `the period` +
            (fs.best.profitChangePerSession != null
              ? ` (${(fs.best.profitChangePerSession).toFixed(4)} per session)`
              : ''),
          '  ',
          '    ',
        ),
      );
    out.push(
      ...wrap(
        `assumptions: band ${fs.assumptions.band * 100}% below, top-up chance ` +
          `${fs.assumptions.bridgeAtThreshold * 100}% at the threshold, ` +
          `${fs.assumptions.abandonWhenCharged * 100}% lost when charged, fee ` +
          `${fs.assumptions.fee.toFixed(2)}, margin ${fs.assumptions.margin == null ? 'unknown (revenue)' : pct(fs.assumptions.margin, 1)}`,
        '  ',
        '    ',
      ),
    );
  }
  const cu = r.customers;
  out.push('', line('Customers'));
  out.push(
    `  ${n(cu.customers)} customers, repeat rate ${pct(cu.repeatRate, 1)}, ` +
      `${cu.frequency?.toFixed(2) ?? '?'} orders each, lifespan ≈ ${cu.lifespan?.toFixed(2) ?? '?'} cycles`,
  );
  out.push(
    `  historic LTV ` +
      `${m(cu.ltvMinor)}${cu.ltvWithMargin ? ' (gross margin)' : ' (revenue: margin unknown)'}${cu.ltvToCac != null ? `, LTV:CAC ${cu.ltvToCac.toFixed(1)}:1 (rule of thumb 3:1)` : ''}`,
  );
  out.push(
    cu.norm
      ? `  repeat rate is ${cu.norm.position} the ${cu.norm.category} norm of ` +
          `${pct(cu.norm.low, 0)}–${pct(cu.norm.high, 0)}`
      : `  repeat rate matches the norms of: ` +
          `${cu.matchingCategories.join(', ') || 'no category (pass --category)'}`,
  );
  if (r.clv) {
    const bg = r.clv.bgnbd.params;
    out.push(
      ...wrap(
        `BG/NBD r ${bg.r.toFixed(3)} α ${bg.alpha.toFixed(3)} a ${bg.a.toFixed(3)} b ${bg.b.toFixed(3)}; ` +
          (r.clv.holdout
            ? `after ${r.clv.calibrationEnd}: predicted ${r.clv.holdout.predictedRepeats.toFixed(0)} ` +
              `repeat purchases, actual ${n(r.clv.holdout.actualRepeats)}`
            : ''),
        '  ',
        '    ',
      ),
    );
  }
  if (r.offers) {
    const o = r.offers;
    out.push('', line('Offers'));
    out.push(`  ${n(o.shown)} shown, ${n(o.accepted)} accepted (${pct(o.acceptanceRate, 1)})`);
    for (const t of o.byType) {
      out.push(
        `    ${t.type.padEnd(24)} ${n(t.shown).padStart(8)} shown` +
          (t.accepted + t.declined
            ? `, ${n(t.accepted).padStart(7)} accepted (${pct(t.acceptanceRate, 1)})`
            : ', shown only (nothing to accept)'),
      );
    }
    if (o.treatment && o.holdout)
      out.push(
        ...wrap(
          `sessions: ${n(o.treatment.sessions)} treated, ${n(o.holdout.sessions)} in the holdout`,
          '  ',
          '    ',
        ),
      );
    if (o.treatment && o.holdout)
      out.push(
        ...wrap(
          `treated vs holdout: RPS ${m(o.treatment.rpsMinor)} vs ${m(o.holdout.rpsMinor)} ` +
            `(${o.rpsLift == null ? 'no lift: the holdout has no revenue' : signed(o.rpsLift)}), AOV ` +
            `${m(o.treatment.aovMinor)} vs ${m(o.holdout.aovMinor)}, CVR ${pct(o.treatment.cvr)} vs ` +
            `${pct(o.holdout.cvr)}`,
          '  ',
          '    ',
        ),
      );
    if (o.caution) out.push(...wrap(`caution: ${o.caution}`, '  ', '    '));
  }
  const d = r.diagnosis;
  out.push('', line('Diagnosis'));
  out.push(
    ...wrap(`phase: ${d.phase} (${d.phaseEvidence})`, '  ', '    '),
    ...wrap(`weakest lever: ${d.weakestLever ?? 'unknown'} (${d.weakestEvidence})`, '  ', '    '),
    '  next:',
  );
  for (const [i, t] of d.tactics.entries()) {
    out.push(...wrap(`${i + 1}. ${t.tactic}`, '   ', '      '), ...wrap(`because ${t.why}`, '      '));
  }
  if (r.unknown.length)
    out.push('', line('Unknown'), ...r.unknown.flatMap((u) => wrap(`- ${u}`, '  ', '    ')));
  return out.join('\n');
}
