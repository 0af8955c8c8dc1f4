/** One segment's weight (denominator) and metric value in the two periods. */
export interface SegmentPoint {
  segment: string;
  weight0: number;
  value0: number | null;
  weight1: number;
  value1: number | null;
}

export interface SegmentSplit {
  total: number;
  /** Change from segments' own metric moving (within-segment). */
  rate: number;
  /** Change from segment shares moving (mix). */
  mix: number;
  segments: (SegmentPoint & { share0: number; share1: number; rate: number; mix: number })[];
  /** The total moved one way while every segment moved the other way (or stayed): a mix effect. */
  againstEverySegment: boolean;
}

/**
 * Rate/mix split of a weighted-average metric M = Σ sᵢ mᵢ (sᵢ shares of the weights): with midpoint weights,
 * ΔM = Σ s̄ᵢ Δmᵢ (rate) + Σ m̄ᵢ Δsᵢ (mix), exactly. A segment seen in one period only keeps its value from
 * the other, so it contributes mix alone.
 */
export function rateMixSplit(points: readonly SegmentPoint[], total0: number, total1: number): SegmentSplit {
  const w0 = points.reduce((s, p) => s + p.weight0, 0);
  const w1 = points.reduce((s, p) => s + p.weight1, 0);
  const segments = points.map((p) => {
    const share0 = w0 > 0 ? p.weight0 / w0 : 0;
    const share1 = w1 > 0 ? p.weight1 / w1 : 0;
    const m0 = p.value0 ?? p.value1 ?? 0;
    const m1 = p.value1 ?? p.value0 ?? 0;
    return {
      ...p,
      share0,
      share1,
      rate: ((share0 + share1) / 2) * (m1 - m0),
      mix: ((m0 + m1) / 2) * (share1 - share0),
    };
  });
  const rate = segments.reduce((s, x) => s + x.rate, 0);
  const mix = segments.reduce((s, x) => s + x.mix, 0);
  const total = total1 - total0;
  const both = segments.filter((x) => x.value0 != null && x.value1 != null && x.weight0 > 0 && x.weight1 > 0);
  const meaningful = Math.abs(total) > 0.005 * Math.abs(total0 || 1);
  const against =
    meaningful &&
    both.length >= 2 &&
    both.every((x) => Math.sign((x.value1 ?? 0) - (x.value0 ?? 0)) !== Math.sign(total));
  return { total, rate, mix, segments, againstEverySegment: against };
}
