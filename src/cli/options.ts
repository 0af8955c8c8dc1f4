import type { Command } from './command.js';
import type { z } from 'zod';
import { LeversError, zodProblem } from '../core/errors.js';

/**
 * Validates a command's flags (with the global --store) against its zod schema, once, at the edge; the first
 * problem is reported with the flag's name as the user typed it. `pick` keeps only the flags the schema knows
 * (for a shared schema such as the report's, which is strict).
 */
export function parseOptions<T extends z.ZodType>(
  schema: T,
  cmd: Command,
  pick?: readonly string[],
): z.infer<T> {
  let raw: Record<string, unknown> = cmd.optsWithGlobals();
  if (pick) raw = Object.fromEntries(Object.entries(raw).filter(([k]) => pick.includes(k)));
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const { path, problem } = zodProblem(parsed.error, 'option');
  throw new LeversError('INVALID_OPTION', { option: path.split('.')[0] ?? '', detail: problem });
}
