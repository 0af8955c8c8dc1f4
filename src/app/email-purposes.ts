/** The offers an email carries; on their own so the CLI's help names them without loading the offer engine. */
export const EMAIL_PURPOSES = ['post-purchase', 'cart-recovery'] as const;
export type EmailPurpose = (typeof EMAIL_PURPOSES)[number];
