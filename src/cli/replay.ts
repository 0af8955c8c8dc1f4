import type { Command } from 'commander';
import { z } from 'zod';
import { replayDay } from '../app/replay.js';
import { LeversError } from '../core/errors.js';
import { parseTimestamp } from '../core/time.js';
import { renderReplay } from '../render/replay.js';
import { httpStorefront } from '../sim/http-storefront.js';
import { parseOptions } from './options.js';
import { printJson, progressBar } from './output.js';

const Options = z.object({
  url: z.string().url('must be the server address, e.g. http://127.0.0.1:8080'),
  key: z
    .string({ message: 'is required (or LEVERS_KEY): the publishable key from the server configuration' })
    .min(1),
  date: z.string(),
  sessions: z.coerce.number().int().min(1, 'must be at least 1').max(1_000_000),
  seed: z.coerce.number().int('must be a whole number'),
  concurrency: z.coerce.number().int().min(1).max(256),
  json: z.boolean().optional(),
});

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description(
      'drive a running levers serve like a storefront: a simulated day of shoppers asks for decisions and ' +
        'sends what they did',
    )
    .option('--url <url>', 'server address', 'http://127.0.0.1:8080')
    .option('--key <key>', 'publishable key (default: $LEVERS_KEY)', process.env.LEVERS_KEY)
    .option('--date <day>', 'the day simulated (UTC)', new Date().toISOString().slice(0, 10))
    .option('--sessions <n>', 'sessions in the day', '1000')
    .option('--seed <n>', 'random seed (the same seed replays the same shoppers)', '7')
    .option('--concurrency <n>', 'shoppers in flight at once', '16')
    .option('--json', 'print the tally as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const day = parseTimestamp(o.date);
      if (!day.ok) throw new LeversError('INVALID_OPTION', { option: 'date', detail: day.reason });
      const api = httpStorefront(o.url.replace(/\/$/, ''), o.key);
      const bar = progressBar('replay', !!o.json);
      const t0 = performance.now();
      const tally = await replayDay(
        api,
        { dayMs: day.ms, sessions: o.sessions, seed: o.seed, concurrency: o.concurrency },
        (f) => bar.update(f),
      ).finally(() => bar.stop());
      const seconds = (performance.now() - t0) / 1000;
      if (o.json)
        return printJson({
          date: o.date.slice(0, 10),
          ...tally,
          seconds: Number(seconds.toFixed(2)),
          decideLatencyMs: api.latency(),
        });
      process.stdout.write(`${renderReplay(tally, o.date.slice(0, 10), seconds, api.latency())}\n`);
    });
}
