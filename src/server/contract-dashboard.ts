import { z } from 'zod';

/** GET /dashboard/api/live: the running server's counters (the dashboard's Live page polls it). */
const Counts = {
  decisions: z.number().int().describe('POST /v1/decide answered'),
  events: z.number().int().describe('events stored (duplicates not counted)'),
  clientErrors: z.number().int().describe('requests refused with a 4xx status'),
  serverErrors: z.number().int().describe('requests failed with a 5xx status'),
};

export const LiveResponse = z.strictObject({
  since: z.string().describe('when this process started counting (ISO 8601)'),
  pid: z.number().int().describe('the process that answered (under a cluster, the primary, which sums)'),
  workers: z
    .number()
    .int()
    .nullable()
    .describe('under a cluster, the workers summed (each reports once a second); null: a single process'),
  minutes: z
    .array(z.strictObject({ minute: z.string().describe("the minute's start, ISO 8601 UTC"), ...Counts }))
    .describe('the last 30 minutes, oldest first; the last one is still running'),
  totals: z.strictObject(Counts).describe('since start'),
  refusedByCode: z
    .array(z.strictObject({ code: z.string(), count: z.number().int() }))
    .describe('offers refused in decisions since start, by refusal code, most first'),
  cache: z.strictObject({
    hits: z.number().int(),
    misses: z.number().int(),
    hitRate: z.number().nullable().describe('null when nothing was asked yet (unknown, not 0)'),
  }),
});
export type LiveSnapshot = z.infer<typeof LiveResponse>;
export type LiveMinute = LiveSnapshot['minutes'][number];
