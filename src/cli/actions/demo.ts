import type { Command } from '../command.js';
import { z } from 'zod';
import { curlExample, demo, type DemoRun } from '../../app/demo.js';
import { int } from '../../render/format.js';
import { renderSummary } from '../../render/summary.js';
import { DEMO_STORE } from '../demo.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';
import { storeOf } from '../store-option.js';
import { runIdNow } from './ingest.js';

const Options = z.object({
  days: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(3660),
  sessionsPerDay: z.coerce.number().int('must be a whole number').min(1, 'must be at least 1').max(1_000_000),
  port: z.coerce.number().int().min(0).max(65535),
  host: z.string(),
  serve: z.boolean(),
  json: z.boolean().optional(),
  store: z.string().optional(),
});

/** `levers demo`. */
export async function runDemo(cmd: Command): Promise<void> {
  const o = parseOptions(Options, cmd);
  // The demo never uses $LEVERS_STORE: it must not replace a real store by accident.
  const store = storeOf(o.store ?? DEMO_STORE);
  const simBar = progressBar('simulate', !!o.json);
  const bars: ReturnType<typeof progressBar>[] = [simBar];
  const run = await demo(
    store,
    {
      days: o.days,
      sessionsPerDay: o.sessionsPerDay,
      runId: runIdNow(),
      createdAt: new Date().toISOString(),
    },
    {
      simulate: (f) => simBar.update(f),
      ingest: (format) => {
        for (const b of bars) b.stop();
        const bar = progressBar(`ingest ${format}`, !!o.json);
        bars.push(bar);
        return (f) => bar.update(f);
      },
    },
  ).finally(() => {
    for (const b of bars) b.stop();
  });
  const lines = describe(run, o.days);
  if (!o.serve) {
    if (o.json) return printJson(run);
    lines.push('', `Serve it: npx levers --store ${run.store} serve --config ${run.config}`);
    return void process.stdout.write(`${lines.join('\n')}\n`);
  }
  const serveOpts = {
    port: o.port,
    host: o.host,
    config: run.config,
    workers: 1,
    logLevel: 'warn' as const,
    logRequests: false,
    // A model mined or weights published while the demo runs are served within seconds.
    watch: 5,
  };
  // The server (Fastify) loads only when the demo serves.
  const { serveSingle } = await import('../../server/run.js');
  const url = await serveSingle(store, serveOpts, false).catch((e: Error & { code?: string }) => {
    if (e.code !== 'EADDRINUSE') throw e;
    return serveSingle(store, { ...serveOpts, port: 0 }, false);
  });
  const curl = curlExample(url, run.keys.publishable);
  if (o.json) return printJson({ ...run, url, shop: `${url}/shop`, dashboard: `${url}/dashboard`, curl });
  lines.push(
    '',
    `Serving the demo store at ${url} (Ctrl-C to stop).`,
    '',
    `Open the demo shop in a browser to see the widget's offers: ${url}/shop`,
    '',
    `Open the operator's dashboard at ${url}/dashboard and sign in with the secret key ${run.keys.secret}`,
    `(one of the configuration's secretKeys; a publishable key cannot open it).`,
    '',
    'Ask the API what to show for a cart:',
    '',
    curl,
    '',
    'Replay a simulated day of shoppers through it, then report on what they did:',
    `  npx levers replay --url ${url} --key ${run.keys.publishable} --date 2026-03-10`,
    `  npx levers --store ${run.store} ingest api-events && npx levers --store ${run.store} report ` +
      `--from 2026-03-10 --to 2026-03-10`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

function describe(run: DemoRun, days: number): string[] {
  return [
    `Simulated ${days} days of a store (seed 42) and exported canonical CSV files to ${run.exportDir}.`,
    'Loaded them with levers ingest:',
    ...run.loads.map(
      (l) =>
        `  ${l.format.padEnd(12)} ${int(l.rows.read).padStart(10)} rows read, ${int(l.rows.loaded)} ` +
        `loaded, ${int(l.rows.rejected)} rejected`,
    ),
    '',
    `Store summary ${run.period.from ?? ''} .. ${run.period.to ?? ''}`,
    ...run.summaries.map(renderSummary),
    '',
    `Mined recommendation model v${run.model.version} (${int(run.model.rules)} rules, ` +
      `${int(run.model.bundles)} bundles) → ${run.model.file}`,
    `Server configuration with fresh keys → ${run.config}`,
  ];
}
