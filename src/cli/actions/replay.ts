import type { Command } from '../command.js';
import { z } from 'zod';
import { replayDay } from '../../app/replay.js';
import { replayTruth } from '../../app/replay-truth.js';
import { LeversError } from '../../core/errors.js';
import { DAY_MS, parseTimestamp, toIsoDate } from '../../core/time.js';
import { renderReplay } from '../../render/replay.js';
import { renderReplayTruth } from '../../render/replay-truth.js';
import { httpStorefront } from '../../sim/http-storefront.js';
import { offerConfigOf } from '../offer-config.js';
import { parseOptions } from '../options.js';
import { printJson } from '../output.js';
import { progressBar } from '../progress.js';
import { storeOf } from '../store-option.js';

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

/** `levers replay`. */
export async function runReplay(cmd: Command): Promise<void> {
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
}
