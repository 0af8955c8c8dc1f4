import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventRow, SessionRow } from '../../../core/model/rows.js';
import { openStore } from '../../open.js';
import { withDatabase } from '../../port.js';

const NIGHT = Date.UTC(2026, 2, 2, 23, 58);
const session = (id: string, started_at: number): SessionRow => ({
  session_id: id,
  customer_id: null,
  started_at,
  device: 'desktop',
  channel: null,
  landing_page: null,
  country: null,
  user_agent: null,
  duration_s: 600,
  page_views: 3,
  assignment: 'treatment',
  experiments: null,
});
const event = (id: string, sessionId: string, at: number, type: EventRow['type']): EventRow => ({
  event_id: id,
  session_id: sessionId,
  occurred_at: at,
  type,
  product_id: null,
  quantity: null,
  value: null,
  currency: 'USD',
  offer_id: 'volume-tier',
});

test('offer events count on their session’s day: shown before midnight, accepted after, one session', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'levers-offers-'));
  try {
    const store = openStore(dir);
    const [day, next] = await withDatabase(store, async (db) => {
      const load = await db.beginLoad();
      load.write('sessions', session('s1', NIGHT));
      load.write('sessions', session('s2', NIGHT + 3_600_000));
      load.write('events', event('e1', 's1', NIGHT + 30_000, 'offer_shown'));
      load.write('events', event('e2', 's1', NIGHT + 300_000, 'offer_accepted'));
      load.write('events', event('e3', 's2', NIGHT + 3_700_000, 'offer_shown'));
      await load.commit();
      return [
        await db.offerEvents({ from: '2026-03-02', to: '2026-03-02' }),
        await db.offerEvents({ from: '2026-03-03', to: '2026-03-03' }),
      ];
    });
    assert.deepEqual(day, [
      { offer_id: 'volume-tier', channel: 'web', shown: 1, accepted: 1, declined: 0, replied: 0 },
    ]);
    assert.deepEqual(next, [
      { offer_id: 'volume-tier', channel: 'web', shown: 1, accepted: 0, declined: 0, replied: 0 },
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
