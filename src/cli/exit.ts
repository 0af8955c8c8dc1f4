import { isLeversError, type ErrorCode } from '../core/errors.js';

/** Exit codes: 0 done, 1 failed, 2 bad usage, 3 done but some input rows were rejected. */
export const EXIT = { OK: 0, FAILED: 1, USAGE: 2, REJECTS: 3 } as const;

const USAGE_CODES = new Set<ErrorCode>(['USAGE', 'UNKNOWN_FORMAT', 'UNKNOWN_SCENARIO', 'INVALID_OPTION']);

export function exitCodeFor(e: unknown): number {
  return isLeversError(e) && USAGE_CODES.has(e.code) ? EXIT.USAGE : EXIT.FAILED;
}
