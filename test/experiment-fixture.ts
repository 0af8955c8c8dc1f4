/** The offer experiment the tests share: free shipping from $50 (the control) against $75, half and half. */
export function thresholdExperiment(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    id: 'ship-50-75',
    hypothesis: 'a $75 threshold lifts order value more than it costs in conversion',
    start: '2026-12-01',
    variants: [
      { id: 'control', weight: 0.5 },
      { id: 't75', weight: 0.5, overrides: { freeShipping: { thresholdMinor: 7500 } } },
    ],
    ...extra,
  };
}
