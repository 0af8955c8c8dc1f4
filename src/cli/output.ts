import cliProgress from 'cli-progress';
import { isLeversError } from '../core/errors.js';
import { formatMoney } from '../core/money.js';

export interface OutputOptions {
  json: boolean;
}

export function printJson(value: unknown): void {
  process.stdout.write(JSON.stringify(value, null, 2) + '\n');
}

export function printError(e: unknown, json: boolean): void {
  if (json && isLeversError(e)) {
    process.stdout.write(JSON.stringify({ error: e.toJSON() }, null, 2) + '\n');
  }
  const msg = isLeversError(e) ? `${e.message} [${e.code}]` : e instanceof Error ? e.stack ?? e.message : String(e);
  process.stderr.write(`levers: ${msg}\n`);
}

/** Aligned two-column rows, for terminals up to 100 columns wide. */
export function table(rows: [string, string][], indent = 2): string {
  const w = Math.max(0, ...rows.map(([k]) => k.length));
  return rows.map(([k, v]) => ' '.repeat(indent) + k.padEnd(w) + '  ' + v).join('\n');
}

export const int = (n: number): string => n.toLocaleString('en-US');
export const pct = (x: number | null, digits = 2): string => (x == null ? 'unknown' : (x * 100).toFixed(digits) + '%');
export const money = (minor: number | null, currency: string): string =>
  minor == null ? 'unknown' : formatMoney(Math.round(minor), currency);

/** A progress bar on stderr, only on a terminal and never in --json mode; a no-op otherwise. */
export function progressBar(label: string, json: boolean): { update(f: number): void; stop(): void } {
  if (json || !process.stderr.isTTY) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {percentage}% | {duration}s`, hideCursor: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let started = false;
  const t0 = Date.now();
  return {
    update(f: number) {
      // Only show a bar for work that takes more than a second.
      if (!started && Date.now() - t0 < 1000) return;
      if (!started) {
        bar.start(100, 0);
        started = true;
      }
      bar.update(Math.round(f * 100));
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
