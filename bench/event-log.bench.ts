import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { countLines } from '../src/store/files/lines.js';
import { JsonlEventLog, segmentFiles } from '../src/store/files/event-log.js';

/**
 * Start-up of the server's event log with millions of events stored (the log used to be read into one string,
 * and the server did not start past 512 MiB). Beside it, the same bytes merely counted line by line: the
 * floor.
 */
const [mode, target] = process.argv.slice(2);
if (mode === 'open' || mode === 'count') {
  const t0 = performance.now();
  const events =
    mode === 'open'
      ? new JsonlEventLog(target!).size
      : segmentFiles(dirname(target!)).reduce((s, f) => s + countLines(f), 0);
  const seconds = (performance.now() - t0) / 1000;
  console.log(JSON.stringify({ seconds, events, rssMb: Math.round(process.resourceUsage().maxRSS / 1024) }));
  process.exit(0);
}
const N = Number(process.env.LEVERS_BENCH_EVENTS ?? 3_000_000);
const dir = mkdtempSync(join(tmpdir(), 'levers-bench-log-'));
const file = join(dir, 'events.jsonl');
const _mb = (b: number) => `${(b / 1024 / 1024).toFixed(0)} MB`;
try {
  const t0 = performance.now();
  const writer = new JsonlEventLog(file);
  const batch = 500;
  for (let i = 0; i < N; i += batch) {
    writer.append(
      Array.from(
        { length: Math.min(batch, N - i) },
        (_, j) =>
          ({
            idempotencyKey: `evt-${i + j}`,
            type: 'add_to_cart',
            sessionId: `s-${Math.floor((i + j) / 7)}`,
            occurredAt: '2026-03-01T11:00:00.000Z',
            productId: 'cm-basic',
            quantity: 1,
            valueMinor: 4900,
            currency: 'USD',
            receivedAt: '2026-03-01T11:00:01.000Z',
            assignment: 'treatment',
            source: 'client',
          }) as never,
      ),
    );
  }
  writer.close();
  const files = segmentFiles(dir);
  console.log(
    `event log: ${N.toLocaleString('en-US')} events in ${files.length} segments, written in ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  // Each side in a fresh process, so its peak memory is its own.
  const run = (mode: string) =>
    JSON.parse(
      execFileSync(process.execPath, [fileURLToPath(import.meta.url), mode, file], { encoding: 'utf8' }),
    ) as { seconds: number; rssMb: number; events: number };
  const open = run('open');
  const floor = run('count');
  console.log(
    `  open the log (count all, hold the newest keys)  ${open.seconds.toFixed(2)} s, peak RSS ` +
      `${open.rssMb} MB, ${open.events.toLocaleString('en-US')} events`,
  );
  console.log(
    `  baseline: count its lines, nothing held         ${floor.seconds.toFixed(2)} s, peak RSS ` +
      `${floor.rssMb} MB`,
  );
  console.log(
    `  ratio                                           ${(open.seconds / floor.seconds).toFixed(1)}x time, ` +
      `${(open.rssMb / floor.rssMb).toFixed(1)}x memory`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
