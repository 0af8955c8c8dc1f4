import { Store } from '../store/connection.js';

/** --store DIR, else LEVERS_STORE, else .levers in the current directory. */
export function storeDir(opt: string | undefined): string {
  return opt ?? process.env.LEVERS_STORE ?? '.levers';
}

export async function withStore<T>(opt: string | undefined, fn: (s: Store) => Promise<T>): Promise<T> {
  const store = await Store.open(storeDir(opt));
  try {
    return await fn(store);
  } finally {
    store.close();
  }
}
