/** A signed figure with the typographic minus, as every change is printed: +1.2, −0.4. */
export const signed = (x: number, digits = 1): string =>
  `${x >= 0 ? '+' : '−'}${Math.abs(x).toFixed(digits)}`;

/** A share as a signed percentage: 0.012 → +1.2%. */
export const signedPercent = (share: number, digits = 1): string => `${signed(share * 100, digits)}%`;
