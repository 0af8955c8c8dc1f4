import { bucketOf } from './hash.js';

/**
 * The global holdout has its own hash space, so a held-out unit is held out of every personalised experiment.
 */
export const HOLDOUT_NAMESPACE = 'levers:global-holdout';

export interface Variant {
  id: string;
  weight: number;
}

export interface AssignInput {
  experiment: string;
  /** Customer id when known, else session id: the unit that keeps its assignment. */
  unit: string;
  holdoutShare: number;
  variants: readonly Variant[];
}

export type Assignment =
  | { inHoldout: true; variant: null; bucket: number; reason: 'global holdout' }
  | { inHoldout: false; variant: string; bucket: number; reason: 'assigned' }
  | { inHoldout: false; variant: null; bucket: number; reason: 'no variants' };

/** E1: deterministic assignment of a unit: first the global holdout, then a variant by weight. */
export function assign(i: AssignInput): Assignment {
  const h = bucketOf(HOLDOUT_NAMESPACE, i.unit);
  if (h < i.holdoutShare) return { inHoldout: true, variant: null, bucket: h, reason: 'global holdout' };
  const total = i.variants.reduce((s, v) => s + Math.max(0, v.weight), 0);
  const b = bucketOf(i.experiment, i.unit);
  if (total <= 0) return { inHoldout: false, variant: null, bucket: b, reason: 'no variants' };
  let edge = 0;
  for (const v of i.variants) {
    edge += Math.max(0, v.weight) / total;
    if (b < edge) return { inHoldout: false, variant: v.id, bucket: b, reason: 'assigned' };
  }
  return { inHoldout: false, variant: i.variants[i.variants.length - 1]!.id, bucket: b, reason: 'assigned' };
}
