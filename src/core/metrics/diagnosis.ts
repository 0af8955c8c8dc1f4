import { currencyExponent, formatMoney } from '../money.js';
import type { Change } from '../stats/compare.js';
import type { HistoricValue } from './customers.js';
import { signedPercent } from '../signed.js';

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
  /** The AOV change against the previous window, with its interval: a fall counts only when detectable. */
  aovChange: Change | null;
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
  } else if (i.aovChange?.detectable && i.aovChange.absolute.value < 0 && i.aovChange.relative) {
    const r = i.aovChange.relative;
    weakest = 'aov';
    weakestEvidence =
      `AOV fell ${(Math.abs(r.value) * 100).toFixed(1)}% against the previous period ` +
      `(95% CI ${signedPercent(r.low)} to ${signedPercent(r.high)})`;
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
