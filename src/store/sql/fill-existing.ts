import { TABLES, type TableName } from '../../core/model/tables.js';
import { ident } from './conn.js';

/**
 * Customers and products are described partly by each source (an orders export knows a customer's first
 * order, a CRM file their tier): a missing value keeps what the store already has instead of erasing it.
 */
export const PARTIAL_DESCRIPTIONS: ReadonlySet<TableName> = new Set<TableName>(['customers', 'products']);

/**
 * The UPDATE that fills a staged row's missing values from the stored row with the same key (`on` joins the
 * staged table s to the stored t); the earliest first_seen_at wins. One statement for both engines.
 */
export function fillFromExistingSql(t: TableName, dedup: string, on: string): string {
  const sets = TABLES[t].columns
    .filter((c) => !c.key)
    .map((c) => {
      const n = ident(c.name);
      return c.name === 'first_seen_at'
        ? `${n} = least(coalesce(s.${n}, t.${n}), coalesce(t.${n}, s.${n}))`
        : `${n} = coalesce(s.${n}, t.${n})`;
    });
  return `UPDATE ${dedup} AS s SET ${sets.join(', ')} FROM ${ident(t)} AS t WHERE ${on}`;
}
