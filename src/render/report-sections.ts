import type { Report } from '../app/report.js';
import { roundParts } from '../core/metrics/decompose.js';
import type { Levers } from '../core/metrics/identity.js';
import { MIN_ORDERS_FOR_AOV } from '../core/metrics/uncertainty.js';
import { currencyExponent, formatMoney } from '../core/money.js';
import type { ResponseValue } from '../core/metrics/shipping-response.js';
import type { Change } from '../core/stats/compare.js';
import { signed } from '../core/signed.js';

/**
 * The report as a document: sections of text, tables and lists, written once and drawn by the terminal renderer and
 * the HTML renderer alike, so the page shows everything the terminal does. Every number is formatted here; an unknown
 * is said as unknown, never as NaN, 0 or an empty cell.
 */
export type Block =
  | { kind: 'text'; text: string }
  | { kind: 'warn'; text: string }
  | { kind: 'list'; items: string[]; numbered?: boolean }
  | { kind: 'table'; head: string[]; rows: string[][]; align: ('l' | 'r')[] };

export interface Section {
  id: string;
  title: string;
  blocks: Block[];
  /** Charts drawn with this section (HTML), by id. */
  charts?: string[];
}

const num = (v: number | null | undefined) =>
  v == null || !Number.isFinite(v) ? 'unknown' : Math.round(v).toLocaleString('en-US');
const pct = (x: number | null | undefined, d = 2) =>
  x == null || !Number.isFinite(x) ? 'unknown' : `${(x * 100).toFixed(d)}%`;
const sPct = (x: number) => `${signed(x * 100)}%`;

/** The change column and its interval: relative for most levers, points for conversion. */
export function changeCells(c: Change | null | undefined, points = false, tooFew = false): [string, string] {
  if (!c) return tooFew ? ['', `under ${MIN_ORDERS_FOR_AOV} orders: no interval`] : ['', ''];
  if (points) {
    const a = c.absolute;
    return [
      `${signed(a.value * 100, 2)} pts`,
      `${signed(a.low * 100, 2)} to ${signed(a.high * 100, 2)} pts${c.detectable ? '' : ' (noise)'}`,
    ];
  }
  if (!c.relative) return ['', ''];
  const r = c.relative;
  return [sPct(r.value), `${sPct(r.low)} to ${sPct(r.high)}${c.detectable ? '' : ' (noise)'}`];
}

/** The top-up response as chances a shopper reads: right under the threshold, and half-way down the band. */
function topUpLine(b: ResponseValue, band: number): string {
  const at = (B: number) => pct(Math.min(1, B), 0);
  const half = (B: number) => pct(Math.min(1, B / 2), 0);
  const ci = b.low != null && b.high != null ? ` (95% CI ${half(b.low)}–${half(b.high)})` : '';
  const how = b.source === 'data' ? 'measured' : b.source === 'option' ? 'given' : 'assumed';
  return (
    `top-up: ${at(b.value)} of carts just under the threshold, ${half(b.value)}${ci} of those ` +
    `${pct(band / 2, 0)} under it; ${how}: ${b.basis}`
  );
}

/** One line per offer experiment in the window: verdict code and words, the RPS lift with its interval, SRM. */
function experimentBlocks(r: Report): Block[] {
  const ex = r.experiments;
  const blocks: Block[] = [];
  if (ex.note) blocks.push({ kind: 'text', text: ex.note });
  const p = (x: number) => (x >= 0.001 ? x.toFixed(3) : x.toExponential(1));
  if (ex.rows.length)
    blocks.push({
      kind: 'list',
      items: ex.rows.map((x) => {
        const who = x.variant ? `${x.experiment} ${x.variant} vs ${x.control}` : x.experiment;
        const range = (name: string, l: { value: number; low: number; high: number } | null) =>
          l ? `${name} ${sPct(l.value)} (${sPct(l.low)} to ${sPct(l.high)})` : `${name} lift unknown`;
        const lift =
          x.primary === 'profit'
            ? `${range('profit per session', x.profitLift)}, ${range('RPS', x.rpsLift)}`
            : range('RPS', x.rpsLift);
        const srm = x.srm
          ? x.srm.flagged
            ? `SRM MISMATCH (p = ${p(x.srm.p)}): verdict withheld`
            : `SRM passed (p = ${p(x.srm.p)})`
          : 'SRM unknown';
        return `${who} (${x.window.from}..${x.window.to}): ${x.verdict.code}: ${x.verdict.text}; ${lift}; ${srm}`;
      }),
    });
  // The global holdout's comparison is the Offers section's: said once, pointed to here.
  if (r.offers?.treatment && r.offers.holdout)
    blocks.push({
      kind: 'text',
      text: 'the global holdout (personalised offers against none) is compared in Offers above',
    });
  return blocks;
}

export function reportSections(r: Report): Section[] {
  const m = (v: number | null | undefined) =>
    v == null || !Number.isFinite(v) ? 'unknown' : formatMoney(Math.round(v), r.currency);
  const out: Section[] = [];
  out.push({
    id: 'summary',
    title: 'Summary',
    blocks: [{ kind: 'list', items: r.summary }],
    charts: ['trend'],
  });

  const ch = r.changes;
  const prev = r.previous;
  const row = (label: string, f: (l: Levers) => string, c?: Change | null, points = false): string[] => [
    label,
    f(r.current),
    prev ? f(prev) : '',
    ...changeCells(c, points),
  ];
  const totals = r.windows.totalsComparable;
  out.push({
    id: 'levers',
    title: 'Levers (95% intervals; "noise" where the interval covers no change)',
    blocks: [
      {
        kind: 'table',
        head: ['', 'current', 'previous', 'change', '95% interval'],
        align: ['l', 'r', 'r', 'r', 'r'],
        rows: [
          row('sessions (no bots)', (l) => num(l.sessions), totals ? ch?.sessions : null),
          row('orders', (l) => num(l.orders)),
          row('CVR', (l) => pct(l.cvr), ch?.cvr, true),
          [
            ...row('AOV (net)', (l) => m(l.aovMinor)).slice(0, 3),
            ...changeCells(
              ch?.aov,
              false,
              prev != null &&
                prev.aovMinor != null &&
                r.current.aovMinor != null &&
                Math.min(prev.orders, r.current.orders) < MIN_ORDERS_FOR_AOV,
            ),
          ],
          row('AOV (gross)', (l) => m(l.grossAovMinor)),
          row('RPS', (l) => m(l.rpsMinor), ch?.rps),
          row('revenue (net)', (l) => m(l.revenueMinor), totals ? ch?.revenue : null),
        ],
      },
    ],
  });

  const why: Block[] = [];
  const sp = r.split.revenue;
  if (sp) {
    const parts = Object.entries(sp.shown.parts).map(
      ([k, v]) => `${k === 'cvr' ? 'CVR' : k === 'aov' ? 'AOV' : k} ${m(v)}`,
    );
    why.push({ kind: 'text', text: `revenue change ${m(sp.shown.total)} = ${parts.join(' + ')}` });
  }
  if (r.split.rps) {
    why.push({
      kind: 'text',
      text: `RPS change ${m(r.split.rps.shown.total)} = CVR ${m(r.split.rps.shown.parts.cvr)} + AOV ${m(r.split.rps.shown.parts.aov)}`,
    });
  }
  if (!why.length) why.push({ kind: 'text', text: 'nothing to split: see Unknown below for why' });
  if (ch?.rps && !ch.rps.detectable && ch.rps.mde != null) {
    why.push({
      kind: 'text',
      text: `the RPS change is within noise: at this traffic a change under ±${(ch.rps.mde * 100).toFixed(1)}% cannot be told from chance (80% power)`,
    });
  }
  out.push({
    id: 'why',
    title: 'Why revenue moved (LMDI: the parts add up to the change)',
    blocks: why,
    charts: ['waterfall'],
  });

  for (const [dim, s] of Object.entries(r.segments)) {
    const blocks: Block[] = [];
    for (const [metric, split] of [
      ['CVR', s.cvr],
      ['AOV', s.aov],
      ['RPS', s.rps],
    ] as const) {
      if (!split) continue;
      // Shown in whole units of what is printed (cents, or hundredths of a point), rounded so that they add up.
      const unit = metric === 'CVR' ? 10_000 : 1;
      const shown = roundParts(split.total * unit, [split.rate * unit, split.mix * unit]);
      const f = metric === 'CVR' ? (v: number) => `${(v / 100).toFixed(2)} pts` : (v: number) => m(v);
      blocks.push({
        kind: 'text',
        text: `${metric} change ${f(shown.total)} = rate ${f(shown.parts[0]!)} + mix ${f(shown.parts[1]!)}`,
      });
    }
    const segs = s.aov?.segments ?? s.cvr?.segments ?? [];
    const rows = segs.slice(0, 9).map((x) => {
      const cv = s.cvr?.segments.find((y) => y.segment === x.segment);
      const c = s.changes.find((y) => y.segment === x.segment);
      const share = cv ?? x;
      return [
        x.segment.slice(0, 24),
        pct(share.share1, 1),
        `${signed((share.share1 - share.share0) * 100)} pts`,
        pct(cv?.value1 ?? null),
        changeCells(c?.cvr, true)[1] || '',
        m(s.aov?.segments.find((y) => y.segment === x.segment)?.value1),
        changeCells(c?.aov)[1] || '',
      ];
    });
    if (rows.length) {
      blocks.push({
        kind: 'table',
        head: [dim, 'share', 'share change', 'CVR', 'CVR change (95%)', 'AOV', 'AOV change (95%)'],
        align: ['l', 'r', 'r', 'r', 'r', 'r', 'r'],
        rows,
      });
    }
    // Nothing to compare (no earlier period, or no segment in both): no empty heading.
    if (!blocks.length) continue;
    out.push({
      id: `segments-${dim}`,
      title: `By ${dim}: rate (within segments) vs mix (segment shares)`,
      blocks,
      charts: [`segments-${dim}`],
    });
  }
  if (r.warnings.length)
    out.push({
      id: 'warnings',
      title: 'Warnings',
      blocks: r.warnings.map((w) => ({ kind: 'warn', text: w })),
    });

  if (r.bots) {
    const b = r.bots;
    const left = b.ordersLeftOut
      ? `; ${num(b.ordersLeftOut)} orders placed by bot user agents (${m(b.revenueLeftOutMinor)}) are left out of orders and revenue`
      : '';
    out.push({
      id: 'bots',
      title: 'Bots',
      blocks: [
        {
          kind: 'text',
          text:
            `${num(b.byUserAgent)} sessions by user agent, ${num(b.byBehaviour)} more by ` +
            `behaviour (zero-second visits without an order); CVR ${pct(b.cvrWithoutBots)} without them, ${pct(b.cvrWithBots)} with them${left}`,
        },
      ],
    });
  }

  const bk = r.basket;
  const basket: Block[] = [
    {
      kind: 'text',
      text:
        `items per order ${bk.itemsPerOrder?.toFixed(2) ?? 'unknown'}, lines per order ` +
        `${bk.linesPerOrder?.toFixed(2) ?? 'unknown'}, median order ${bk.histogram.median ?? 'unknown'}, 90th percentile ${bk.histogram.p90 ?? 'unknown'} (${r.currency}, whole units)`,
    },
  ];
  if (bk.threshold != null && bk.justUnder) {
    basket.push({
      kind: 'text',
      text:
        `free shipping from ${bk.threshold} ${r.currency} (${bk.thresholdSource}): ${num(bk.justUnder.orders)} orders ` +
        `(${pct(bk.justUnder.share, 1)}) ended within 20% below it`,
    });
  }
  out.push({ id: 'basket', title: 'Basket', blocks: basket, charts: ['histogram'] });

  const fs = r.freeShipping;
  if (fs) {
    const blocks: Block[] = [
      {
        kind: 'text',
        text: `rule of thumb (AOV + 15–20%): ${fs.ruleOfThumb.low.toFixed(2)}–${fs.ruleOfThumb.high.toFixed(2)} → ${fs.ruleOfThumb.pricePoint} ${r.currency}`,
      },
    ];
    const major = (x: number) => {
      const minor = Math.round(x * 10 ** currencyExponent(r.currency));
      return `${minor < 0 ? '−' : '+'}${formatMoney(Math.abs(minor), r.currency)}`;
    };
    const what = fs.basis === 'profit' ? 'profit' : 'revenue (no margin known: not profit)';
    if (fs.best) {
      const ps = fs.best.profitChangePerSession;
      // A gain that rounds to zero per session is said as under one minor unit, never as +$0.00.
      const unit = 10 ** -currencyExponent(r.currency);
      const per =
        ps == null
          ? ''
          : Math.abs(ps) < unit / 2
            ? ` (under ${formatMoney(1, r.currency)} per session)`
            : ` (${major(ps)} per session)`;
      const range = fs.bestRange
        ? `; ${major(fs.bestRange.low)} to ${major(fs.bestRange.high)} over the response's intervals`
        : '; the response is assumed, so is this figure';
      blocks.push({
        kind: 'text',
        text:
          `data-driven: ${fs.best.threshold} (current ${fs.current ?? 'none'}): ${num(fs.best.bridged)} orders would top up, ` +
          `${num(fs.best.dropped)} would drop, ${num(fs.best.gained)} won back; ${what} ` +
          `${major(fs.best.profitChange)} in the period${per}${range}`,
      });
    }
    const rv = (label: string, v: ResponseValue) =>
      `${label} ${pct(v.value, 1)}` +
      (v.low != null && v.high != null ? ` (95% CI ${pct(v.low, 1)}–${pct(v.high, 1)})` : '') +
      ` ${v.source === 'data' ? 'measured' : v.source === 'option' ? 'given' : 'assumed'}: ${v.basis}`;
    const a = fs.assumptions;
    blocks.push({
      kind: 'list',
      items: [
        topUpLine(fs.response.bridgeAtThreshold, fs.response.band.value),
        rv('orders lost when shipping is charged', fs.response.abandonWhenCharged),
        rv('carts that consider topping up: within', fs.response.band),
        `a top-up lands ${fs.response.overshoot.value.toFixed(2)} past the threshold on average; ` +
          `${fs.response.overshoot.source === 'data' ? 'measured' : 'assumed'}: ${fs.response.overshoot.basis}`,
        fs.latent.source === 'events'
          ? `carts behind today's orders measured: ${num(fs.latent.toppedUpOrders)} orders that topped up through the progress bar counted at their carts before the top-up`
          : "carts behind today's orders modelled from the top-up strength (no order topped up through the progress bar)",
        `fee ${a.fee.toFixed(2)}, margin ${a.margin == null ? 'unknown (figures are revenue)' : pct(a.margin, 1)}` +
          (a.marginByValue
            ? ' store-wide; each cart value priced at the margin its carts leave after discounts and refunds'
            : ''),
        ...(a.margin == null ? [] : [rv('margin on what a top-up adds', fs.response.topUpMargin)]),
      ],
    });
    out.push({ id: 'free-shipping', title: 'Free-shipping threshold', blocks });
  }

  const cu = r.customers;
  const cust: Block[] = [
    {
      kind: 'text',
      text: `${num(cu.customers)} customers, repeat rate ${pct(cu.repeatRate, 1)}, ${cu.frequency?.toFixed(2) ?? 'unknown'} orders each`,
    },
    {
      kind: 'text',
      text:
        `historic value: customers spent ${m(cu.ltvMinor)} each${cu.ltvWithMargin ? ' in gross margin' : ''} over ` +
        `${cu.spendWindow.from ?? '?'}..${cu.spendWindow.to ?? '?'} (all history loaded)` +
        (cu.firstYearMinor != null
          ? `, ${m(cu.firstYearMinor)} in their first year (cohorts observed a full year)`
          : '') +
        (cu.ltvToCac != null ? `; LTV:CAC ${cu.ltvToCac.toFixed(1)}:1 (rule of thumb 3:1)` : ''),
    },
    {
      kind: 'text',
      text: cu.norm
        ? `repeat rate is ${cu.norm.position} the ${cu.norm.category} norm of ${pct(cu.norm.low, 0)}–${pct(cu.norm.high, 0)}`
        : `repeat rate matches the norms of: ${cu.matchingCategories.join(', ') || 'no category (give the store category)'}`,
    },
  ];
  if (r.clv) {
    const bg = r.clv.bgnbd.params;
    cust.push({
      kind: 'text',
      text:
        `BG/NBD r ${bg.r.toFixed(3)} α ${bg.alpha.toFixed(3)} a ${bg.a.toFixed(3)} b ${bg.b.toFixed(3)}` +
        (r.clv.holdout
          ? `; after ${r.clv.calibrationEnd}: predicted ${num(r.clv.holdout.predictedRepeats)} repeat purchases, actual ${num(r.clv.holdout.actualRepeats)}`
          : ''),
    });
  }
  out.push({ id: 'customers', title: 'Customers', blocks: cust, charts: ['cohorts', 'clv-tracking'] });

  if (r.offers) {
    const o = r.offers;
    const blocks: Block[] = [
      {
        kind: 'text',
        text: `${num(o.shown)} shown, ${num(o.accepted)} accepted (${pct(o.acceptanceRate, 1)})`,
      },
    ];
    if (o.byType.length) {
      blocks.push({
        kind: 'table',
        head: ['offer type', 'shown', 'accepted', 'acceptance'],
        align: ['l', 'r', 'r', 'r'],
        rows: o.byType.map((t) => [
          t.type,
          num(t.shown),
          t.accepted + t.declined ? num(t.accepted) : '(shown only)',
          t.accepted + t.declined ? pct(t.acceptanceRate, 1) : '',
        ]),
      });
    }
    // O8: by channel once more than the web speaks (the chat, an email): where an offer is said matters too.
    if (o.byChannel.some((c) => c.channel !== 'web')) {
      blocks.push({
        kind: 'table',
        head: ['channel', 'shown', 'accepted', 'acceptance', 'tell me more'],
        align: ['l', 'r', 'r', 'r', 'r'],
        rows: o.byChannel.map((c) => [
          c.channel,
          num(c.shown),
          num(c.accepted),
          pct(c.acceptanceRate, 1),
          c.channel === 'chat' ? num(c.replied) : '',
        ]),
      });
    }
    if (o.treatment && o.holdout) {
      const l = o.lift;
      blocks.push({
        kind: 'table',
        head: ['', 'treated', 'holdout', 'lift', '95% interval'],
        align: ['l', 'r', 'r', 'r', 'r'],
        rows: [
          ['sessions', num(o.treatment.sessions), num(o.holdout.sessions), '', ''],
          ['RPS', m(o.treatment.rpsMinor), m(o.holdout.rpsMinor), ...changeCells(l?.rps)],
          ['CVR', pct(o.treatment.cvr), pct(o.holdout.cvr), ...changeCells(l?.cvr, true)],
          [
            'AOV',
            m(o.treatment.aovMinor),
            m(o.holdout.aovMinor),
            ...changeCells(
              l?.aov,
              false,
              Math.min(o.treatment.orders, o.holdout.orders) < MIN_ORDERS_FOR_AOV,
            ),
          ],
        ],
      });
      if (o.verdict) blocks.push({ kind: 'text', text: o.verdict });
    }
    out.push({ id: 'offers', title: 'Offers', blocks });
  }
  out.push({ id: 'experiments', title: 'Experiments', blocks: experimentBlocks(r) });

  const d = r.diagnosis;
  out.push({
    id: 'diagnosis',
    title: 'Diagnosis',
    blocks: [
      { kind: 'text', text: `phase: ${d.phase} (${d.phaseEvidence})` },
      { kind: 'text', text: `weakest lever: ${d.weakestLever ?? 'unknown'} (${d.weakestEvidence})` },
      { kind: 'list', numbered: true, items: d.tactics.map((t) => `${t.tactic}, because ${t.why}`) },
    ],
  });
  if (r.unknown.length)
    out.push({ id: 'unknown', title: 'Unknown', blocks: [{ kind: 'list', items: r.unknown }] });
  return out;
}
