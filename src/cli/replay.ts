import type { Command } from 'commander';
import { z } from 'zod';
import { LeversError } from '../core/errors.js';
import type { ApiEvent } from '../core/model/api-event.js';
import { parseTimestamp } from '../core/time.js';
import { replayAll, type DecideRequest, type ReplayDecision, type ReplayTally, type StorefrontApi } from '../sim/replay.js';
import type { SessionOutcome } from '../sim/shopper.js';
import { forEachSession } from '../sim/simulate.js';
import { int, money, pct, printJson, progressBar, table } from './output.js';
import { parseOptions } from './options.js';

const Options = z.object({
  url: z.string().url('--url must be the server address, e.g. http://127.0.0.1:8080'),
  key: z.string({ message: '--key (or LEVERS_KEY) is required: the publishable key from the server configuration' }).min(1),
  date: z.string(),
  sessions: z.coerce.number().int().min(1, '--sessions must be at least 1').max(1_000_000),
  seed: z.coerce.number().int('--seed must be a whole number'),
  concurrency: z.coerce.number().int().min(1).max(256),
  json: z.boolean().optional(),
});

export function registerReplay(program: Command): void {
  program
    .command('replay')
    .description('drive a running levers serve like a storefront: a simulated day of shoppers asks for decisions and sends what they did')
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
      if (!day.ok) throw new LeversError('INVALID_OPTION', { option: '--date', detail: day.reason });
      const outcomes: SessionOutcome[] = [];
      // One organic day: the shoppers meet only the offers the server makes. Ids carry an "r" so they never collide
      // with a simulated history in the same store.
      forEachSession({ seed: o.seed, days: 1, sessionsPerDay: o.sessions, startMs: day.ms, currency: 'USD', scenario: 'baseline', idPrefix: 'r', organic: true },
        (s) => outcomes.push(s));
      const api = httpApi(o.url.replace(/\/$/, ''), o.key);
      const bar = progressBar('replay', !!o.json);
      const t0 = performance.now();
      const tally = await replayAll(outcomes, api, o.seed, o.concurrency, (n) => bar.update(n / outcomes.length)).finally(() => bar.stop());
      const seconds = (performance.now() - t0) / 1000;
      const latency = api.latency();
      if (o.json) return printJson({ date: o.date.slice(0, 10), ...tally, seconds: Number(seconds.toFixed(2)), decideLatencyMs: latency });
      process.stdout.write(render(tally, o.date.slice(0, 10), seconds, latency) + '\n');
    });
}

const plural = (n: number, what: string) => `${int(n)} ${what}${n === 1 ? '' : 's'}`;

function render(t: ReplayTally, date: string, seconds: number, lat: { p50: number; p99: number }): string {
  const rps = (g: 'treatment' | 'holdout') => (t.sessions[g] ? t.revenueMinor[g] / t.sessions[g] : null);
  const lines = [
    `Replayed ${date}: ${int(t.sessions.treatment + t.sessions.holdout)} sessions (${int(t.botsSkipped)} bot sessions not replayed), ` +
      `${int(t.decisions)} decisions, ${int(t.events)} events in ${seconds.toFixed(1)} s; decide p50 ${lat.p50} ms, p99 ${lat.p99} ms`,
    table([
      ['treated', `${int(t.sessions.treatment)} sessions, ${plural(t.orders.treatment, 'order')}, revenue ${money(t.revenueMinor.treatment, 'USD')}, RPS ${money(rps('treatment'), 'USD')}`],
      ['holdout', `${int(t.sessions.holdout)} sessions, ${plural(t.orders.holdout, 'order')}, revenue ${money(t.revenueMinor.holdout, 'USD')}, RPS ${money(rps('holdout'), 'USD')}`],
    ]),
    'offers (shown / accepted):',
    table(Object.entries(t.offers).sort((a, b) => b[1].shown - a[1].shown).map(([k, v]) => [k,
      v.accepted + v.declined ? `${int(v.shown)} / ${int(v.accepted)} (${pct(v.shown ? v.accepted / v.shown : null, 1)})` : `${int(v.shown)} (shown only)`] as [string, string]), 4),
    'Load the server\'s event log and report on it: levers ingest api-events && levers report',
  ];
  return lines.join('\n');
}

/** The storefront side over HTTP; events are retried with the same idempotency keys, as a storefront's beacon queue would. */
function httpApi(url: string, key: string): StorefrontApi & { latency(): { p50: number; p99: number } } {
  const times: number[] = [];
  const headers = { authorization: `Bearer ${key}`, 'content-type': 'application/json' };
  const call = async (path: string, body: unknown, what: string, want: number): Promise<unknown> => {
    for (let attempt = 1; ; attempt++) {
      let res: Response;
      try {
        res = await fetch(url + path, { method: 'POST', headers, body: JSON.stringify(body) });
      } catch (e) {
        if (attempt < 4) { await new Promise((r) => setTimeout(r, 100 * 2 ** attempt)); continue; }
        throw new LeversError('SERVER_UNREACHABLE', { url, detail: String((e as Error).cause ?? e) });
      }
      if (res.status === want) return res.json();
      if ((res.status === 429 || res.status >= 500) && attempt < 4) { await new Promise((r) => setTimeout(r, 100 * 2 ** attempt)); continue; }
      throw new LeversError('SERVER_REFUSED', { status: res.status, what, detail: await res.text() });
    }
  };
  return {
    async decide(req: DecideRequest) {
      const t = performance.now();
      const r = (await call('/v1/decide', req, 'POST /v1/decide', 200)) as ReplayDecision;
      times.push(performance.now() - t);
      return r;
    },
    async events(batch: ApiEvent[]) {
      await call('/v1/events', { events: batch }, 'POST /v1/events', 202);
    },
    latency() {
      const s = [...times].sort((a, b) => a - b);
      const q = (p: number) => (s.length ? Number(s[Math.min(s.length - 1, Math.floor(p * s.length))]!.toFixed(1)) : 0);
      return { p50: q(0.5), p99: q(0.99) };
    },
  };
}
