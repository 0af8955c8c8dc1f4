import type { z } from 'zod';

/** Exit codes: 0 done, 1 failed, 2 bad usage, 3 done but some input rows were rejected. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, REJECTS: 3 } as const;

interface Entry {
  /**
   * What went wrong and what to do, with {placeholders} from the details; said the same over HTTP and on the
   * CLI.
   */
  message: string;
  /** A command-line hint added on the CLI only (flags and commands mean nothing to an HTTP client). */
  cli?: string;
  status: number;
  exit: number;
}

const e = (message: string, status: number, exit: number = EXIT.FAILED, cli?: string): Entry =>
  cli ? { message, status, exit, cli } : { message, status, exit };

/**
 * The one error catalogue: every code with its message template, its HTTP status and its CLI exit code.
 * Adapters (CLI, server) map codes through this table, never by parsing messages.
 */
export const ERROR_CODES = {
  USAGE: e('Invalid usage: {detail}', 400, EXIT.USAGE, '{help}'),
  INVALID_OPTION: e('Invalid {option}: {detail}', 400, EXIT.USAGE),
  UNKNOWN_FORMAT: e('Unknown format "{format}"{suggestion}. Known formats: {known}', 400, EXIT.USAGE),
  UNKNOWN_SCENARIO: e('Unknown scenario "{scenario}"{suggestion}. Known scenarios: {known}', 400, EXIT.USAGE),
  FILE_NOT_FOUND: e('File not found: {file}', 404),
  FILE_UNREADABLE: e('Cannot read {file}: {detail}', 422),
  FILE_ENCODING: e(
    '{file} is not valid UTF-8 (byte {offset}, line {line}); re-export it as UTF-8',
    422,
    EXIT.FAILED,
    'or pass --encoding windows-1252 if Excel saved it',
  ),
  UNKNOWN_FILE_TYPE: e(
    'Cannot tell the file type of {file}; use .csv, .jsonl/.ndjson or .parquet (optionally .gz)',
    422,
  ),
  INGEST_MISSING_COLUMN: e('{file}: missing required column(s) {column}. Columns found: {found}', 422),
  INGEST_EMPTY_FILE: e('{file}: the file is empty (no header line)', 422),
  STORE_ERROR: e('Store error: {detail}', 500),
  STORE_BUSY: e('The store is busy: {detail}', 503),
  DB_UNREACHABLE: e('Cannot reach the database {url}: {detail}', 503),
  DB_NOT_MIGRATED: e(
    'The database schema is at version {version} and this Levers needs {latest}',
    503,
    EXIT.FAILED,
    'run levers db migrate --database <url> first',
  ),
  DB_SCHEMA_NEWER: e(
    'The database schema is at version {version}, newer than this Levers knows ({known}); nothing was changed',
    503,
    EXIT.FAILED,
    'upgrade Levers on this machine to the version that migrated the database',
  ),
  EVENTS_UNAVAILABLE: e(
    'events cannot be stored right now ({detail}); nothing of this batch was kept: send it again later',
    503,
  ),
  STORE_NOT_EMPTY: e(
    'The store {dir} already holds data',
    409,
    EXIT.FAILED,
    'pass --replace to empty it first, or --store another folder',
  ),
  MIXED_DATA: e(
    'the file holds orders in {incoming}, and the store holds {held}: nothing was loaded; a store holds ' +
      "one store's data, and its reports are per currency",
    409,
    EXIT.FAILED,
    'if it is the same store, load it again with --allow-mixed; else use --store another folder',
  ),
  NOT_A_DEMO_STORE: e(
    '{dir} is not empty and was not made by levers demo, so it was left untouched',
    409,
    EXIT.FAILED,
    'give the demo an empty or new folder with --store',
  ),
  SNAPSHOT_INVALID: e(
    'The {what} snapshot cannot be used: {problem}',
    422,
    EXIT.FAILED,
    'mine it again (levers mine)',
  ),
  WEIGHTS_INVALID: e(
    'The published bandit weights of {experiment} cannot be used: {problem}',
    422,
    EXIT.FAILED,
    'publish them again (levers experiment weights {experiment})',
  ),
  NO_DATA: e('The store has no {what}', 409, EXIT.FAILED, '{hint}'),
  UNKNOWN_EXPERIMENT: e(
    'unknown experiment {id}: the configuration has {known} (and "holdout", the global holdout)',
    404,
    EXIT.USAGE,
    'levers experiment list names them; pass --config with the server configuration',
  ),
  CONFIG_INVALID: e('Configuration: {path} {problem}', 500),
  MODEL_FAILED: e('The {model} model could not be evaluated on this data: {detail}', 422),
  SERVER_UNREACHABLE: e('Cannot reach the Levers server at {url}: {detail}', 502),
  SERVER_REFUSED: e('The Levers server answered {status} to {what}: {detail}', 502),
  // HTTP only: requests the server refuses.
  INVALID_REQUEST: e('{field}: {detail}', 400),
  INVALID_JSON: e('{detail}', 400),
  BATCH_TOO_LARGE: e('send at most {max} events per request', 400),
  BODY_TOO_LARGE: e('the body is over {max} bytes; send smaller batches', 413),
  UNSUPPORTED_MEDIA_TYPE: e('send the body as application/json', 415),
  MISSING_KEY: e('send your API key as "Authorization: Bearer <key>"', 401),
  UNKNOWN_KEY: e('this API key is not configured on the server', 401),
  SECRET_KEY_REQUIRED: e(
    'this endpoint needs a secret key; publishable keys may only call /v1/decide, /v1/conversation and /v1/events',
    403,
  ),
  SECRET_KEY_IN_URL: e(
    'never put a secret key in a URL: send it as "Authorization: Bearer <key>", and rotate it now',
    400,
  ),
  RATE_LIMITED: e('more than {max} requests a minute {scope}; retry in {retryAfter} s', 429),
  NO_STORE: e('the server was started without a store to report on', 409),
  ORIGIN_NOT_ALLOWED: e(
    'requests from {origin} are not allowed; add the origin to allowedOrigins in the configuration',
    403,
  ),
  NOT_FOUND: e('no route {method} {url}; see /v1/openapi.json', 404),
  // The dashboard's sign-in and its session (HTTP only).
  DASHBOARD_SIGN_IN_REQUIRED: e('sign in to the dashboard first (/dashboard/sign-in): {detail}', 401),
  DASHBOARD_KEY_REFUSED: e('this key does not open the dashboard: sign in with one of the secret keys', 401),
  DASHBOARD_PUBLISHABLE_KEY: e(
    'a publishable key is public (it is in every storefront page) and never opens the dashboard: sign in with a secret key',
    403,
  ),
  CSRF_REFUSED: e('{detail}; reload the dashboard page and try again', 403),
  INTERNAL: e('internal error', 500),
} as const satisfies Record<string, Entry>;

export type ErrorCode = keyof typeof ERROR_CODES;
export type ErrorDetails = Record<string, string | number | boolean | undefined>;

export class LeversError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(render(ERROR_CODES[code].message, details), options);
    this.name = 'LeversError';
    this.code = code;
    this.details = details;
  }

  get status(): number {
    return ERROR_CODES[this.code].status;
  }

  get exitCode(): number {
    return ERROR_CODES[this.code].exit;
  }

  /** The message with its command-line hint, for the terminal. */
  get cliMessage(): string {
    const entry: Entry = ERROR_CODES[this.code];
    const hint = entry.cli ? render(entry.cli, this.details) : '';
    return hint && !hint.startsWith('<') ? `${this.message}; ${hint}` : this.message;
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

/**
 * The first problem zod found, as a dotted path and a sentence that says what to fix (one wording
 * everywhere).
 */
export function zodProblem(err: z.ZodError, what = 'field'): { path: string; problem: string } {
  const i = err.issues[0]!;
  const path = i.path.map(String).join('.');
  const problem =
    i.code === 'unrecognized_keys'
      ? `unknown ${what}(s) ${(i as { keys: string[] }).keys.join(', ')}`
      : i.message;
  return { path, problem };
}
