/**
 * One error class for the whole project. Each code has a fixed message template; adapters
 * (CLI, server) map codes to exit codes / HTTP status in one place, never by parsing messages.
 */
export const ERROR_CODES = {
  USAGE: 'Invalid usage: {detail}',
  FILE_NOT_FOUND: 'File not found: {file}',
  FILE_UNREADABLE: 'Cannot read {file}: {detail}',
  FILE_ENCODING:
    '{file} is not valid UTF-8 (byte {offset}, line {line}); re-export it as UTF-8, or pass --encoding windows-1252 if Excel saved it',
  UNKNOWN_FORMAT: 'Unknown format "{format}". Known formats: {known}',
  UNKNOWN_FILE_TYPE: 'Cannot tell the file type of {file}; use .csv, .jsonl/.ndjson or .parquet (optionally .gz)',
  INGEST_MISSING_COLUMN: '{file}: missing required column(s) {column}. Columns found: {found}',
  INGEST_EMPTY_FILE: '{file}: the file is empty (no header line)',
  UNKNOWN_SCENARIO: 'Unknown scenario "{scenario}". Known scenarios: {known}',
  INVALID_OPTION: 'Invalid option {option}: {detail}',
  STORE_ERROR: 'Store error: {detail}',
  NO_DATA: 'The store has no {what}: {hint}',
  CONFIG_INVALID: 'Offer configuration: {path} {problem}',
  MODEL_FAILED: 'The {model} model could not be evaluated on this data: {detail}',
  SERVER_UNREACHABLE: 'Cannot reach the Levers server at {url}: {detail}',
  SERVER_REFUSED: 'The Levers server answered {status} to {what}: {detail}',
  STORE_NOT_EMPTY: 'The store {dir} already holds data; pass --replace to empty it first, or --store another folder',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorDetails = Record<string, string | number | boolean | undefined>;

export class LeversError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(render(ERROR_CODES[code], details), options);
    this.name = 'LeversError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

function render(template: string, details: ErrorDetails): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => String(details[key] ?? `<${key}>`));
}

export function isLeversError(e: unknown): e is LeversError {
  return e instanceof LeversError;
}
