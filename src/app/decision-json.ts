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

/** A string as JSON (the engine's escaping, as JSON.stringify writes it inside an object). */
const q = JSON.stringify as (s: string) => string;
/**
 * A string that comes back answer after answer (types, codes, the refusals' reasons, the shipping line) as
 * JSON, looked up rather than escaped again: a call of JSON.stringify costs more than a lookup of a string the
 * engine has hashed before. Bounded: a stream of new strings empties it.
 */
const quotedMemo = new Map<string, string>();
function quoted(s: string): string {
  let j = quotedMemo.get(s);
  if (j === undefined) {
    if (quotedMemo.size >= 4096) quotedMemo.clear();
    quotedMemo.set(s, (j = q(s)));
  }
  return j;
}
/** The offer actions every kind writes but one, as JSON once. */
const ACTIONS = new Map(
  ['add_to_cart', 'add_to_order', 'browse', 'dismiss'].map((a) => [
    a,
    `{"accept":${q(a)},"decline":"dismiss"}`,
  ]),
);

/**
 * Items as JSON, by product id, kept while the product's title and price are the ones written: the same products
 * come back in answer after answer (an offer names what the snapshot sells), so most items are a lookup. Bounded:
 * a stream of unknown ids empties it.
 */
interface ItemJson {
  title: unknown;
  priceMinor: unknown;
  json: string;
}
const itemJsons = new Map<string, ItemJson>();
function itemJson(productId: string, title: string | null, priceMinor: number | null): string {
  const hit = itemJsons.get(productId);
  if (hit && hit.title === title && hit.priceMinor === priceMinor) return hit.json;
  const json = `{"productId":${q(productId)},"title":${title === null ? 'null' : q(title)},"priceMinor":${priceMinor === null ? 'null' : priceMinor}}`;
  if (itemJsons.size >= 10_000) itemJsons.clear();
  itemJsons.set(productId, { title, priceMinor, json });
  return json;
}

/**
 * An offer as the schema writes it: its documented fields in the documented order, written straight into a
 * string; undefined when a value is outside what this writes exactly as fast-json-stringify does.
 */
function offerJson(o: Obj): string | undefined {
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
  let items = '';
  for (const it of o.items as Obj[]) {
    if (it === null || typeof it !== 'object' || !isStr(it.productId) || !isStrOrNull(it.title)) return;
    if (it.priceMinor !== null && !isSafe(it.priceMinor)) return;
    items += `${items ? ',' : ''}${itemJson(it.productId, it.title as string | null, it.priceMinor as number | null)}`;
  }
  if (o.marginBasis !== undefined && !isStr(o.marginBasis)) return;
  if (o.percentOff !== undefined && !isNum(o.percentOff)) return;
  let progress = '';
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
    progress = `,"progress":{"currentMinor":${p.currentMinor},"targetMinor":${p.targetMinor},"goal":${q(p.goal)}}`;
  }
  // Numbers as JSON.stringify writes them (a finite number's shortest form; -0 as 0), which template literals
  // write too.
  return (
    `{"id":${q(o.id)},"type":${quoted(o.type)},"text":${q(o.text)},"fields":${JSON.stringify(f)},"items":[${items}],` +
    `"actions":${ACTIONS.get(a.accept) ?? `{"accept":${q(a.accept)},"decline":"dismiss"}`},` +
    `"expectedProfitMinor":${o.expectedProfitMinor},"reasonCode":${quoted(o.reasonCode)},"reason":${q(o.reason)}` +
    `${o.marginBasis !== undefined ? `,"marginBasis":${quoted(o.marginBasis)}` : ''}` +
    `${o.percentOff !== undefined ? `,"percentOff":${o.percentOff}` : ''}${progress}}`
  );
}

/**
 * The answer in the schema's order as JSON without its closing brace, or undefined when anything is outside the
 * writer's domain.
 */
function answerOpen(d: Obj, model: number): string | undefined {
  if (!Array.isArray(d.offers) || !Array.isArray(d.refused) || !Array.isArray(d.notes)) return;
  if (!Array.isArray(d.experiments) || !isStr(d.currency) || !isStr(d.reasonCode) || !isStr(d.reason)) return;
  if (!isInt(model)) return;
  let offers = '';
  for (const o of d.offers as Obj[]) {
    const out = o !== null && typeof o === 'object' ? offerJson(o) : undefined;
    if (out === undefined) return;
    offers += offers ? `,${out}` : out;
  }
  let refused = '';
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
    refused +=
      `${refused ? ',' : ''}{"id":${q(r.id)},"type":${quoted(r.type)},"expectedProfitMinor":${r.expectedProfitMinor},` +
      `"code":${quoted(r.code)},"reason":${quoted(r.reason)}}`;
  }
  let notes = '';
  for (const n of d.notes as Obj[]) {
    if (n === null || typeof n !== 'object' || !isStr(n.code) || !isStr(n.text)) return;
    if (n.productId !== undefined && !isStr(n.productId)) return;
    notes +=
      `${notes ? ',' : ''}{"code":${q(n.code)},"text":${q(n.text)}` +
      `${n.productId !== undefined ? `,"productId":${q(n.productId)}` : ''}}`;
  }
  const info = d.info as Obj | null;
  if (info === null || typeof info !== 'object' || !Array.isArray(info.stock)) return;
  if (!isStrOrNull(info.shipping) || !isStrOrNull(info.delivery) || !isStrOrNull(info.returns)) return;
  let stock = '';
  for (const s of info.stock as Obj[]) {
    if (s === null || typeof s !== 'object' || !isStr(s.productId) || !isStr(s.text)) return;
    stock += `${stock ? ',' : ''}{"productId":${q(s.productId)},"text":${q(s.text)}}`;
  }
  let experiments = '';
  for (const e of d.experiments as Obj[]) {
    if (e === null || typeof e !== 'object' || !isStr(e.experiment) || !isStr(e.variant)) return;
    experiments += `${experiments ? ',' : ''}{"experiment":${q(e.experiment)},"variant":${q(e.variant)}}`;
  }
  const orNull = (x: unknown) => (x === null ? 'null' : quoted(x as string));
  return (
    `{"offers":[${offers}],"currency":${quoted(d.currency)},"reasonCode":${quoted(d.reasonCode)},"reason":${quoted(d.reason)},` +
    `"refused":[${refused}],"notes":[${notes}],"info":{"shipping":${orNull(info.shipping)},` +
    `"delivery":${orNull(info.delivery)},"returns":${orNull(info.returns)},"stock":[${stock}]},` +
    `"experiments":[${experiments}],"model":${model}`
  );
}

/**
 * The answer without its assignment (a decision's assignment is ignored) as JSON, byte for byte what
 * `serializeAnswer` writes: the documented fields in the documented order, written straight into one string
 * (no copy of the decision, no object walked by JSON.stringify), strings escaped by the engine's JSON.stringify
 * and numbers written as fast-json-stringify does for the values a decision holds (strings, finite numbers,
 * safe integers where the schema says integer, null where it allows it). Anything else (a NaN, a non-integer
 * price, a missing field) goes to the compiled serializer, which throws or coerces as it always did (and no
 * anyOf is validated per item: the compiled serializer runs ajv on each priceMinor).
 */
export function answerJson(d: object, model: number): string {
  return `${answerJsonOpen(d, model)}}`;
}

/** answerJson without its closing brace (the decision cache appends the assignment there). */
export function answerJsonOpen(d: object, model: number): string {
  const open = answerOpen(d as Obj, model);
  if (open !== undefined) return open;
  const { assignment: _assignment, ...rest } = d as Obj;
  return serializeAnswer({ ...rest, model } as AnswerInput).slice(0, -1);
}
