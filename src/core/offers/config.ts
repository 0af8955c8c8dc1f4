import { z } from 'zod';
import { LeversError, zodProblem } from '../errors.js';
import {
  type BanditWeights,
  type PublishedWeights,
  withPublishedWeights,
} from '../experiments/bandit-snapshot.js';
import {
  crossCheck,
  type Experiment,
  ExperimentSchema,
  FIXED_KEYS,
  mergeOverrides,
} from '../experiments/config.js';
import { RoutinesSchema } from '../conversation/routines.js';
import type { AnyOfferKind } from './kind.js';
import { BundlesSchema } from './kinds/bundle.js';
import { FreeShippingSchema } from './kinds/free-shipping.js';
import { LoyaltySchema } from './kinds/loyalty.js';
import { MessagesSchema } from './kinds/segment-message.js';
import { UpsellSchema } from './kinds/upsell.js';
import { VolumeTiersSchema } from './kinds/volume-tier.js';
import { CHANNELS } from './templates/catalogue.js';
import { isLocale, overridesProblem } from './templates/render.js';
import { OFFER_KINDS } from './registry.js';

/** A BCP 47 language tag such as en, de or en-GB. */
export const Locale = z
  .string()
  .min(2)
  .max(35)
  .refine(isLocale, 'must be a language tag such as en, de or en-GB');

/** Keys every decision uses, whatever the kinds. */
const BASE = {
  currency: z
    .string()
    .regex(/^[A-Z]{3}$/, 'must be an ISO 4217 code such as USD')
    .default('USD'),
  experiment: z.string().min(1).default('offers-v1'),
  maxOffersPerDecision: z.number().int().min(0).max(5).default(2),
  holdoutShare: z
    .number()
    .min(0)
    .max(0.5, 'must be at most 0.5: a holdout larger than the treated group wastes traffic')
    .default(0.05),
  info: z
    .strictObject({
      deliveryDays: z
        .strictObject({ min: z.number().int().min(0), max: z.number().int().min(0) })
        .refine((d) => d.max >= d.min, 'max must not be below min')
        .optional(),
      returnPolicy: z.string().min(1).max(200).optional(),
      lowStockBelow: z.number().int().min(1).default(5),
    })
    .default({ lowStockBelow: 5 }),
  /**
   * What the value of an offer rests on where the data cannot say: the margin of products without a cost, and
   * how much more often a suggested item is added than it is unprompted. Both are stated in the decision.
   */
  economics: z
    .strictObject({
      defaultMarginPercent: z.number().gt(0).max(100).default(40),
      crossSellUplift: z.number().min(0).max(5).default(0.3),
    })
    .default({ defaultMarginPercent: 40, crossSellUplift: 0.3 }),
  discountLimits: z
    .strictObject({ maxPercentOff: z.number().min(0).max(90).default(30) })
    .default({ maxPercentOff: 30 }),
  /** A/B tests of the offers themselves (E2): each variant overrides part of this configuration. */
  experiments: z.array(ExperimentSchema).default([]),
  /** O8: the locale texts are said in when the request names none (web texts always; chat and email by default). */
  locale: Locale.default('en'),
  /** O8: the operator's texts by locale, channel and template id, over the built-in ones (docs/conversation.md). */
  templates: z
    .record(z.string(), z.partialRecord(z.enum(CHANNELS), z.record(z.string(), z.string().min(1).max(500))))
    .default({}),
  /** O8: guided bundles for the chat ("build your routine"): questions whose answers pick a set. */
  routines: RoutinesSchema,
};

/**
 * The configuration of these kinds: the shared keys and each kind's own section, strict (unknown keys are
 * errors).
 */
export function offerConfigSchema(kinds: readonly AnyOfferKind[] = OFFER_KINDS) {
  const shape: Record<string, z.ZodType> = { ...BASE };
  for (const k of kinds) if (k.config) shape[k.config.key] = k.config.schema;
  return z.strictObject(shape);
}

/** The built-in kinds' configuration, typed (the composed schema is the one that validates). */
const Typed = z.strictObject({
  ...BASE,
  freeShipping: FreeShippingSchema,
  loyalty: LoyaltySchema,
  volumeTiers: VolumeTiersSchema,
  bundles: BundlesSchema,
  messages: MessagesSchema,
  upsell: UpsellSchema,
});
export type OfferConfig = z.infer<typeof Typed>;
export const OfferConfigSchema = offerConfigSchema();

/**
 * Parses a configuration; the first problem is reported with its key path, e.g. freeShipping.thresholdMinor.
 */
export function parseOfferConfig(
  raw: unknown,
  kinds: readonly AnyOfferKind[] = OFFER_KINDS,
): OfferConfig & Record<string, unknown> {
  const config = parseWhole(raw, kinds);
  const problem = crossCheck(config.experiments);
  if (problem) throw new LeversError('CONFIG_INVALID', problem);
  // Each variant's configuration is parsed whole (its overrides laid over the rest), so an override is held to
  // the same rules as the configuration itself, and its keys are kept as parsed for decide().
  const resolved = new Map<string, Record<string, unknown>>();
  for (const [i, e] of config.experiments.entries()) {
    for (const [j, v] of e.variants.entries()) {
      const at = `experiments.${i}.variants.${j}.overrides`;
      const keys = Object.keys(v.overrides);
      for (const k of keys) {
        if ((FIXED_KEYS as readonly string[]).includes(k))
          throw new LeversError('CONFIG_INVALID', {
            path: `${at}.${k}`,
            problem: 'cannot be changed by an experiment: it decides who is in one, not what it shows',
          });
      }
      const base = { ...(raw as Record<string, unknown>) };
      delete base.experiments;
      let parsed: OfferConfig & Record<string, unknown>;
      try {
        parsed = parseWhole(mergeOverrides(base, v.overrides), kinds);
      } catch (err) {
        if (err instanceof LeversError && err.code === 'CONFIG_INVALID') {
          const d = err.details as { path: string; problem: string };
          throw new LeversError('CONFIG_INVALID', {
            path: d.path === '(root)' ? at : `${at}.${d.path}`,
            problem: d.problem,
          });
        }
        throw err;
      }
      resolved.set(`${e.id}/${v.id}`, Object.fromEntries(keys.map((k) => [k, parsed[k]])));
    }
  }
  RESOLVED.set(config, resolved);
  return config;
}

const RESOLVED = new WeakMap<object, ReadonlyMap<string, Record<string, unknown>>>();

/** Each experiment variant's overridden keys, as parsed (see parseOfferConfig); empty for a config built by hand. */
export function resolvedVariants(config: OfferConfig): ReadonlyMap<string, Record<string, unknown>> {
  return RESOLVED.get(config) ?? new Map();
}

/**
 * The configuration as a server runs it: each bandit experiment's variants weighted by its published
 * weights (see withPublishedWeights), the variants' parsed overrides carried over.
 */
export function withBanditWeights<C extends OfferConfig>(
  config: C,
  published: readonly BanditWeights[],
): { config: C; applied: PublishedWeights['applied']; ignored: PublishedWeights['ignored'] } {
  if (!published.length) return { config, applied: [], ignored: [] };
  const p = withPublishedWeights(config.experiments, published);
  const out = { ...config, experiments: p.experiments };
  RESOLVED.set(out, resolvedVariants(config));
  return { config: out, applied: p.applied, ignored: p.ignored };
}

/**
 * The configuration every unit would see under one variant of an experiment: the variant's keys (as parsed) laid
 * over the rest, that experiment taken out; the other experiments still run, each by its own hash. The truth of
 * an experiment replays the same shoppers under each of these.
 */
export function configUnderVariant(config: OfferConfig, experiment: string, variant: string): OfferConfig {
  const resolved = resolvedVariants(config);
  const out = {
    ...config,
    ...(resolved.get(`${experiment}/${variant}`) ?? {}),
    experiments: config.experiments.filter((e) => e.id !== experiment),
  };
  RESOLVED.set(out, resolved);
  return out;
}

/**
 * The configuration with some keys replaced, its experiments' parsed variants carried over (a spread copy would
 * lose them, and with them every variant's overrides).
 */
export function withKeys<C extends OfferConfig>(config: C, keys: Partial<OfferConfig>): C {
  const out = { ...config, ...keys };
  RESOLVED.set(out, resolvedVariants(config));
  return out;
}

export type { Experiment };

function parseWhole(raw: unknown, kinds: readonly AnyOfferKind[]): OfferConfig & Record<string, unknown> {
  const r = offerConfigSchema(kinds).safeParse(raw);
  if (!r.success) {
    const { path, problem } = zodProblem(r.error, 'key');
    throw new LeversError('CONFIG_INVALID', { path: path || '(root)', problem });
  }
  const config = r.data as OfferConfig & Record<string, unknown>;
  for (const k of kinds) {
    const bad = k.config?.check?.(config[k.config.key] as never, config);
    if (bad) throw new LeversError('CONFIG_INVALID', { path: bad.path, problem: bad.problem });
  }
  const bad = overridesProblem(config.templates);
  if (bad) throw new LeversError('CONFIG_INVALID', bad);
  const ri = config.routines.findIndex((x) => x.percentOff > config.discountLimits.maxPercentOff);
  if (ri >= 0)
    throw new LeversError('CONFIG_INVALID', {
      path: `routines.${ri}.percentOff`,
      problem: `${config.routines[ri]!.percentOff}% is above discountLimits.maxPercentOff (${config.discountLimits.maxPercentOff}%)`,
    });
  return config;
}
