import { z } from 'zod';
import { zodProblem } from '../errors.js';
import type { CustomerHistories } from './habits.js';
import { MODEL_FORMAT, type RecsModel } from './model.js';

const money = z.number().int().nullable();
const Item = z.object({
  id: z.string().min(1),
  title: z.string().nullable(),
  category: z.string().nullable(),
  family: z.string().nullable(),
  priceMinor: money,
  costMinor: money,
  stock: z.number().int().nullable().optional(),
  count: z.number().int().nonnegative(),
});
const Shape = z.object({
  format: z.literal(MODEL_FORMAT),
  version: z.number().int().positive(),
  createdAt: z.string(),
  currency: z.string().regex(/^[A-Z]{3}$/),
  params: z.object({
    minSupport: z.number(),
    minConfidence: z.number(),
    maxLen: z.number().int(),
    topK: z.number().int(),
  }),
  baskets: z.number().int().nonnegative(),
  items: z.array(Item),
  neighbours: z.array(z.array(z.unknown())),
  rules: z.array(
    z.object({
      antecedent: z.array(z.string()),
      consequent: z.string(),
      count: z.number(),
      support: z.number(),
      confidence: z.number(),
      lift: z.number(),
    }),
  ),
  bundles: z.array(
    z.object({
      items: z.array(z.string()),
      count: z.number(),
      support: z.number(),
      lift: z.number(),
      revenueMinor: money,
    }),
  ),
  categories: z.record(z.string(), z.array(z.tuple([z.string(), z.number()]))),
  popular: z.array(z.number().int()),
});

export type SnapshotCheck<T> = { ok: true; value: T } | { ok: false; problem: string };

/**
 * Checks that a parsed JSON file is a recommendation snapshot the decide path can use, before a server swaps
 * it in: the shape by schema, and the neighbour lists (millions of tuples) by a plain loop, indices in range.
 */
export function checkModel(raw: unknown): SnapshotCheck<RecsModel> {
  const r = Shape.safeParse(raw);
  if (!r.success) {
    const { path, problem } = zodProblem(r.error, 'key');
    return { ok: false, problem: `${path || '(root)'}: ${problem}` };
  }
  const m = r.data as unknown as RecsModel;
  const n = m.items.length;
  if (m.neighbours.length > n)
    return { ok: false, problem: `neighbours: ${m.neighbours.length} lists for ${n} items` };
  for (let i = 0; i < m.neighbours.length; i++) {
    for (const t of m.neighbours[i]!) {
      const ok =
        Array.isArray(t) &&
        t.length === 5 &&
        Number.isInteger(t[0]) &&
        t[0] >= 0 &&
        t[0] < n &&
        t.every((x) => typeof x === 'number');
      if (!ok)
        return {
          ok: false,
          problem: `neighbours.${i}: each entry must be [item index, count, confidence, lift, score]`,
        };
    }
  }
  if (m.popular.some((i) => i < 0 || i >= n))
    return { ok: false, problem: 'popular: an item index is out of range' };
  return { ok: true, value: m };
}

const Histories = z.object({
  format: z.literal(1),
  version: z.number().int(),
  customers: z.record(z.string(), z.array(z.object({ day: z.number().int(), items: z.array(z.string()) }))),
});

export function checkHistories(raw: unknown): SnapshotCheck<CustomerHistories> {
  const r = Histories.safeParse(raw);
  if (r.success) return { ok: true, value: r.data };
  const { path, problem } = zodProblem(r.error, 'key');
  return { ok: false, problem: `${path || '(root)'}: ${problem}` };
}
