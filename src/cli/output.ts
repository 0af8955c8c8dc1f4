import cliProgress from 'cli-progress';
import { isLeversError } from '../core/errors.js';

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

const flag = (option: string) =>
  option.startsWith('--') ? option : `--${option.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

/**
 * One line on stderr: the catalogue's message with its CLI hint; a stack trace only for a bug (or with
 * --debug).
 */
export function printError(e: unknown, json: boolean, debug = false): void {
  if (json && isLeversError(e)) process.stdout.write(`${JSON.stringify({ error: e.toJSON() }, null, 2)}\n`);
  let msg: string;
  if (isLeversError(e)) {
    msg =
      e.code === 'INVALID_OPTION'
        ? `Invalid option ${flag(String(e.details.option))}: ${e.details.detail}`
        : e.cliMessage;
    msg += ` [${e.code}]`;
  } else if (debug) msg = e instanceof Error ? (e.stack ?? e.message) : String(e);
  else
    msg =
      `unexpected error: ${e instanceof Error ? e.message : String(e)} (run with --debug for the stack ` +
      `trace)`;
  process.stderr.write(`levers: ${msg}\n`);
}

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
