import { mkdirSync } from 'node:fs';
import type { Command } from 'commander';
import { z } from 'zod';
import { buildReport } from '../report/build.js';
import { buildApp } from '../server/app.js';
import { loadServerConfig } from '../server/config.js';
import { EventLog } from '../server/event-log.js';
import { SEGMENT_DIMENSIONS } from '../store/queries/report-facts.js';
import { loadModel } from './recs.js';
import { parseOptions } from './options.js';
import { storeDir, withStore } from './store-option.js';

const Options = z.object({
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  config: z.string(),
  store: z.string().optional(),
});

export function registerServe(program: Command): void {
  program
    .command('serve')
    .description('the HTTP API for the storefront and dashboard (decide, events, recommendations, report)')
    .option('--port <n>', 'port', '8080')
    .option('--host <addr>', 'address to listen on', '127.0.0.1')
    .option('--config <file>', 'server configuration (keys, origins, limits, offers)', 'levers.config.json')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const config = loadServerConfig(o.config);
      const dir = storeDir(o.store);
      let model = loadModel(dir);
      mkdirSync(`${dir}/events`, { recursive: true });
      const events = new EventLog(`${dir}/events/events.jsonl`);
      const app = await buildApp({
        config, model: () => model, events, logger: process.env.XLOG !== "0",
        report: () => withStore(dir, (s) => buildReport(s, { period: 'week', segments: [...SEGMENT_DIMENSIONS], includeShipping: false, includeTax: false, clv: false })),
      });
      // A new snapshot (levers mine) is picked up on SIGHUP without dropping a request: the swap is one assignment.
      process.on('SIGHUP', () => {
        model = loadModel(dir);
        app.log.info({ model: model.version }, 'model reloaded');
      });
      const stop = async () => {
        await app.close();
        events.close();
        process.exit(0);
      };
      process.on('SIGTERM', stop);
      process.on('SIGINT', stop);
      const address = await app.listen({ port: o.port, host: o.host });
      process.stderr.write(`levers serve: ${address} (model v${model.version}, ${events.size} events stored)\n`);
    });
}
