/**
 * PostgreSQL's COPY text format (tab-separated, \N for NULL): a value's backslash, tab, newline and carriage
 * return are escaped, everything else is sent as it is. https://www.postgresql.org/docs/15/sql-copy.html
 */
export function copyField(v: string | null): string {
  if (v === null) return '\\N';
  return v.replace(/[\\\t\n\r]/g, (c) =>
    c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r',
  );
}

export function copyLine(values: readonly (string | null)[]): string {
  return `${values.map(copyField).join('\t')}\n`;
}
