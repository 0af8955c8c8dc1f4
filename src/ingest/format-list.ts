import { TABLES, type TableName } from '../core/model/tables.js';

/** The canonical formats: one per table of the data model. */
export const CANONICAL_FORMATS: Record<string, TableName> = {
  products: 'products',
  customers: 'customers',
  sessions: 'sessions',
  events: 'events',
  orders: 'orders',
  'order-lines': 'order_lines',
};

const canonical = Object.fromEntries(
  Object.entries(CANONICAL_FORMATS).map(([f, t]) => [
    f,
    `canonical ${t} (CSV, JSON lines or Parquet; gzip ok): ${TABLES[t].doc}`,
  ]),
);

/**
 * Every format levers ingest reads, in the order FORMATS (formats.ts) holds their loaders, with the one-line
 * summary the loader carries: names and words only, so the CLI's help needs no parser loaded.
 */
const SUMMARIES: Readonly<Record<string, string>> = {
  ...canonical,
  'shopify-orders': "Shopify's orders export (Admin → Orders → Export): one row per line item",
  'online-retail': 'UCI Online Retail invoices (one row per invoice line; C… invoices are returns)',
  'ga-sessions':
    'Google Analytics session/hit export (BigQuery GA360 shape): sessions, hits, transactions in micros',
  cdnow:
    "purchase log in CDNOW's shape (customer date units value; the 1/10 sample's extra id column is ignored)",
  'api-events': 'the event log written by levers serve (default file: <store>/events/events.jsonl)',
};

/** The formats' names and summaries, in FORMATS' order. */
export const FORMAT_LIST: readonly { name: string; summary: string }[] = Object.entries(SUMMARIES).map(
  ([name, summary]) => ({ name, summary }),
);

/** A format's summary (for its loader). */
export function formatSummary(name: string): string {
  const s = SUMMARIES[name];
  if (s === undefined) throw new Error(`format ${name} has no summary in format-list.ts`);
  return s;
}
