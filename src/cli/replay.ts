import type { Command } from 'commander';
import { z } from 'zod';
import { replayDay } from '../app/replay.js';
import { LeversError } from '../core/errors.js';
import { DAY_MS, parseTimestamp, toIsoDate } from '../core/time.js';
import { replayTruth } from '../app/replay-truth.js';
import { renderReplayTruth } from '../render/replay-truth.js';
import { offerConfigOf } from './offer-config.js';
import { storeOf } from './store-option.js';
import { renderReplay } from '../render/replay.js';
import { httpStorefront } from '../sim/http-storefront.js';
import { parseOptions } from './options.js';
import { printJson, progressBar } from './output.js';

const Options = z.object({
  url: z.string().url('must be the server address, e.g. http://127.0.0.1:8080'),
  key: z.string().min(1).optional(),
  date: z.string(),
  sessions: z.coerce.number().int().min(1, 'must be at least 1').max(1_000_000),
  days: z.coerce.number().int().min(1, 'must be at least 1').max(366),
  truth: z.boolean().optional(),
  config: z.string().optional(),
  experiment: z.string().optional(),
  store: z.string().optional(),
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
    .option('--date <day>', 'the (first) day simulated (UTC)', new Date().toISOString().slice(0, 10))
    .option('--sessions <n>', 'sessions a day', '1000')
    .option('--days <n>', 'days in a row from --date (returning customers come back on the later days)', '1')
    .option(
      '--truth',
      "instead of driving the server: replay the same shoppers in process under each variant of an offer experiment (the store's model) and print the true lifts",
    )
    .option('--config <file>', 'with --truth: the server configuration (default: levers.config.json)')
    .option('--experiment <id>', 'with --truth: the experiment (default: the only one configured)')
    .option('--seed <n>', 'random seed (the same seed replays the same shoppers)', '7')
    .option('--concurrency <n>', 'shoppers in flight at once', '16')
    .option('--json', 'print the tally as JSON')
    .action(async (_o: unknown, cmd: Command) => {
      const o = parseOptions(Options, cmd);
      const day = parseTimestamp(o.date);
      if (!day.ok) throw new LeversError('INVALID_OPTION', { option: 'date', detail: day.reason });
      const first = o.date.slice(0, 10);
      const label = o.days > 1 ? `${first}..${toIsoDate(day.ms + (o.days - 1) * DAY_MS)}` : first;
      const run = {
        dayMs: day.ms,
        days: o.days,
        sessions: o.sessions,
        seed: o.seed,
        concurrency: o.concurrency,
      };
      if (o.truth) {
        const store = storeOf(o.store);
        const offers = await offerConfigOf(o.config, store);
        if (!offers)
          throw new LeversError('INVALID_OPTION', {
            option: 'config',
            detail: 'levers replay --truth needs the server configuration that declares the experiment',
          });
        const truth = await replayTruth(store, offers, o.experiment, run);
        if (o.json) return printJson({ days: label, ...truth });
        return void process.stdout.write(`${renderReplayTruth(truth, label)}\n`);
      }
      if (!o.key)
        throw new LeversError('INVALID_OPTION', {
          option: 'key',
          detail: 'is required (or LEVERS_KEY): the publishable key from the server configuration',
        });
      const api = httpStorefront(o.url.replace(/\/$/, ''), o.key);
      const bar = progressBar('replay', !!o.json);
      const t0 = performance.now();
      const tally = await replayDay(api, run, (f) => bar.update(f)).finally(() => bar.stop());
      const seconds = (performance.now() - t0) / 1000;
      if (o.json)
        return printJson({
          date: label,
          ...tally,
          seconds: Number(seconds.toFixed(2)),
          decideLatencyMs: api.latency(),
        });
      process.stdout.write(`${renderReplay(tally, label, seconds, api.latency())}\n`);
    });
}
