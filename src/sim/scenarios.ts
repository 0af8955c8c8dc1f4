import { LeversError } from '../core/errors.js';
import { didYouMean } from '../core/suggest.js';
import { BASE_PARAMS, type DayParams } from './params.js';

export interface Scenario {
  name: string;
  description: string;
  /** Parameters in force on a day, given the day the change happens. */
  paramsFor(day: number, changeDay: number): DayParams;
  /** What changed, for the truth file. */
  change: { parameter: string; before: unknown; after: unknown } | null;
}

const base = (): DayParams => structuredClone(BASE_PARAMS);

function shiftDevices(p: DayParams, mobile: number): DayParams {
  const rest = 1 - p.deviceShare.mobile;
  const scale = (1 - mobile) / rest;
  p.deviceShare = { desktop: p.deviceShare.desktop * scale, mobile, tablet: p.deviceShare.tablet * scale };
  return p;
}

const COUPON = { code: 'SAVE20', percentOff: 20, channels: ['email', 'social', 'paid_search'], uptake: 0.6 };
const BUNDLE = {
  id: 'skin-set',
  title: 'Morning + Night Set',
  items: ['cream-am', 'cream-pm'],
  percentOff: 15,
  takeRate: 0.3,
};

export const SCENARIOS: readonly Scenario[] = [
  { name: 'baseline', description: 'nothing changes', paramsFor: () => base(), change: null },
  {
    name: 'threshold-raise',
    description: 'the free-shipping threshold rises from $50 to $75 on the change day',
    paramsFor: (d, c) => ({ ...base(), freeShippingThresholdMinor: d >= c ? 7500 : 5000 }),
    change: { parameter: 'freeShippingThresholdMinor', before: 5000, after: 7500 },
  },
  {
    name: 'mobile-shift',
    description:
      'the mobile share of sessions rises from 50% to 75% over the week after the change day; ' +
      'nothing changes within any device',
    paramsFor: (d, c) => shiftDevices(base(), 0.5 + 0.25 * Math.min(1, Math.max(0, (d - c + 1) / 7))),
    change: { parameter: 'deviceShare.mobile', before: 0.5, after: 0.75 },
  },
  {
    name: 'coupon-campaign',
    description:
      'a 20%-off code (SAVE20) runs for 14 days from the change day for email, social and paid-search ' +
      'visitors',
    paramsFor: (d, c) => ({ ...base(), coupon: d >= c && d < c + 14 ? COUPON : null }),
    change: { parameter: 'coupon', before: null, after: COUPON },
  },
  {
    name: 'new-bundle',
    description: 'a Morning + Night skincare set at 15% off is sold from the change day',
    paramsFor: (d, c) => ({ ...base(), bundle: d >= c ? BUNDLE : null }),
    change: { parameter: 'bundle', before: null, after: BUNDLE },
  },
];

export function scenarioByName(name: string): Scenario {
  const s = SCENARIOS.find((x) => x.name === name);
  if (!s)
    throw new LeversError('UNKNOWN_SCENARIO', {
      scenario: name,
      suggestion: didYouMean(
        name,
        SCENARIOS.map((x) => x.name),
      ),
      known: SCENARIOS.map((x) => x.name).join(', '),
    });
  return s;
}

/** The counterfactual: the same scenario with its change never happening. */
export function withoutChange(s: Scenario): Scenario {
  return { ...s, paramsFor: (d, c) => s.paramsFor(Math.min(d, c - 1), c) };
}
