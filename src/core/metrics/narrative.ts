import { formatMoney } from '../money.js';
import type { Change } from '../stats/compare.js';
import type { Levers } from './identity.js';
import type { SegmentSplit } from './segments.js';
import type { LeverChanges } from './uncertainty.js';
import { signed } from '../signed.js';

export interface Comparison {
  current: Levers;
  /** Null when no day of the comparison window has data. */
  previous: Levers | null;
  /** Each lever's change with its 95% interval. */
  changes: LeverChanges | null;
  /** False when the windows hold different numbers of days of data: totals are then not compared. */
  totalsComparable: boolean;
  segments: Record<string, { cvr: SegmentSplit | null; aov: SegmentSplit | null; rps: SegmentSplit | null }>;
}

const pctOf = (x: number) => `${signed(x * 100)}%`;
const ciPct = (r: NonNullable<Change['relative']>) => `95% CI ${pctOf(r.low)} to ${pctOf(r.high)}`;
const ptsCi = (a: Change['absolute']) => `95% CI ${signed(a.low * 100, 2)} to ${signed(a.high * 100, 2)} pts`;

/** "(+12.0%, 95% CI +8.1% to +16.0%)" for a detectable change; ": no detectable change (+0.4%, 95% CI …)" otherwise. */
function relative(c: Change | null): string {
  if (!c?.relative) return '';
  const body = `${pctOf(c.relative.value)}, ${ciPct(c.relative)}`;
  return c.detectable ? ` (${body})` : `: no detectable change (${body})`;
}

/**
 * M10: one sentence per lever, each with the figure it rests on and its 95% interval. A change whose interval covers
 * zero is said as no detectable change, and only a detectable change is explained or given a verdict.
 */
export function summarySentences(c: Comparison, currency: string): string[] {
  const m = (v: number | null) => (v == null ? 'unknown' : formatMoney(Math.round(v), currency));
  const cur = c.current;
  const ch = c.changes;
  if (!c.previous) {
    return [
      `No earlier data to compare with. Sessions ${cur.sessions?.toLocaleString('en-US') ?? 'unknown'}, ` +
        `conversion ${cur.cvr == null ? 'unknown' : `${(cur.cvr * 100).toFixed(2)}%`}, AOV ${m(cur.aovMinor)}, ` +
        `RPS ${m(cur.rpsMinor)}, revenue ${m(cur.revenueMinor)}.`,
    ];
  }
  const out: string[] = [];
  const totals = (what: string, shown: string, change: Change | null) =>
    out.push(
      c.totalsComparable
        ? `${what} ${shown}${relative(change)}.`
        : `${what} ${shown} (not compared: the windows hold different numbers of days of data).`,
    );
  if (cur.sessions == null)
    out.push(
      'Sessions unknown: the data has orders but no sessions, so conversion and RPS cannot be measured.',
    );
  else totals('Sessions', cur.sessions.toLocaleString('en-US'), ch?.sessions ?? null);
  if (cur.cvr != null && ch?.cvr) {
    const a = ch.cvr.absolute;
    const where = ch.cvr.detectable ? explain(c, 'cvr', currency) : null;
    out.push(
      ch.cvr.detectable
        ? `Conversion ${(cur.cvr * 100).toFixed(2)}% (${signed(a.value * 100, 2)} pts, ${ptsCi(a)})${where ? `: ${where}` : ''}.`
        : `Conversion ${(cur.cvr * 100).toFixed(2)}%: no detectable change (${signed(a.value * 100, 2)} pts, ${ptsCi(a)}).`,
    );
  }
  if (cur.aovMinor != null && ch?.aov) {
    const where = ch.aov.detectable ? explain(c, 'aov', currency) : null;
    out.push(`AOV ${m(cur.aovMinor)}${relative(ch.aov)}${where ? `: ${where}` : ''}.`);
  }
  if (cur.rpsMinor != null && ch?.rps) out.push(rpsSentence(m(cur.rpsMinor), ch));
  totals('Revenue', m(cur.revenueMinor), ch?.revenue ?? null);
  return out;
}

/** The RPS verdict names only the levers whose own change is detectable. */
function rpsSentence(shown: string, ch: LeverChanges): string {
  const r = ch.rps!;
  if (!r.detectable) {
    const mde =
      r.mde != null
        ? `; at this traffic a change under ±${(r.mde * 100).toFixed(1)}% cannot be told from noise`
        : '';
    return `RPS ${shown}${relative(r)}${mde}.`;
  }
  const up = (x: Change | null) => (x?.detectable ? (x.absolute.value > 0 ? 1 : -1) : 0);
  const [cvr, aov] = [up(ch.cvr), up(ch.aov)];
  const verdict = r.absolute.value > 0 ? 'up' : 'down';
  const why =
    cvr && aov && cvr !== aov
      ? `: the ${aov > 0 ? 'AOV' : 'conversion'} gain was paid for with ${aov > 0 ? 'conversion' : 'AOV'}`
      : cvr && aov
        ? `: both levers ${cvr > 0 ? 'rose' : 'fell'}`
        : cvr
          ? `: conversion ${cvr > 0 ? 'rose' : 'fell'}`
          : aov
            ? `: AOV ${aov > 0 ? 'rose' : 'fell'}`
            : '';
  return `RPS ${shown}${relative(r)}, ${verdict}${why}.`;
}

/**
 * The segment story behind a lever's change: mix when segment shares explain more of it than segments' own rates do
 * (naming the segment whose share moved most), else the segment whose own rate moved most the same way.
 */
function explain(c: Comparison, metric: 'cvr' | 'aov', currency: string): string | null {
  let best: { dim: string; split: SegmentSplit } | null = null;
  for (const [dim, s] of Object.entries(c.segments)) {
    const split = s[metric];
    if (split && (!best || Math.abs(split.mix) > Math.abs(best.split.mix))) best = { dim, split };
  }
  if (!best) return null;
  const { dim, split } = best;
  const fmt = (v: number) =>
    metric === 'cvr'
      ? `${v >= 0 ? '+' : '−'}${Math.abs(v * 100).toFixed(2)} pts`
      : `${v >= 0 ? '+' : '−'}${formatMoney(Math.round(Math.abs(v)), currency)}`;
  if (Math.abs(split.mix) > Math.abs(split.rate) && Math.sign(split.mix) === Math.sign(split.total)) {
    const mover = [...split.segments].sort(
      (a, b) => Math.abs(b.share1 - b.share0) - Math.abs(a.share1 - a.share0),
    )[0]!;
    const against = split.againstEverySegment ? `, while no ${dim} ${split.total < 0 ? 'fell' : 'rose'}` : '';
    return (
      `mostly mix (${fmt(split.mix)} of ${fmt(split.total)} by ${dim}): the ${mover.segment} share went from ` +
      `${(mover.share0 * 100).toFixed(1)}% to ${(mover.share1 * 100).toFixed(1)}%${against}`
    );
  }
  let worst: { dim: string; seg: string; rate: number } | null = null;
  for (const [d, s] of Object.entries(c.segments)) {
    for (const seg of s[metric]?.segments ?? []) {
      if (!worst || Math.sign(split.total) * seg.rate > Math.sign(split.total) * worst.rate) {
        worst = { dim: d, seg: seg.segment, rate: seg.rate };
      }
    }
  }
  return worst ? `the ${split.total < 0 ? 'drop' : 'rise'} is largest on ${worst.dim} ${worst.seg}` : null;
}
