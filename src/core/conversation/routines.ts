import { z } from 'zod';

/**
 * A guided bundle ("build your routine"): two or three questions whose answers pick the products, then the set
 * with its saving. Declared by the operator in offers.routines, in the store's own words.
 */
export const RoutineSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes'),
  title: z.string().min(1).max(100),
  percentOff: z.number().min(0).max(90),
  questions: z
    .array(
      z.strictObject({
        id: z.string().min(1).max(50),
        text: z.string().min(1).max(200),
        options: z
          .array(
            z.strictObject({
              id: z.string().min(1).max(50),
              label: z.string().min(1).max(60),
              /** The product this answer adds to the set (none: the answer adds nothing). */
              productId: z.string().min(1).optional(),
            }),
          )
          .min(2)
          .max(4),
      }),
    )
    .min(1)
    .max(3),
});
export const RoutinesSchema = z.array(RoutineSchema).max(10).default([]);
export type Routine = z.infer<typeof RoutineSchema>;
