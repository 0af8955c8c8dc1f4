import { currencyExponent, formatMoney } from '../money.js';
import type { HistoricValue } from './customers.js';
import type { Levers } from './identity.js';
import type { SegmentSplit } from './segments.js';

export interface Comparison {
  current: Levers;
  previous: Levers;
  /** LMDI parts of the revenue change: sessions, CVR, AOV (sessions and CVR absent without session data). */
  revenueParts: {
    sessions: number | null;
    cvr: number | null;
    aov: number;
    orders: number | null;
    total: number;
  };
  segments: Record<string, { cvr: SegmentSplit | null; aov: SegmentSplit | null; rps: SegmentSplit | null }>;
}

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)}%`;
const pts = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(2)} pts`;
const rel = (a: number | null, b: number | null) => (a != null && b ? a / b - 1 : null);

/** M10: one sentence per lever, each with the figure it rests on. */
export function summarySentences(c: Comparison, currency: string): string[] {
  const m = (v: number | null) => (v == null ? 'unknown' : formatMoney(Math.round(v), currency));
  const out: string[] = [];
  const cur = c.current;
  const prev = c.previous;
  if (cur.sessions != null && prev.sessions != null) {
    const r = rel(cur.sessions, prev.sessions);
    out.push(`Sessions ${cur.sessions.toLocaleString('en-US')} (${r == null ? 'new' : pct(r)}).`);
  } else
    out.push(
      'Sessions unknown: the data has orders but no sessions, so conversion and RPS cannot be measured.',
    );
  if (cur.cvr != null && prev.cvr != null) {
    const where = explain(c, 'cvr', currency);
    out.push(
      `Conversion ${(cur.cvr * 100).toFixed(2)}% (${pts(cur.cvr - prev.cvr)})${where ? `: ${where}` : ''}.`,
    );
  }
  if (cur.aovMinor != null && prev.aovMinor != null) {
    const seg = explain(c, 'aov', currency);
    out.push(`AOV ${m(cur.aovMinor)} (${pct(cur.aovMinor / prev.aovMinor - 1)})${seg ? `: ${seg}` : ''}.`);
  }
  if (cur.rpsMinor != null && prev.rpsMinor != null) {
    const r = cur.rpsMinor / prev.rpsMinor - 1;
    const cvrUp = (cur.cvr ?? 0) > (prev.cvr ?? 0);
    const aovUp = (cur.aovMinor ?? 0) > (prev.aovMinor ?? 0);
    const verdict = Math.abs(r) < 0.01 ? 'flat' : r > 0 ? 'up' : 'down';
    const why =
      cvrUp !== aovUp && Math.abs(r) < 0.03
        ? `: the ${aovUp ? 'AOV' : 'conversion'} gain was paid for with ${aovUp ? 'conversion' : 'AOV'}`
        : cvrUp && aovUp
          ? ': both levers rose'
          : !cvrUp && !aovUp
            ? ': both levers fell'
            : '';
    out.push(`RPS ${m(cur.rpsMinor)} (${pct(r)}), ${verdict}${why}.`);
  }
  out.push(
    `Revenue ${m(cur.revenueMinor)} ` +
      `(${prev.revenueMinor ? pct(cur.revenueMinor / prev.revenueMinor - 1) : 'new'}).`,
  );
  return out;
}

/**
 * The segment story behind a lever's change: mix when segment shares explain more of it than segments' own
 * rates do (naming the segment whose share moved most), else the segment whose own rate fell most.
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
      ? `${(v * 100).toFixed(2)} pts`
      : `${v >= 0 ? '+' : '−'}${formatMoney(Math.round(Math.abs(v)), currency)}`;
  if (Math.abs(split.mix) > Math.abs(split.rate) && Math.sign(split.mix) === Math.sign(split.total)) {
    const mover = [...split.segments].sort(
      (a, b) => Math.abs(b.share1 - b.share0) - Math.abs(a.share1 - a.share0),
    )[0]!;
    return (
      `mostly mix (${fmt(split.mix)} of ${fmt(split.total)} by ${dim}): the ${mover.segment} share went ` +
      `from ` +
      `${(mover.share0 * 100).toFixed(1)}% to ` +
      `${(mover.share1 * 100).toFixed(1)}%${split.againstEverySegment ? `, while no ${dim} ${split.total < 0 ? 'fell' : 'rose'}` : ''}`
    );
  }
  let worst: { dim: string; seg: string; rate: number } | null = null;
  for (const [d, s] of Object.entries(c.segments)) {
    for (const seg of s[metric]?.segments ?? []) {
      if (!worst || Math.sign(split.total) * seg.rate > Math.sign(split.total) * worst.rate)
        worst = { dim: d, seg: seg.segment, rate: seg.rate };
    }
  }
  return worst ? `the ${split.total < 0 ? 'drop' : 'rise'} is largest on ${worst.dim} ${worst.seg}` : null;
}

export interface Diagnosis {
  phase: 'early' | 'scale-up' | 'mature' | 'unknown';
  phaseEvidence: string;
  weakestLever: 'sessions' | 'cvr' | 'aov' | 'retention' | null;
  weakestEvidence: string;
  tactics: { tactic: string; why: string }[];
}

/** M11: the business phase, the weakest lever and the next tactics in order, each with its evidence. */
export function diagnose(i: {
  weeklySessions: number[];
  cvr: number | null;
  aovGrowth: number | null;
  mobileAovGap: number | null;
  customers: HistoricValue;
  justUnderShare: number | null;
  threshold: number | null;
  currency: string;
}): Diagnosis {
  const ws = i.weeklySessions.filter((x) => x > 0);
  const mean = ws.reduce((s, x) => s + x, 0) / (ws.length || 1);
  const cv =
    ws.length > 2 ? Math.sqrt(ws.reduce((s, x) => s + (x - mean) ** 2, 0) / (ws.length - 1)) / mean : null;
  const repeat = i.customers.repeatRate;
  let phase: Diagnosis['phase'] = 'unknown';
  let phaseEvidence = 'no session history to judge stability';
  if (repeat != null && repeat >= 0.3) {
    phase = 'mature';
    phaseEvidence = `repeat rate ${(repeat * 100).toFixed(1)}% (≥ 30%)`;
  } else if (cv != null) {
    phase = cv > 0.25 ? 'early' : 'scale-up';
    phaseEvidence =
      `weekly sessions vary by ${(cv * 100).toFixed(0)}% (coefficient of variation; ` +
      `${cv > 0.25 ? '> 25%: unstable' : '≤ 25%: stable'})`;
  }
  const tactics: Diagnosis['tactics'] = [];
  let weakest: Diagnosis['weakestLever'] = null;
  let weakestEvidence = i.cvr == null ? 'conversion cannot be measured without sessions' : 'not enough data';
  if (i.cvr != null && i.cvr < 0.02) {
    weakest = 'cvr';
    weakestEvidence = `conversion ${(i.cvr * 100).toFixed(2)}% is below the 2–3% typical of online stores`;
  } else if (repeat != null && repeat < 0.2) {
    weakest = 'retention';
    weakestEvidence = `repeat rate ${(repeat * 100).toFixed(1)}% is below 20%`;
  } else if (i.aovGrowth != null && i.aovGrowth < 0) {
    weakest = 'aov';
    weakestEvidence = `AOV fell ${(Math.abs(i.aovGrowth) * 100).toFixed(1)}% against the previous period`;
  } else if (i.cvr != null) {
    weakest = 'aov';
    weakestEvidence = `conversion ${(i.cvr * 100).toFixed(2)}% is healthy; order value is the lever left`;
  }
  if (phase === 'early' || weakest === 'cvr') {
    tactics.push({
      tactic: 'Protect conversion: show shipping cost, delivery date and returns early (O6)',
      why: phaseEvidence,
    });
  }
  if (i.justUnderShare != null && i.threshold != null && i.justUnderShare > 0.05) {
    tactics.push({
      tactic:
        `Free-shipping progress bar with cart fillers at ` +
        `${formatMoney(Math.round(i.threshold * 10 ** currencyExponent(i.currency)), i.currency)} (O1, R4)`,
      why: `${(i.justUnderShare * 100).toFixed(1)}% of orders end within 20% below the threshold`,
    });
  }
  if (phase !== 'early') {
    tactics.push({
      tactic: 'Cart-aware cross-sell and value bundles (R2, O4)',
      why:
        weakest === 'aov'
          ? weakestEvidence
          : phase === 'scale-up'
            ? `${phaseEvidence}: stable enough to add order value`
            : phaseEvidence,
    });
  }
  if (i.mobileAovGap != null && i.mobileAovGap > 0.2) {
    tactics.push({
      tactic: 'Mobile cart: bundles and one-tap add-ons sized for small screens',
      why: `mobile AOV is ${(i.mobileAovGap * 100).toFixed(0)}% below desktop`,
    });
  }
  if (phase === 'mature' || weakest === 'retention') {
    tactics.push({
      tactic: 'Post-purchase follow-up, reorder reminders and loyalty tiers (R5, R6, O2)',
      why: repeat != null ? `repeat rate ${(repeat * 100).toFixed(1)}%` : phaseEvidence,
    });
  }
  return { phase, phaseEvidence, weakestLever: weakest, weakestEvidence, tactics };
}
