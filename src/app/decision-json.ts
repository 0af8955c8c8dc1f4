import fastJson from 'fast-json-stringify';
import { z } from 'zod';
import { offerReasonCodes, offerTypes } from '../core/offers/registry.js';
import { DecisionSchema, OfferSchema, RefusalSchema } from '../core/offers/types.js';

/**
 * POST /v1/decide's answer: the core's decision with the registry's closed lists (offer types, reason codes)
 * and the snapshot version. This schema is the contract: OpenAPI documents it, the serializer below is
 * compiled from it, and a test parses real answers with it.
 */
const types = offerTypes() as [string, ...string[]];
const codes = offerReasonCodes() as [string, ...string[]];
const ApiOffer = OfferSchema.extend({ type: z.enum(types), reasonCode: z.enum(codes) });
const ApiRefusal = RefusalSchema.extend({ type: z.enum(types) });

const Answer = z.strictObject({
  offers: z.array(ApiOffer),
  currency: DecisionSchema.shape.currency,
  reasonCode: DecisionSchema.shape.reasonCode,
  reason: z.string(),
  refused: z.array(ApiRefusal),
  notes: DecisionSchema.shape.notes,
  info: DecisionSchema.shape.info,
  experiments: DecisionSchema.shape.experiments,
  model: z.number().int().describe('version of the recommendation snapshot'),
});

export const DecideResponseSchema = Answer.extend({ assignment: DecisionSchema.shape.assignment });

/**
 * The answer without its assignment, serialised by a function compiled from the schema (fast-json-stringify):
 * it writes only the documented fields, in the documented order, faster than JSON.stringify on a cache miss.
 */
export const serializeAnswer: (a: z.input<typeof Answer>) => string = fastJson(
  z.toJSONSchema(Answer, { target: 'draft-7', io: 'output' }) as Parameters<typeof fastJson>[0],
);
