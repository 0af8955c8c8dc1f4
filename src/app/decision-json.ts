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

type AnswerInput = z.input<typeof Answer>;
type Obj = Record<string, unknown>;

const isStr = (x: unknown): x is string => typeof x === 'string';
const isStrOrNull = (x: unknown) => x === null || typeof x === 'string';
const isNum = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);
const isInt = (x: unknown): x is number => Number.isInteger(x);
/** The contract's integers (priceMinor) are checked against the safe range (its JSON schema's bounds). */
const isSafe = (x: unknown): x is number => Number.isSafeInteger(x);

/**
 * An offer as the schema writes it: its documented fields in the documented order; undefined when a value is
 * outside what the fast path writes exactly as fast-json-stringify does.
 */
function offerOut(o: Obj): Obj | undefined {
  if (!isStr(o.id) || !isStr(o.type) || !isStr(o.text) || !isStr(o.reasonCode) || !isStr(o.reason)) return;
  if (!isNum(o.expectedProfitMinor)) return;
  const f = o.fields;
  if (f === null || typeof f !== 'object' || Array.isArray(f)) return;
  for (const k in f) {
    if (!Object.hasOwn(f, k)) return;
    const v = (f as Obj)[k];
    if (!isStr(v) && !isNum(v)) return;
  }
  const a = o.actions as Obj | null;
  if (a === null || typeof a !== 'object' || !isStr(a.accept) || a.decline !== 'dismiss') return;
  if (!Array.isArray(o.items)) return;
  const items: Obj[] = [];
  for (const it of o.items as Obj[]) {
    if (it === null || typeof it !== 'object' || !isStr(it.productId) || !isStrOrNull(it.title)) return;
    if (it.priceMinor !== null && !isSafe(it.priceMinor)) return;
    items.push({ productId: it.productId, title: it.title, priceMinor: it.priceMinor });
  }
  if (o.marginBasis !== undefined && !isStr(o.marginBasis)) return;
  if (o.percentOff !== undefined && !isNum(o.percentOff)) return;
  let progress: Obj | undefined;
  if (o.progress !== undefined) {
    const p = o.progress as Obj | null;
    if (
      p === null ||
      typeof p !== 'object' ||
      !isInt(p.currentMinor) ||
      !isInt(p.targetMinor) ||
      !isStr(p.goal)
    )
      return;
    progress = { currentMinor: p.currentMinor, targetMinor: p.targetMinor, goal: p.goal };
  }
  return {
    id: o.id,
    type: o.type,
    text: o.text,
    fields: f,
    items,
    actions: { accept: a.accept, decline: 'dismiss' },
    expectedProfitMinor: o.expectedProfitMinor,
    reasonCode: o.reasonCode,
    reason: o.reason,
    marginBasis: o.marginBasis,
    percentOff: o.percentOff,
    progress,
  };
}

/** The answer in the schema's order, or undefined when anything is outside the fast path's domain. */
function answerOut(d: Obj, model: number): Obj | undefined {
  if (!Array.isArray(d.offers) || !Array.isArray(d.refused) || !Array.isArray(d.notes)) return;
  if (!Array.isArray(d.experiments) || !isStr(d.currency) || !isStr(d.reasonCode) || !isStr(d.reason)) return;
  if (!isInt(model)) return;
  const offers: Obj[] = [];
  for (const o of d.offers as Obj[]) {
    const out = o !== null && typeof o === 'object' ? offerOut(o) : undefined;
    if (!out) return;
    offers.push(out);
  }
  const refused: Obj[] = [];
  for (const r of d.refused as Obj[]) {
    if (
      r === null ||
      typeof r !== 'object' ||
      !isStr(r.id) ||
      !isStr(r.type) ||
      !isNum(r.expectedProfitMinor)
    )
      return;
    if (!isStr(r.code) || !isStr(r.reason)) return;
    refused.push({
      id: r.id,
      type: r.type,
      expectedProfitMinor: r.expectedProfitMinor,
      code: r.code,
      reason: r.reason,
    });
  }
  const notes: Obj[] = [];
  for (const n of d.notes as Obj[]) {
    if (n === null || typeof n !== 'object' || !isStr(n.code) || !isStr(n.text)) return;
    if (n.productId !== undefined && !isStr(n.productId)) return;
    notes.push({ code: n.code, text: n.text, productId: n.productId });
  }
  const info = d.info as Obj | null;
  if (info === null || typeof info !== 'object' || !Array.isArray(info.stock)) return;
  if (!isStrOrNull(info.shipping) || !isStrOrNull(info.delivery) || !isStrOrNull(info.returns)) return;
  const stock: Obj[] = [];
  for (const s of info.stock as Obj[]) {
    if (s === null || typeof s !== 'object' || !isStr(s.productId) || !isStr(s.text)) return;
    stock.push({ productId: s.productId, text: s.text });
  }
  const experiments: Obj[] = [];
  for (const e of d.experiments as Obj[]) {
    if (e === null || typeof e !== 'object' || !isStr(e.experiment) || !isStr(e.variant)) return;
    experiments.push({ experiment: e.experiment, variant: e.variant });
  }
  return {
    offers,
    currency: d.currency,
    reasonCode: d.reasonCode,
    reason: d.reason,
    refused,
    notes,
    info: { shipping: info.shipping, delivery: info.delivery, returns: info.returns, stock },
    experiments,
    model,
  };
}

/**
 * The answer without its assignment (a decision's assignment is ignored) as JSON, byte for byte what
 * `serializeAnswer` writes: the documented fields copied in the documented order and written by the engine's
 * JSON.stringify, which escapes strings and writes numbers as fast-json-stringify does for the values a
 * decision holds (strings, finite numbers, safe integers where the schema says integer, null where it allows
 * it). Anything else (a NaN, a non-integer price, a missing field) goes to the compiled serializer, which
 * throws or coerces as it always did. The engine's stringify escapes in native code, and no anyOf is validated
 * per item (the compiled serializer runs ajv on each priceMinor).
 */
export function answerJson(d: object, model: number): string {
  const out = answerOut(d as Obj, model);
  if (out) return JSON.stringify(out);
  const { assignment: _assignment, ...rest } = d as Obj;
  return serializeAnswer({ ...rest, model } as AnswerInput);
}
