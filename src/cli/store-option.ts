import { openStore } from '../store/open.js';
import type { Store } from '../store/port.js';
import { databaseUrl } from './database-option.js';

/** --store DIR, else LEVERS_STORE, else .levers in the current directory; its tables in --database if given. */
export function storeOf(opt: string | undefined, fallback = '.levers'): Store {
  return openStore(opt ?? process.env.LEVERS_STORE ?? fallback, databaseUrl());
}
