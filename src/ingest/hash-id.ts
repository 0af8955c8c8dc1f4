import { createHash } from 'node:crypto';

/**
 * Customer keys derived from e-mail addresses: stable across exports, but the address itself is not stored,
 * so the analytical store holds no contact data.
 */
export function emailCustomerId(email: string): string {
  return `cus_${createHash('sha256').update(email.trim().toLowerCase()).digest('hex').slice(0, 20)}`;
}
