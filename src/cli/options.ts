import type { Command } from 'commander';
import type { z } from 'zod';
import { LeversError } from '../core/errors.js';

/**
 * Validates a command's flags (with the global --store) against its zod schema, once, at the edge; the
 * first problem is reported with the flag's name as the user typed it.
 */
export function parseOptions<T extends z.ZodType>(schema: T, cmd: Command): z.infer<T> {
  const parsed = schema.safeParse(cmd.optsWithGlobals());
  if (parsed.success) return parsed.data;
  const i = parsed.error.issues[0]!;
  const flag = String(i.path[0] ?? '').replace(/[A-Z]/g, (c) => '-' + c.toLowerCase());
  throw new LeversError('INVALID_OPTION', { option: `--${flag}`, detail: i.message });
}
