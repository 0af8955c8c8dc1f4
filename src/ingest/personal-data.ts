/**
 * Fields of an export that describe a person rather than an order: e-mail, phone, names, addresses, notes,
 * network addresses. Rejects files keep only what the operator needs to fix a row, so these are removed
 * unless asked for. Country stays (it is a segment, not a person), and so do product and order names
 * ("Lineitem name", "Name").
 */
const PERSONAL =
  /e-?mail|phone|street|address|\bzip\b|postal|company|\bnotes?\b|note attributes|first.?name|last.?name|customer.?name|^billing (?!country)|^shipping (name|street|address|company|city|zip|province|phone)|^ip$|ip.?address/i;

export const REMOVED = '[removed: personal data]';

export function isPersonalField(name: string): boolean {
  return PERSONAL.test(name.trim());
}

/** The record with every personal field's value replaced by a marker (empty values stay empty). */
export function withoutPersonalData(record: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(record))
    out[k] = isPersonalField(k) && v != null && String(v).trim() !== '' ? REMOVED : v;
  return out;
}
