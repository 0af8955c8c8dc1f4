import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LeversError } from '../core/errors.js';
import type { Summary } from '../core/metrics/summary.js';
import { TABLE_NAMES } from '../core/model/tables.js';
import { parseTimestamp } from '../core/time.js';
import { CsvFilesSink, FILE_OF } from '../sim/csv-files-sink.js';
import { simulate } from '../sim/simulate.js';
import { withDatabase, type Store } from '../store/port.js';
import { runIngest, type IngestReport } from './ingest.js';
import { mineFrom } from './mine.js';
import { summaryOf } from './summary.js';

export const DEMO_START = '2026-01-05';
const SEED = 42;

export interface DemoRun {
  store: string;
  exportDir: string;
  simulated: Record<string, number>;
  loads: IngestReport[];
  summaries: Summary[];
  period: { from: string | null; to: string | null };
  model: { version: number; file: string; rules: number; bundles: number };
  config: string;
  keys: { publishable: string; secret: string };
}

/**
 * Simulates a store, exports it as canonical CSV files, loads them as a user would, mines a model and writes
 * a server configuration with fresh keys. The folder must be empty or a demo store made before (never
 * anything else).
 */
export async function demo(
  store: Store,
  o: { days: number; sessionsPerDay: number; runId: string; createdAt: string },
  progress: {
    simulate?: (f: number) => void;
    ingest?: (format: string) => ((f: number) => void) | undefined;
  } = {},
): Promise<DemoRun> {
  if (!store.isEmpty() && !store.isDemoStore()) {
    throw new LeversError('NOT_A_DEMO_STORE', { dir: store.location });
  }
  store.destroy();
  const { exportDir, configFile } = store.demo;
  const sink = new CsvFilesSink(exportDir);
  store.markAsDemo();
  const sim = simulate(
    {
      seed: SEED,
      days: o.days,
      sessionsPerDay: o.sessionsPerDay,
      startMs: (parseTimestamp(DEMO_START) as { ms: number }).ms,
      currency: 'USD',
      scenario: 'baseline',
    },
    sink,
    (d) => progress.simulate?.((d + 1) / o.days),
  );
  sink.close();
  const out = await withDatabase(store, async (db) => {
    const loads: IngestReport[] = [];
    for (const t of TABLE_NAMES) {
      const [format, file] = FILE_OF[t];
      loads.push(
        await runIngest(store, db, format, [join(exportDir, file)], {
          runId: o.runId,
          onProgress: progress.ingest?.(format),
        }),
      );
    }
    const model = await mineFrom(
      db,
      { minSupport: 0.005, minConfidence: 0.3, maxLen: 4, topK: 50 },
      { version: store.snapshots.nextModelVersion(), createdAt: o.createdAt },
    );
    const file = store.snapshots.saveModel(model);
    store.snapshots.saveHistories({
      format: 1,
      version: model.version,
      customers: await db.repeatCustomerHistories(20),
    });
    return {
      loads,
      model: { version: model.version, file, rules: model.rules.length, bundles: model.bundles.length },
      ...(await summaryOf(db)),
    };
  });
  const keys = {
    publishable: `pk_demo_${randomBytes(8).toString('hex')}`,
    secret: `sk_demo_${randomBytes(12).toString('hex')}`,
  };
  writeFileSync(configFile, `${JSON.stringify(demoConfig(keys), null, 2)}\n`, { mode: 0o600 });
  return { store: store.location, exportDir, simulated: sim.rows, ...out, config: configFile, keys };
}

function demoConfig(keys: { publishable: string; secret: string }) {
  return {
    publishableKeys: [keys.publishable],
    secretKeys: [keys.secret],
    allowedOrigins: ['http://localhost:3000'],
    // A demo replays a whole day from one address; a real storefront's shoppers each have their own.
    rateLimitPerMinute: { publishable: 1_000_000, secret: 1_000 },
    // The demo replays days of the simulated past (levers replay --date), so events from years back are
    // taken.
    eventTimeWindow: { pastDays: 3650 },
    offers: {
      currency: 'USD',
      freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
      volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
      bundles: [
        { id: 'brew', title: 'Brew set', items: ['cm-basic', 'filters-100', 'beans-house'], percentOff: 10 },
      ],
      messages: { returning: 'Welcome back! Free shipping on orders over {threshold}.' },
      // O8: the better model of what is in the cart, with one reason; the chat's guided bundle.
      upsell: {
        highlights: {
          'cm-pro': 'brews into a thermal carafe that keeps it hot for four hours',
          'grinder-pro': 'grinds in 40 steps, from espresso to cold brew',
        },
      },
      routines: [
        {
          id: 'coffee',
          title: 'coffee routine',
          percentOff: 15,
          questions: [
            {
              id: 'brew',
              text: 'How do you make your coffee?',
              options: [
                { id: 'drip', label: 'A pot at a time', productId: 'cm-basic' },
                { id: 'pods', label: 'Pods', productId: 'pod-machine' },
              ],
            },
            {
              id: 'milk',
              text: 'Do you take milk?',
              options: [
                { id: 'yes', label: 'Yes, frothy', productId: 'frother' },
                { id: 'no', label: 'No, black' },
              ],
            },
            {
              id: 'beans',
              text: 'Whole beans for a fresh grind?',
              options: [
                { id: 'yes', label: 'Yes, with a grinder', productId: 'grinder' },
                { id: 'no', label: 'Ground is fine', productId: 'beans-house' },
              ],
            },
          ],
        },
      ],
    },
  };
}

/** The curl a newcomer can paste to ask the demo server for a decision. */
export function curlExample(url: string, key: string): string {
  const body = JSON.stringify({
    page: 'cart',
    sessionId: 'demo-1',
    cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 }],
  });
  return [
    `curl -s ${url}/v1/decide \\`,
    `  -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\`,
    `  -d '${body}'`,
  ].join('\n');
}
