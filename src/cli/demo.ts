import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { LeversError } from '../core/errors.js';
import { TABLE_NAMES } from '../core/model/tables.js';
import { parseTimestamp } from '../core/time.js';
import { runIngest } from '../ingest/run.js';
import { CsvFilesSink, FILE_OF } from '../sim/csv-files-sink.js';
import { simulate } from '../sim/simulate.js';
import { int, printJson, progressBar } from './output.js';
import { withStore } from './store-option.js';
import { loadSummaries, renderSummary } from './summary.js';

export const DEMO_STORE = '.levers-demo';

export function registerDemo(program: Command): void {
  program
    .command('demo')
    .description(`simulate a store, export it as CSV, load the files and print a first summary (store: ${DEMO_STORE})`)
    .option('--days <n>', 'days to simulate', '60')
    .option('--sessions-per-day <n>', 'sessions per day', '1500')
    .option('--json', 'print as JSON')
    .action(async (o: { days: string; sessionsPerDay: string; json?: boolean }, cmd: Command) => {
      const g = cmd.optsWithGlobals() as { store?: string };
      const dir = g.store ?? DEMO_STORE;
      for (const [flag, v] of [['--days', o.days], ['--sessions-per-day', o.sessionsPerDay]] as const) {
        if (!/^\d+$/.test(v) || Number(v) < 1) throw new LeversError('INVALID_OPTION', { option: flag, detail: 'must be a whole number of at least 1' });
      }
      rmSync(dir, { recursive: true, force: true });
      const exportDir = join(dir, 'export');
      const sink = new CsvFilesSink(exportDir);
      const days = Number(o.days);
      const simBar = progressBar('simulate', !!o.json);
      const sim = simulate({ seed: 42, days, sessionsPerDay: Number(o.sessionsPerDay),
        startMs: (parseTimestamp('2026-01-05') as { ms: number }).ms, currency: 'USD', scenario: 'baseline' }, sink,
        (d) => simBar.update((d + 1) / days));
      simBar.stop();
      sink.close();
      const runId = new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '');
      const out = await withStore(dir, async (store) => {
        const loads = [];
        for (const t of TABLE_NAMES) {
          const [format, file] = FILE_OF[t];
          const bar = progressBar(`ingest ${format}`, !!o.json);
          loads.push(await runIngest(store, format, [join(exportDir, file)], { runId, onProgress: (f) => bar.update(f) }).finally(() => bar.stop()));
        }
        return { loads, ...(await loadSummaries(store)) };
      });
      if (o.json) return printJson({ store: dir, simulated: sim.rows, loads: out.loads, summaries: out.summaries });
      const lines = [
        `Simulated ${o.days} days of a store (seed 42) and exported canonical CSV files to ${exportDir}.`,
        'Loaded them with levers ingest:',
        ...out.loads.map((l) => `  ${l.format.padEnd(12)} ${int(l.rows.read).padStart(10)} rows read, ${int(l.rows.loaded)} loaded, ${int(l.rows.rejected)} rejected`),
        '',
        `Store summary ${out.period.from?.slice(0, 10)} .. ${out.period.to?.slice(0, 10)}`,
        ...out.summaries.map(renderSummary),
        '',
        `Next: npx levers --store ${dir} summary   (or npx levers ingest <format> <file> for your own exports)`,
      ];
      process.stdout.write(lines.join('\n') + '\n');
    });
}
