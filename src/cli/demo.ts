import { randomBytes } from 'node:crypto';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { z } from 'zod';
import { TABLE_NAMES } from '../core/model/tables.js';
import { parseTimestamp } from '../core/time.js';
import { runIngest } from '../ingest/run.js';
import { CsvFilesSink, FILE_OF } from '../sim/csv-files-sink.js';
import { simulate } from '../sim/simulate.js';
import { runIdNow } from './ingest.js';
import { int, printJson, progressBar } from './output.js';
import { parseOptions } from './options.js';
import { mineModel, saveHistories, saveModel } from './recs.js';
import { single } from './serve.js';
import { withStore } from './store-option.js';
import { loadSummaries, renderSummary } from './summary.js';

export const DEMO_STORE = '.levers-demo';
const START = '2026-01-05';

const Options = z.object({
  days: z.coerce.number().int('--days must be a whole number').min(1, '--days must be at least 1').max(3660),
  sessionsPerDay: z.coerce.number().int('--sessions-per-day must be a whole number').min(1, '--sessions-per-day must be at least 1').max(1_000_000),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  serve: z.boolean(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(`simulate a store, load it, mine it and serve it, printing a working curl example (store: ${DEMO_STORE})`)
    .option('--days <n>', 'days to simulate', '60')
    .option('--sessions-per-day <n>', 'sessions per day', '1500')
    .option('--port <n>', 'port to serve on (another free one if it is taken)', '8080')
    .option('--host <addr>', 'address to serve on', '127.0.0.1')
    .option('--no-serve', 'stop after loading and mining (no server)')
    .option('--json', 'print as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const dir = o.store ?? DEMO_STORE;
      rmSync(dir, { recursive: true, force: true });
      const exportDir = join(dir, 'export');
      const sink = new CsvFilesSink(exportDir);
      const simBar = progressBar('simulate', !!o.json);
      const sim = simulate({ seed: 42, days: o.days, sessionsPerDay: o.sessionsPerDay, startMs: (parseTimestamp(START) as { ms: number }).ms, currency: 'USD', scenario: 'baseline' },
        sink, (d) => simBar.update((d + 1) / o.days));
      simBar.stop();
      sink.close();
      const runId = runIdNow();
      const out = await withStore(dir, async (store) => {
        const loads = [];
        for (const t of TABLE_NAMES) {
          const [format, file] = FILE_OF[t];
          const bar = progressBar(`ingest ${format}`, !!o.json);
          loads.push(await runIngest(store, format, [join(exportDir, file)], { runId, onProgress: (f) => bar.update(f) }).finally(() => bar.stop()));
        }
        const model = await mineModel(store, { minSupport: 0.005, minConfidence: 0.3, maxLen: 4, topK: 50 });
        saveModel(store, model);
        await saveHistories(store, model.version);
        return { loads, model: { version: model.version, file: join(dir, 'models', `recs-v${model.version}.json`), rules: model.rules.length, bundles: model.bundles.length }, ...(await loadSummaries(store)) };
      });
      const keys = { publishable: `pk_demo_${randomBytes(8).toString('hex')}`, secret: `sk_demo_${randomBytes(12).toString('hex')}` };
      const config = join(dir, 'levers.config.json');
      writeFileSync(config, JSON.stringify(demoConfig(keys), null, 2) + '\n');
      const lines = [
        `Simulated ${o.days} days of a store (seed 42) and exported canonical CSV files to ${exportDir}.`,
        'Loaded them with levers ingest:',
        ...out.loads.map((l) => `  ${l.format.padEnd(12)} ${int(l.rows.read).padStart(10)} rows read, ${int(l.rows.loaded)} loaded, ${int(l.rows.rejected)} rejected`),
        '',
        `Store summary ${out.period.from?.slice(0, 10)} .. ${out.period.to?.slice(0, 10)}`,
        ...out.summaries.map(renderSummary),
        '',
        `Mined recommendation model v${out.model.version} (${int(out.model.rules)} rules, ${int(out.model.bundles)} bundles) → ${out.model.file}`,
        `Server configuration with fresh keys → ${config}`,
      ];
      if (!o.serve) {
        if (o.json) return printJson({ store: dir, simulated: sim.rows, loads: out.loads, summaries: out.summaries, model: out.model, config, keys });
        lines.push('', `Serve it: npx levers --store ${dir} serve --config ${config}`);
        return void process.stdout.write(lines.join('\n') + '\n');
      }
      const serveOpts = { port: o.port, host: o.host, config, workers: 1, logLevel: 'warn' as const, logRequests: false, store: dir };
      const url = await single(serveOpts, dir, false).catch((e: Error & { code?: string }) => {
        if (e.code !== 'EADDRINUSE') throw e;
        return single({ ...serveOpts, port: 0 }, dir, false);
      });
      const curl = curlExample(url, keys.publishable);
      if (o.json) return printJson({ store: dir, simulated: sim.rows, loads: out.loads, summaries: out.summaries, model: out.model, config, keys, url, curl });
      lines.push(
        '',
        `Serving the demo store at ${url} (Ctrl-C to stop). Ask it what to show for a cart:`,
        '',
        curl,
        '',
        'Replay a simulated day of shoppers through it, then report on what they did:',
        `  npx levers replay --url ${url} --key ${keys.publishable} --date 2026-03-10`,
        `  npx levers --store ${dir} ingest api-events && npx levers --store ${dir} report --from 2026-03-10 --to 2026-03-10`,
      );
      process.stdout.write(lines.join('\n') + '\n');
    });
}

function demoConfig(keys: { publishable: string; secret: string }) {
  return {
    publishableKeys: [keys.publishable],
    secretKeys: [keys.secret],
    allowedOrigins: ['http://localhost:3000'],
    // A demo replays a whole day from one address; a real storefront's shoppers each have their own.
    rateLimitPerMinute: { publishable: 1_000_000, secret: 1_000 },
    offers: {
      currency: 'USD',
      freeShipping: { thresholdMinor: 5000, shippingFeeMinor: 695 },
      volumeTiers: [{ minQuantity: 2, percentOff: 10 }],
      bundles: [{ id: 'brew', title: 'Brew set', items: ['cm-basic', 'filters-100', 'beans-house'], percentOff: 10 }],
      messages: { returning: 'Welcome back! Free shipping on orders over {threshold}.' },
    },
  };
}

export function curlExample(url: string, key: string): string {
  const body = JSON.stringify({ page: 'cart', sessionId: 'demo-1', cart: [{ productId: 'cm-basic', quantity: 1, unitPriceMinor: 4900 }] });
  return [`curl -s ${url}/v1/decide \\`, `  -H 'authorization: Bearer ${key}' -H 'content-type: application/json' \\`, `  -d '${body}'`].join('\n');
}
