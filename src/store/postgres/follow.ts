import type pg from 'pg';
import type { PgConn } from './connection.js';
import { pgLib } from './pg-lib.js';

/**
 * The channel every publication is announced on: a model, an offer configuration or a bandit's weights (the
 * payload says which and its version, for people reading pg_stat_activity; followers pull whatever is newer).
 */
const CHANNEL = 'levers_snapshots';

/** Announces a publication to every listening server; inside the publishing transaction, sent on its commit. */
export async function announce(db: PgConn, what: string): Promise<void> {
  await db.run(`SELECT pg_notify($1, $2)`, [CHANNEL, what]);
}

/**
 * Follows what is published: LISTEN for announcements, and poll every `pollMs` as well (a notification is lost
 * while the connection is down). `pull` brings whatever is newer into this machine's folder and says what it
 * brought (null: nothing); `onNew` runs after each pull that brought something.
 */
export function followPublished<T>(
  url: string,
  pull: () => Promise<T | null>,
  onNew: (what: T) => void,
  pollMs = 5000,
): { close(): void } {
  let closed = false;
  let client: pg.Client | null = null;
  let busy = false;
  let again = false;
  const check = async (): Promise<void> => {
    if (closed) return;
    // An announcement during a pull is looked at after it: the pull may have read just before the commit.
    if (busy) {
      again = true;
      return;
    }
    busy = true;
    try {
      const got = await pull();
      if (got != null) onNew(got);
    } catch {
      // The database is away: what is served stays, the next poll tries again.
    } finally {
      busy = false;
    }
    if (again) {
      again = false;
      await check();
    }
  };
  const listen = async () => {
    if (closed || client) return;
    const c = new (pgLib().Client)({ connectionString: url, application_name: 'levers serve (snapshots)' });
    c.on('error', () => {
      client = null;
    });
    c.on('notification', () => void check());
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANNEL}`);
      client = c;
    } catch {
      await c.end().catch(() => {});
    }
  };
  void listen();
  const timer = setInterval(() => {
    void listen();
    void check();
  }, pollMs);
  timer.unref();
  return {
    close() {
      closed = true;
      clearInterval(timer);
      void client?.end().catch(() => {});
    },
  };
}
