import { LeversError } from '../core/errors.js';
import type { Database } from '../store/port.js';

/**
 * The currency to analyse (the one asked, else the one with most sales) and the store's currencies by sales. A currency the store never sold in is
 * refused, since every figure in it would read as zero sales rather than as a mistake.
 */
export async function currencyOf(
  db: Database,
  asked: string | undefined,
): Promise<{ currency: string; sold: { currency: string; sales: number }[] }> {
  const sold = await db.currencies();
  if (asked && sold.length && !sold.some((c) => c.currency === asked))
    throw new LeversError('INVALID_OPTION', {
      option: 'currency',
      detail: `the store has no sales in ${asked}; it sells in ${sold.map((c) => c.currency).join(', ')}`,
    });
  return { currency: asked ?? sold[0]?.currency ?? 'USD', sold };
}
