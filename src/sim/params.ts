import type { Device } from '../core/model/tables.js';

/** Everything the shopper model depends on for one day. Money in cents. */
export interface DayParams {
  freeShippingThresholdMinor: number;
  shippingFeeMinor: number;
  taxRate: number;
  deviceShare: Record<'desktop' | 'mobile' | 'tablet', number>;
  botShare: number;
  offersEnabled: boolean;
  holdoutShare: number;
  coupon: { code: string; percentOff: number; channels: string[]; uptake: number } | null;
  bundle: { id: string; title: string; items: string[]; percentOff: number; takeRate: number } | null;
  /** Multiplies every shopper's chance of topping a cart up to free shipping (1 = the model's own). */
  topUpFactor?: number;
}

export interface SimOptions {
  seed: number;
  days: number;
  sessionsPerDay: number;
  /** First simulated day, UTC midnight. */
  startMs: number;
  currency: string;
  scenario: string;
  changeDay?: number;
  /**
   * Multiplies every shopper's chance of adding to cart (1 = the realistic default); benchmarks use it for
   * order volume.
   */
  intent?: number;
  /**
   * Shoppers differ for life: each new visitor draws an appetite, log-normal with this σ and mean 1, that
   * multiplies their chance of adding to cart on every visit, as a customer too, and keen customers come back
   * more often (0 or absent: all alike, and recent customers return most, the default). With it a customer's
   * past spend predicts their next, which is what CUPED needs.
   */
  appetiteSpread?: number;
  /** Prefix for session, order and customer ids, so runs simulated in pieces never collide. */
  idPrefix?: string;
  /** Free-shipping thresholds (cents) to replay the whole run under, for the truth file's best threshold. */
  thresholdGrid?: number[];
  /**
   * Shoppers top up to free shipping this many times as often as the model's own rate: stores whose true
   * response differs, for checking that the report estimates it rather than assuming it.
   */
  topUpFactor?: number;
  /** Shoppers meet no simulated offers and no holdout: a live server makes the offers (levers replay). */
  organic?: boolean;
  /**
   * A free-shipping threshold experiment: each treated session is assigned a variant by the same hash as
   * levers serve (unit: the session) and shops under its threshold; the truth replays every session under each
   * variant's threshold for the true effect.
   */
  experiment?: SimExperiment;
  /**
   * Experiments that change nothing (A/A splits, or a split deliberately delivered off its configured weights),
   * stamped on treated sessions as levers serve would: many experiments on one store for validating the analysis.
   */
  inertExperiments?: InertExperiment[];
}

export interface InertExperiment {
  id: string;
  variants: { id: string; weight: number }[];
  /** What keeps its variant: the session (default), or the visitor (the customer when known), as levers serve. */
  unit?: 'session' | 'visitor';
}

export interface SimExperiment {
  id: string;
  variants: { id: string; weight: number; thresholdMinor: number }[];
}

export const BASE_PARAMS: DayParams = {
  freeShippingThresholdMinor: 5000,
  shippingFeeMinor: 695,
  taxRate: 0.07,
  deviceShare: { desktop: 0.34, mobile: 0.58, tablet: 0.08 },
  botShare: 0.03,
  offersEnabled: true,
  holdoutShare: 0.05,
  coupon: null,
  bundle: null,
};

/** Funnel rates by device: mobile browses more and converts and spends less (a 20–40% AOV gap). */
export const FUNNEL: Record<
  Exclude<Device, 'other' | 'unknown'>,
  {
    addToCart: number;
    checkout: number;
    purchase: number;
    complementFactor: number;
    premiumShare: number;
    /** Chance of a second, unrelated item; and willingness to add a filler to reach free shipping. */
    extraItem: number;
    bridgeFactor: number;
  }
> = {
  desktop: {
    addToCart: 0.09,
    checkout: 0.56,
    purchase: 0.76,
    complementFactor: 0.75,
    premiumShare: 0.4,
    extraItem: 0.2,
    bridgeFactor: 1,
  },
  mobile: {
    addToCart: 0.075,
    checkout: 0.4,
    purchase: 0.62,
    complementFactor: 0.22,
    premiumShare: 0.08,
    extraItem: 0.05,
    bridgeFactor: 0.6,
  },
  tablet: {
    addToCart: 0.08,
    checkout: 0.5,
    purchase: 0.7,
    complementFactor: 0.5,
    premiumShare: 0.25,
    extraItem: 0.12,
    bridgeFactor: 0.85,
  },
};

export const CHANNELS: [string, number, number][] = [
  // name, share, add-to-cart factor
  ['organic_search', 0.35, 1.0],
  ['paid_search', 0.18, 1.1],
  ['direct', 0.17, 1.2],
  ['social', 0.12, 0.7],
  ['email', 0.1, 1.5],
  ['referral', 0.08, 0.9],
];

export const COUNTRIES: [string, number][] = [
  ['US', 0.58],
  ['CA', 0.1],
  ['GB', 0.1],
  ['DE', 0.06],
  ['AU', 0.06],
  ['FR', 0.04],
  ['NL', 0.03],
  ['SE', 0.03],
];
