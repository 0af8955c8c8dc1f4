import { createRequire } from 'node:module';
import type Pg from 'pg';

const require = createRequire(import.meta.url);
let lib: typeof Pg | undefined;

/**
 * node-postgres, loaded on first use: a command on a DuckDB store (or `levers --help`) never pays for it
 * (start-up, issue 16). The adapter's modules import its types only.
 */
export function pgLib(): typeof Pg {
  lib ??= require('pg') as typeof Pg;
  return lib;
}
