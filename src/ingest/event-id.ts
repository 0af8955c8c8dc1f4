import { createHash } from 'node:crypto';

const FIELDS = ['session_id', 'occurred_at', 'type', 'product_id', 'quantity', 'value', 'offer_id'];

/**
 * Ids for events whose source has none, derived from their content so that reloading the file finds the same
 * ids; identical events within one file are told apart by occurrence number, not merged.
 */
export class EventIds {
  private readonly seen = new Map<string, number>();

  next(row: Record<string, unknown>): string {
    const content = FIELDS.map((k) => String(row[k] ?? '')).join('\u0001');
    const n = (this.seen.get(content) ?? 0) + 1;
    this.seen.set(content, n);
    return `ev_${createHash('sha1').update(`${content}\u0001${n}`).digest('hex').slice(0, 24)}`;
  }
}
