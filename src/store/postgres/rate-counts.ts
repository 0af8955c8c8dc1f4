import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { SharedCounters } from '../port.js';
import { pgLib } from './pg-lib.js';

/** Windows older than this are deleted when a new one starts (they can no longer limit anyone). */
const KEEP_MS = 60 * 60_000;

/**
 * Rate-limit counts in PostgreSQL, shared by every server of the store: each adds what it counted since its last
 * sync (a few times a second) with one upsert, and reads back everyone's totals of those keys. The keys are
 * hashed (SHA-256) before they reach the database: they hold API keys, secret ones too.
 */
export class PgCounters implements SharedCounters {
  private readonly pool: pg.Pool;
  private readonly keyOf = new Map<string, string>();
  private window = -Infinity;

  constructor(url: string) {
    this.pool = new (pgLib().Pool)({
      connectionString: url,
      max: 1,
      connectionTimeoutMillis: 2000,
      query_timeout: 5000,
    });
    this.pool.on('error', () => {});
  }

  async add(window: number, deltas: readonly [string, number][]): Promise<[string, number][]> {
    if (window > this.window) {
      this.window = window;
      this.keyOf.clear();
      await this.pool.query(`DELETE FROM rate_counts WHERE window_start < $1::BIGINT`, [window - KEEP_MS]);
    }
    const hashes = deltas.map(([k]) => {
      const h = createHash('sha256').update(k).digest('hex');
      this.keyOf.set(h, k);
      return h;
    });
    const r = await this.pool.query<{ h: string; n: string }>(
      `INSERT INTO rate_counts (window_start, key_hash, n)
       SELECT $1::BIGINT, h, d FROM unnest($2::VARCHAR[], $3::BIGINT[]) AS x(h, d)
       ON CONFLICT (window_start, key_hash) DO UPDATE SET n = rate_counts.n + excluded.n
       RETURNING key_hash AS h, n::VARCHAR AS n`,
      [window, hashes, deltas.map(([, d]) => d)],
    );
    return r.rows.map((x) => [this.keyOf.get(x.h)!, Number(x.n)]);
  }

  close(): void {
    void this.pool.end().catch(() => {});
  }
}
