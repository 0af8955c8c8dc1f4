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
